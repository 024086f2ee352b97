"""The English catalogue is complete and compiled: every Chinese source string has a translation that gettext
actually returns (so a stale django.mo fails here, not in front of a user)."""

import ast
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


# One catalogue entry: its context ("" when none), msgid, msgid_plural ("" when singular), its msgstr — or for a
# plural entry msgstr[0] and msgstr[1] — and whether it is fuzzy.
Entry = tuple[str, str, str, tuple[str, ...], bool]
FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", "msgstr[1]")


def _entries() -> list[Entry]:
    entries: list[Entry] = []
    fuzzy, field = False, None
    current = dict.fromkeys(FIELDS, "")
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith(tuple(f"{name} " for name in FIELDS)):
            field, _sep, literal = line.partition(" ")
            current[field] = ast.literal_eval(literal)
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
        elif not line.strip():
            if current["msgid"]:
                plural = current["msgid_plural"]
                strings = (current["msgstr[0]"], current["msgstr[1]"]) if plural else (current["msgstr"],)
                entries.append((current["msgctxt"], current["msgid"], plural, strings, fuzzy))
            fuzzy, field = False, None
            current = dict.fromkeys(FIELDS, "")
    return entries


def _translated(context: str, msgid: str, plural: str) -> tuple[str, ...]:
    if plural:
        if context:
            return tuple(translation.npgettext(context, msgid, plural, n) for n in (1, 2))
        return tuple(translation.ngettext(msgid, plural, n) for n in (1, 2))
    return (translation.pgettext(context, msgid) if context else translation.gettext(msgid),)


def test_every_string_is_translated_and_compiled() -> None:
    entries = _entries()
    assert len(entries) > 300 and any(plural for _c, _i, plural, _s, _f in entries)
    assert [msgid for _c, msgid, _p, strings, fuzzy in entries if not all(strings) or fuzzy] == []
    with translation.override("en"):
        stale = [
            msgid
            for context, msgid, plural, strings, _f in entries
            if _translated(context, msgid, plural) != strings
        ]
    assert stale == [], "run `make messages` to recompile django.mo"
