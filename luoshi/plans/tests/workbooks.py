"""Build plan files in memory for tests: Excel task lists and Word notices as offices write them.

make_xlsx([HEADER, [1, "培育创新主体", "区科技局", "区财政局", "6月底前", "新增高企100家"]],
          title="青岛高新区2026年重点工作任务分解表")
"""

from collections.abc import Iterable, Sequence
from io import BytesIO

import docx
import openpyxl
from openpyxl.utils import get_column_letter

from luoshi.plans.parsing import ParsedPlan, parse_plan_file

# The most common layout: one text column per level, units, deadline, target.
HEADER: list[object] = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限", "工作目标"]
FLAT_HEADER = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "工作目标"]

# A small but complete plan: two tasks merged down over their measures, units, deadlines, a target.
SAMPLE_ROWS: list[list[object]] = [
    HEADER,
    [
        "一",
        "提升科技创新能力",
        "实施高新技术企业倍增计划",
        "区科技创新局",
        "区财政局、区发展和改革局",
        "2026年12月底前",
        "新增高企100家",
    ],
    [None, None, "建设重大创新平台", "区科技创新局", "区财政局", "6月底前完成设计，12月底前建成投用", ""],
    ["二", "优化营商环境", "深化“一网通办”改革", "区行政审批局", "区大数据局", "第三季度", "办件网办率90%"],
    [None, None, "开展政策兑现专项行动", "区发展和改革局", "区财政局（牵头）、区审计局", "持续推进", ""],
]
SAMPLE_MERGES = ["B2:B3", "A2:A3", "B4:B5", "A4:A5"]
SAMPLE_TITLE = "青岛高新区2026年重点工作任务分解表"


def make_xlsx(
    rows: Sequence[Sequence[object]],
    merges: Iterable[str] = (),
    title: str | None = None,
    *,
    sheet: str = "任务分解表",
    extra_sheets: dict[str, Sequence[Sequence[object]]] | None = None,
    active_first: bool = True,
) -> bytes:
    """An .xlsx whose first sheet holds `rows` from A1 — or from A2 under a merged `title` row spanning the
    table's width (then give `merges` for the table as if it started at A1: they are shifted down too)."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    offset = 0
    if title is not None:
        width = max((len(row) for row in rows), default=1)
        ws.append([title])
        if width > 1:
            ws.merge_cells(f"A1:{get_column_letter(width)}1")
        offset = 1
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(_shift(ref, offset))
    for name, extra in (extra_sheets or {}).items():
        other = workbook.create_sheet(name, index=None if active_first else 0)
        for row in extra:
            other.append(list(row))
    return _save(workbook)


def sample_xlsx() -> bytes:
    return make_xlsx(SAMPLE_ROWS, SAMPLE_MERGES, title=SAMPLE_TITLE)


def big_rows(n: int, tasks_every: int = 5) -> list[list[object]]:
    """`n` measure rows under tasks of `tasks_every` measures each (task cells left blank below: fill-down)."""
    rows: list[list[object]] = [HEADER]
    for i in range(n):
        task = f"第{i // tasks_every + 1}项重点任务：推动产业高质量发展" if i % tasks_every == 0 else None
        rows.append(
            [
                i + 1,
                task,
                f"实施第{i + 1}项具体措施，加快推进项目建设，确保按期完成年度目标任务。",
                "区科技创新局",
                "区财政局、区发展和改革局、区自然资源局",
                f"{i % 12 + 1}月底前",
                f"完成投资{i % 90 + 10}亿元",
            ]
        )
    return rows


def make_docx(
    paragraphs: Iterable[str | tuple[str, str]] = (),
    tables: Iterable[Sequence[Sequence[object]] | tuple[Sequence[Sequence[object]], Iterable[str]]] = (),
) -> bytes:
    """A .docx with `paragraphs` (text, or (style name, text) e.g. ("List Number", "…") for Word's own
    numbering), followed by `tables` (rows, or (rows, merges like "A2:A3")), in that order."""
    document = docx.Document()
    for paragraph in paragraphs:
        if isinstance(paragraph, tuple):
            document.add_paragraph(paragraph[1], style=paragraph[0])
        else:
            document.add_paragraph(paragraph)
    for table in tables:
        rows, merges = table if isinstance(table, tuple) else (table, ())
        width = max(len(row) for row in rows)
        grid = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    grid.cell(r, c).text = str(value)
        for ref in merges:
            (r0, c0), (r1, c1) = (_cell_index(part) for part in ref.split(":"))
            grid.cell(r0, c0).merge(grid.cell(r1, c1))
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def assert_consistent_tree(plan: ParsedPlan) -> None:
    """Refs are n1, n2, … in order; parents come earlier and sit higher; problems are well-formed."""
    levels: dict[str, int] = {}
    for i, node in enumerate(plan.nodes):
        assert node.ref == f"n{i + 1}"
        assert node.parent is None or node.parent in levels
        assert node.level > (levels[node.parent] if node.parent else 0)
        levels[node.ref] = node.level
    assert all(p.severity in ("error", "warning") and p.message for p in plan.problems)


def _save(workbook: openpyxl.Workbook) -> bytes:
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell_index(ref: str) -> tuple[int, int]:
    """Cell "B3" → (2, 1): 0-based row and column."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    column = 0
    for ch in letters.upper():
        column = column * 26 + ord(ch) - 64
    return int(ref[len(letters) :]) - 1, column - 1


def _shift(ref: str, rows: int) -> str:
    parts = []
    for part in ref.split(":"):
        r, c = _cell_index(part)
        parts.append(f"{get_column_letter(c + 1)}{r + 1 + rows}")
    return ":".join(parts)


Y = 2026


def parse(data: bytes, filename: str = "plan.xlsx") -> ParsedPlan:
    return parse_plan_file(data, filename, Y)


def tree(plan: ParsedPlan) -> list[tuple[int, str, str]]:
    """(level, code, title) per node, to compare shapes at a glance."""
    return [(n.level, n.code, n.title) for n in plan.nodes]


def problems(plan: ParsedPlan, severity: str | None = None) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in plan.problems if severity in (None, p.severity)]
