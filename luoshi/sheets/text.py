"""What a cell says as text, the way offices fill task tables and ledgers: one line from a wrapped cell, the
footnote and total rows under a table, and the unit names a responsibility cell lists."""

import re
from datetime import date, datetime, time

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_FOOTNOTE = re.compile(
    r"^(?:备注|注\d*[：:.、]|说明[：:]|填表说明|填报说明|制表人|制表单位|制表[：:]|审核人|审核[：:]|联系人|填表人|填报人|"
    r"联系电话|负责人[：:])"
)
_TOTAL = re.compile(r"^(?:合\s*计|总\s*计|小\s*计)(?:$|[\s：:（(])")


def cell_text(value: object) -> str:
    """A cell as one line of text: lines joined (with a space only between Latin words), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    lines = [line.strip(" \t\u3000") for line in str(value).splitlines()]
    out = ""
    for line in lines:
        if not line:
            continue
        if out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(line[0]):
            out += " "
        out += line
    return out


def cell_lines(value: object) -> str:
    """A text cell's non-empty lines, trimmed: keeps the line break that ends a title."""
    return "\n".join(line.strip(" \t\u3000") for line in str(value).splitlines() if line.strip(" \t\u3000"))


def is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE.match(text))


def is_total(text: str) -> bool:
    return bool(_TOTAL.match(text))


# ---- unit lists ---------------------------------------------------------------------------------------------

_SEPARATORS = frozenset("、，,；;/／|\n\r\t \u3000")
# Round, square (half- and full-width), lenticular and tortoise-shell brackets, paired by position.
OPEN_BRACKETS, CLOSE_BRACKETS = "（(【[［〖〔", "）)】]］〗〕"
# Annotations, not names: "（牵头）" marks the lead; the others are dropped.
_LEAD_NOTE = re.compile(r"[（(【\[［〖〔]\s*(?:牵头|牵头单位|牵头部门|主责|总牵头)\s*[)）】\]］〗〕]")
_OTHER_NOTE = re.compile(
    r"[（(【\[［〖〔]\s*(?:配合|协办|参与|负责|按职责分工负责|按职责负责|[^()（）]*?(?:为牵头|列首位|列第一位|排第一)[^()（）]*?)"
    r"\s*[)）】\]］〗〕]"
)
_MARKS = re.compile("[" + re.escape(OPEN_BRACKETS + CLOSE_BRACKETS + "".join(sorted(_SEPARATORS))) + "]")
_NOTE_ONLY = re.compile(r"^(?:[（(【\[［〖〔][^()（）]*[)）】\]］〗〕])+$")


def split_units(text: str) -> list[tuple[str, bool]]:
    """Names and lead marks: "区科技局（牵头）、区财政局等" → [("区科技局", True), ("区财政局", False)].

    Splits on 、，,；; slashes, spaces and line breaks outside brackets — never on 和/及, which unit names
    contain (区发展和改革局)."""
    tokens: list[str] = []
    depth, start = 0, 0
    # Only brackets and separators: a loop over every character was the parser's hot spot.
    for mark in _MARKS.finditer(text):
        ch, i = mark.group(), mark.start()
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth = max(depth - 1, 0)
        elif depth == 0:
            tokens.append(text[start:i])
            start = i + 1
    tokens.append(text[start:])
    units: list[tuple[str, bool]] = []
    for token in (t.strip() for t in tokens):
        if not token:
            continue
        lead = bool(_LEAD_NOTE.search(token))
        if _NOTE_ONLY.match(token):  # "区科技局 （牵头）": the note was split off its name
            if lead and units:
                units[-1] = (units[-1][0], True)
            continue
        name = _OTHER_NOTE.sub("", _LEAD_NOTE.sub("", token)).strip(" 。.")
        if name.endswith("牵头") and len(name) > 4:  # "区科技局牵头"
            name, lead = name[:-2], True
        if name.endswith("配合") and len(name) > 4:
            name = name[:-2]
        if name.endswith("等") and len(name) > 2:
            name = name[:-1]
        if name and name not in (u for u, _lead in units):
            units.append((name, lead))
    return units
