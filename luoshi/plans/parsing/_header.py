"""Find a task table's header row among the first rows and tell which column holds what."""

from collections.abc import Callable
from dataclasses import dataclass, field

from luoshi.sheets.header import HEADER_SEARCH_ROWS, normalise_label

_LEVEL_EXACT = frozenset(
    "重点任务 主要任务 任务 工作任务 重点工作 任务名称 具体措施 工作措施 主要措施 措施 工作内容 具体任务 推进举措 "
    "重点领域 领域 类别 工作事项 主要内容 具体内容 任务内容 重点项目 项目名称 工作要点 主要工作 具体工作 工作举措".split()
)
_LEVEL_ENDINGS = ("任务", "措施", "举措", "内容", "事项")
_RESP = frozenset("责任单位 责任部门 责任主体 责任科室 承办单位 实施单位 落实单位".split())
LINKED = ("indicators", "projects")  # columns naming what an item is linked to, kept as text for goals
_IGNORED = ("领导", "联系", "电话", "备注", "说明", "情况", "进展", "状态", "评分", "考核", "分值", "佐证")


def classify(label: str) -> str | None:
    """The field a header label names: seq, level, lead, resp, co, due, target, indicators, projects, ignore —
    or None. 对应指标 / 关联项目 name what an item moves and who carries it (the line of sight, goals.imports)."""
    if not label or len(label) > 12:
        return None
    if label.startswith(("对应", "关联", "相关")) and label.endswith("指标"):
        return "indicators"
    if label.startswith(("对应", "关联", "相关")) and label.endswith("项目"):
        return "projects"
    if any(word in label for word in _IGNORED) or label.endswith("人"):
        return "ignore"  # people (牵头领导, 责任人), notes, progress reports: never units or levels
    if label in ("序号", "编号", "序", "No", "NO", "No.", "NO.") or label.endswith(("序号", "编号")):
        return "seq"
    if "牵头" in label or label.startswith("主责"):
        return "lead"
    if any(word in label for word in ("配合", "协办", "参与", "协同", "协助")):
        return "co"
    if label in _RESP or (label.startswith("责任") and label.endswith(("单位", "部门"))):
        return "resp"
    if any(word in label for word in ("时限", "时间", "节点", "期限", "进度安排", "完成日期")):
        return "due"
    if any(word in label for word in ("目标", "指标", "预期成果")):
        return "target"
    if label in _LEVEL_EXACT or label.endswith(_LEVEL_ENDINGS):
        return "level"
    return None


@dataclass
class Header:
    first_row: int  # 0-based grid rows
    last_row: int
    levels: list[int] = field(default_factory=list)  # level text columns, left to right
    level_labels: list[str] = field(default_factory=list)
    seq: int | None = None
    lead: int | None = None
    resp: int | None = None
    co: list[int] = field(default_factory=list)
    due: int | None = None
    target: int | None = None
    indicators: int | None = None
    projects: int | None = None

    @property
    def attribute_columns(self) -> list[int]:
        fields = (self.lead, self.resp, *self.co, self.due, self.target, self.indicators, self.projects)
        return [c for c in fields if c is not None and c not in self.levels]

    @property
    def used_columns(self) -> list[int]:
        return sorted({*self.levels, *self.attribute_columns, *([self.seq] if self.seq is not None else [])})

    @property
    def score(self) -> int:
        fields = [self.levels, self.seq is not None, self.lead is not None or self.resp is not None]
        return sum(bool(f) for f in (*fields, self.co, self.due is not None, self.target is not None))


def _header_from(labels: list[str], first_row: int, last_row: int) -> Header:
    kinds = [classify(label) for label in labels]
    # Plans name their levels freely ("目标 | 方向 | 行动 | 任务 | 措施"): a label left of the unit and
    # deadline columns that names nothing else is a level, and so is a "目标" there when a target column
    # follows the units.
    attribute_cols = [c for c, kind in enumerate(kinds) if kind in ("lead", "resp", "co", "due")]
    if attribute_cols:
        start = min(attribute_cols)
        later_target = "target" in kinds[start:]
        for c in range(start):
            if labels[c] and (kinds[c] is None or (kinds[c] == "target" and later_target)):
                kinds[c] = "level"
    # A target table ("序号 | 2022年预期目标 | 责任单位"): with units but no task column, the targets are the items.
    target_items = "level" not in kinds and "target" in kinds and ("lead" in kinds or "resp" in kinds)
    header = Header(first_row, last_row)
    for col, (label, kind) in enumerate(zip(labels, kinds, strict=True)):
        if kind == "level" or (target_items and kind == "target" and not header.levels):
            header.levels.append(col)
            header.level_labels.append(label)
            if kind == "target":
                header.target = col  # the item's text is its target as well
        elif kind == "co":
            header.co.append(col)
        elif kind in LINKED + ("seq", "lead", "resp", "due", "target") and getattr(header, kind) is None:
            setattr(header, kind, col)
    return header


def find_header(value: Callable[[int, int], object], n_rows: int, n_cols: int) -> Header | None:
    """The best-scoring row — or pair of rows, for a merged group heading above the real labels — among the
    first rows. `value(r, c)` must already spread merged header cells over the cells they cover."""
    rows = [
        [normalise_label(value(r, c)) for c in range(n_cols)]
        for r in range(min(n_rows, HEADER_SEARCH_ROWS + 1))
    ]
    singles = [_header_from(labels, r, r) for r, labels in enumerate(rows)]
    candidates = list(singles)
    for r in range(len(rows) - 1):
        paired = [low or up for up, low in zip(rows[r], rows[r + 1], strict=True)]
        pair = _header_from(paired, r, r + 1)
        if pair.score > max(singles[r].score, singles[r + 1].score):
            candidates.append(pair)
    best: Header | None = None
    for header in sorted(candidates, key=lambda h: h.first_row):
        if header.levels and header.score >= 2 and (best is None or header.score > best.score):
            best = header
    return best
