"""The parser's output: a flat list of tree nodes in document order plus the problems found."""

from dataclasses import dataclass, field
from datetime import date

from luoshi.sheets.problems import Problem, error, has_errors


@dataclass
class ParsedNode:
    ref: str  # unique within the file: "n1", "n2", … in document order
    parent: str | None  # the parent's ref, None at the top level
    level: int  # 1 = top level
    code: str  # numbering as written: "一、", "（二）", "3.", "①", or ""
    title: str  # text without the leading code
    description: str  # further text, e.g. the rest of a notice paragraph after its first sentence
    lead_unit: str | None  # as written (trimmed)
    co_units: list[str]  # as written, in order
    due: date | None
    due_text: str  # the original deadline text; an ISO date for an Excel date cell
    target: str  # 工作目标/目标任务 text
    milestones: list[tuple[str, date]]
    row: int  # xlsx: 1-based sheet row of the node's own cell; notice: 1-based paragraph number
    unit_cells: dict[str, str] = field(default_factory=dict)  # {"lead": "E7", "co": "F7"} or labels
    # The 对应指标 and 关联项目 cells as written, {"indicators": ("H7", "研发投入强度、…")}: linked by goals.
    links: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class ParsedPlan:
    title: str
    level_names: list[str]
    nodes: list[ParsedNode]
    problems: list[Problem]
    sheet: str | None = None

    @property
    def has_errors(self) -> bool:
        return has_errors(self.problems)


def failed(message: str, sheet: str | None = None) -> ParsedPlan:
    """A file that could not be read at all: one error, no nodes."""
    return ParsedPlan("", [], [], [error(message)], sheet)
