"""Text helpers shared by the sheet and notice parsers: cell text, titles, unit lists, row kinds."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext as _

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_FOOTNOTE = re.compile(
    r"^(?:备注|注\d*[：:.、]|说明[：:]|填表说明|填报说明|制表人|制表单位|制表[：:]|审核人|审核[：:]|联系人|填表人|填报人|"
    r"联系电话|负责人[：:])"
)
_TOTAL = re.compile(r"^(?:合\s*计|总\s*计|小\s*计)(?:$|[\s：:（(])")
_COUNT_NOTE = re.compile(r"\s*[（(]\s*共\s*\d+\s*[项条个]\s*[)）]\s*$")


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


def split_title(text: str) -> tuple[str, str]:
    """Title = the first line, or its first sentence without the "。"; description = the rest."""
    first, _sep, rest = text.strip().partition("\n")
    cut = first.find("。")
    if 0 <= cut < len(first) - 1:
        title, rest = first[:cut], first[cut + 1 :] + "\n" + rest
    else:
        title = first.rstrip("。；;，, ")
    return title.strip(), "\n".join(line.strip() for line in rest.splitlines() if line.strip())


def cell_lines(value: object) -> str:
    """A text cell's non-empty lines, trimmed: keeps the line break that ends a title."""
    return "\n".join(line.strip(" \t\u3000") for line in str(value).splitlines() if line.strip(" \t\u3000"))


def strip_count_note(title: str) -> str:
    """Section rows often count their items: "科技创新（共8项）" → "科技创新"."""
    return _COUNT_NOTE.sub("", title)


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
_NOTE_ONLY = re.compile(r"^(?:[（(【\[［〖〔][^()（）]*[)）】\]］〗〕])+$")


@dataclass(frozen=True)
class UnitSource:
    where: str  # "E7" (xlsx) or "牵头单位" (notice): for error reporting
    text: str


def split_units(text: str) -> list[tuple[str, bool]]:
    """Names and lead marks: "区科技局（牵头）、区财政局等" → [("区科技局", True), ("区财政局", False)].

    Splits on 、，,；; slashes, spaces and line breaks outside brackets — never on 和/及, which unit names
    contain (区发展和改革局)."""
    tokens: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth = max(depth - 1, 0)
        elif ch in _SEPARATORS and depth == 0:
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


@dataclass
class Units:
    lead: str | None
    co: list[str]
    cells: dict[str, str]  # where they came from: {"lead": "E7", "co": "F7"} or labels
    several_leads: list[str]  # all the units a 牵头单位 field names, when it names more than one


def assign_units(lead: UnitSource | None, resp: UnitSource | None, co: list[UnitSource]) -> Units:
    """责任单位 are co-units beside a 牵头单位 column; alone, the first listed leads ("排在首位的为牵头单位").
    A unit marked "（牵头）" leads wherever it stands. A plan item has one lead: of several written under
    牵头单位 the first leads and the others become co-units, so nobody is lost (`several_leads` says so)."""

    def units(source: UnitSource | None) -> list[tuple[str, bool, str]]:
        return [(name, marked, source.where) for name, marked in split_units(source.text)] if source else []

    lead_units, resp_units = units(lead), units(resp)
    found = lead_units + resp_units + [unit for source in co for unit in units(source)]
    leadable = lead_units or resp_units
    primary = next((unit for unit in found if unit[1]), leadable[0] if leadable else None)
    co_names: list[str] = []
    co_cells: list[str] = []
    for name, _marked, where in found:
        if (primary is None or name != primary[0]) and name not in co_names:
            co_names.append(name)
            if where not in co_cells:
                co_cells.append(where)
    cells = {"lead": primary[2]} if primary else {}
    if co_cells:
        cells["co"] = ",".join(co_cells)
    # a "（牵头）" mark says which one leads: then there is nothing to warn about
    marked = any(unit[1] for unit in found)
    several = [name for name, _m, _w in lead_units] if len(lead_units) > 1 and not marked else []
    return Units(primary[0] if primary else None, co_names, cells, several)


def several_leads_message(names: list[str]) -> str:
    return _("牵头单位写了多个（%(units)s），已取第一个“%(lead)s”为牵头单位，其余作为配合单位") % {
        "units": "、".join(names),
        "lead": names[0],
    }
