"""Text helpers of the plan parsers: item titles, count notes, and which of the units a row names leads."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from luoshi.sheets.text import split_units

_COUNT_NOTE = re.compile(r"\s*[（(]\s*共\s*\d+\s*[项条个]\s*[)）]\s*$")


def split_title(text: str) -> tuple[str, str]:
    """Title = the first line, or its first sentence without the "。"; description = the rest."""
    first, _sep, rest = text.strip().partition("\n")
    cut = first.find("。")
    if 0 <= cut < len(first) - 1:
        title, rest = first[:cut], first[cut + 1 :] + "\n" + rest
    else:
        title = first.rstrip("。；;，, ")
    return title.strip(), "\n".join(line.strip() for line in rest.splitlines() if line.strip())


def strip_count_note(title: str) -> str:
    """Section rows often count their items: "科技创新（共8项）" → "科技创新"."""
    return _COUNT_NOTE.sub("", title)


@dataclass(frozen=True)
class UnitSource:
    where: str  # "E7" (xlsx) or "牵头单位" (notice): for error reporting
    text: str


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
