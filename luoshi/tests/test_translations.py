"""The English catalogue is complete and compiled: every Chinese source string has a translation that gettext
actually returns (so a stale django.mo fails here, not in front of a user)."""

import ast
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries() -> list[tuple[str, str, str, bool]]:
    """(context, msgid, msgstr, fuzzy) for each singular entry of the catalogue; context "" when it has none."""
    entries, fuzzy, field = [], False, None
    current = {"msgctxt": "", "msgid": "", "msgstr": ""}
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            field, _sep, literal = line.partition(" ")
            current[field] = ast.literal_eval(literal)
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
        elif not line.strip():
            if current["msgid"]:
                entries.append((current["msgctxt"], current["msgid"], current["msgstr"], fuzzy))
            fuzzy, field = False, None
            current = {"msgctxt": "", "msgid": "", "msgstr": ""}
    return entries


def test_every_string_is_translated_and_compiled() -> None:
    entries = _entries()
    assert len(entries) > 300
    assert [e[1] for e in entries if not e[2] or e[3]] == []
    with translation.override("en"):
        stale = [
            msgid
            for context, msgid, msgstr, _f in entries
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid)) != msgstr
        ]
    assert stale == [], "run `make messages` to recompile django.mo"
