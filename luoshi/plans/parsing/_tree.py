"""Items in document order → tree nodes; numbering checks (duplicates, skipped levels, gaps) on the way."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi.lib.deadlines import Deadline
from luoshi.lib.numbering import Code, Kind, format_code
from luoshi.sheets.problems import Problem, error, warning

from ._model import ParsedNode

# Rank = (group, index); a smaller rank is a higher level. Levels are the ranks present, compressed.
SECTION_RANK = (0, 0)  # an uncoded section row ("科技创新（共8项）") above everything
UNCODED_RANK = (2, 0)  # an uncoded item among numbered ones: below the deepest numbering
DEFAULT_LEVEL_NAMES = [
    gettext_noop("任务"),
    gettext_noop("措施"),
    gettext_noop("子措施"),
    gettext_noop("分项"),
    gettext_noop("细项"),
    gettext_noop("细目"),
]
SECTION_NAME = gettext_noop("领域")


def code_rank(kind: Kind) -> tuple[int, int]:
    """Numbered items rank by their numbering kind: 一、 above （一） above 1. …"""
    return (1, int(kind))


def column_rank(index: int) -> tuple[int, int]:
    """Items of a sheet's level columns rank by column, left to right, below any section rows."""
    return (3, index)


@dataclass
class Item:
    rank: tuple[int, int]
    code: Code | None  # the numbering the checks look at; None when there is none (or only a plain count)
    code_text: str  # as shown to the user
    title: str
    row: int
    title_col: str | None  # where problems about the title and numbering point
    lead_col: str | None = None  # where a missing lead unit should have been
    description: str = ""
    lead_unit: str | None = None
    co_units: list[str] = field(default_factory=list)
    unit_cells: dict[str, str] = field(default_factory=dict)
    due: date | None = None
    due_text: str = ""
    milestones: list[tuple[str, date]] = field(default_factory=list)
    target: str = ""
    links: dict[str, tuple[str, str]] = field(default_factory=dict)  # kind → (cell, text): 对应指标, 关联项目
    is_section: bool = False

    def set_deadline(self, deadline: Deadline) -> None:
        self.due, self.due_text, self.milestones = deadline.due, deadline.text, list(deadline.milestones)


def level_names(ranks: list[tuple[int, int]], column_names: list[str] | None = None) -> list[str]:
    """Header names for column levels, "领域" for section rows, "任务"/"措施"/… for numbering levels."""
    names, numbered = [], 0
    for rank in ranks:
        if rank[0] == 3 and column_names:
            names.append(column_names[rank[1]])
        elif rank == SECTION_RANK or (column_names and rank[0] == 1):
            names.append(_(SECTION_NAME))
        else:
            names.append(_(DEFAULT_LEVEL_NAMES[min(numbered, len(DEFAULT_LEVEL_NAMES) - 1)]))
            numbered += 1
    return names


def build_tree(
    items: list[Item], names: list[str], problems: list[Problem], warn_missing_lead: bool = True
) -> list[ParsedNode]:
    """Parent = the nearest earlier item of a higher rank. `names` are the level names in rank order.
    Leaves without a lead unit get a warning; sections and parents usually leave units to their children."""
    ranks = sorted({item.rank for item in items})
    level_of = {rank: i + 1 for i, rank in enumerate(ranks)}
    stack: list[tuple[tuple[int, int], str]] = []  # (rank, ref) of the open ancestors
    nodes: list[ParsedNode] = []
    has_children: set[str] = set()
    seen: dict[tuple[str | None, Kind, tuple[int, ...]], set[int]] = defaultdict(
        set
    )  # code values per (parent, kind, decimal prefix)
    last: dict[tuple[str | None, Kind, tuple[int, ...]], int] = defaultdict(int)
    for i, item in enumerate(items):
        while stack and stack[-1][0] >= item.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        parent_level = level_of[stack[-1][0]] if stack else 0
        level = level_of[item.rank]
        ref = f"n{i + 1}"
        if level > parent_level + 1:
            missing = ranks[parent_level]
            if missing[0] == 1:
                expected = format_code(Kind(missing[1]), 1)
                message = _("编号跳级：“%(code)s”前面缺少“%(expected)s”这一级") % {
                    "code": item.code_text or item.title,
                    "expected": expected,
                }
            else:
                message = _("缺少上一级“%(level)s”，请补上或调整层级") % {"level": names[parent_level]}
            problems.append(error(message, item.row, item.title_col))
        if item.code is not None and item.code.kind != Kind.PLAIN:
            key = (parent, item.code.kind, item.code.prefix)
            value = item.code.value
            if value in seen[key]:
                problems.append(
                    error(_("编号“%(code)s”重复") % {"code": item.code.text}, item.row, item.title_col)
                )
            elif value != last[key] + 1:
                expected = format_code(item.code.kind, last[key] + 1, like=item.code)
                message = _("编号不连续：这里应是“%(expected)s”，实际是“%(code)s”") % {
                    "expected": expected,
                    "code": item.code.text,
                }
                problems.append(warning(message, item.row, item.title_col))
            seen[key].add(value)
            last[key] = value
        if not item.title:
            problems.append(error(_("缺少任务内容"), item.row, item.title_col))
        if parent:
            has_children.add(parent)
        stack.append((item.rank, ref))
        nodes.append(_node(item, ref, parent, level))
    if warn_missing_lead:
        for node, item in zip(nodes, items, strict=True):
            if node.ref not in has_children and not item.is_section and not node.lead_unit:
                problems.append(warning(_("没有牵头单位"), item.row, item.lead_col))
    return nodes


def _node(item: Item, ref: str, parent: str | None, level: int) -> ParsedNode:
    return ParsedNode(
        ref=ref,
        parent=parent,
        level=level,
        code=item.code_text,
        title=item.title,
        description=item.description,
        lead_unit=item.lead_unit,
        co_units=item.co_units,
        due=item.due,
        due_text=item.due_text,
        target=item.target,
        milestones=item.milestones,
        row=item.row,
        unit_cells=item.unit_cells,
        links=item.links,
    )


def dedupe(problems: list[Problem]) -> list[Problem]:
    """A merged cell read on every row it covers reports its problem once."""
    seen: set[tuple[int | None, str | None, str, str]] = set()
    out = []
    for p in problems:
        key = (p.row, p.column, p.severity, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
