"""The gap analysis as a workbook for the office's own notes and reports: the indicator table, the first-level
groups against the target zone, and the whole ranking."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.assessment.benchmarking import GapPage
from luoshi.assessment.models import Benchmark
from luoshi.sheets.cells import append_row

BOLD = Font(bold=True)


def _table(sheet: Worksheet, headers: list[str], rows: list[list[object]]) -> None:
    append_row(sheet, headers)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in rows:
        append_row(sheet, row)
    for col, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = max(10, min(40, 2 * len(header) + 2))


def gap_workbook(benchmark: Benchmark, page: GapPage) -> bytes:
    found = page.found
    book = Workbook()
    sheet = book.active
    sheet.title = _("差距分析")
    append_row(sheet, [f"{benchmark.scheme.name} · {benchmark.name} · {benchmark.period}"])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(
        sheet,
        [_("本区"), found.unit, _("得分"), round(found.score, 4), _("排名"), found.rank, _("参评"), page.n],
    )
    append_row(
        sheet,
        [_("目标名次"), found.target, _("所需得分"), round(found.needed_score, 4), _("差距"), round(found.gap, 4),
         _("目标名次的高新区"), found.target_unit]
    )  # fmt: skip
    sheet.append([])
    _table(
        sheet,
        [_("指标代码"), _("指标"), _("一级指标"), _("计量单位"), _("本区数值"), _("最佳值"),
         _("每提升一个单位的得分"), _("达到最佳值可增加得分"), _("达到最佳值后的排名"),
         _("单独达到目标名次所需数值")],
        [
            [line.code, line.name, line.group, line.unit_of_measure, line.found.value, line.found.best,
             line.found.marginal, line.found.gain, line.found.rank_at_best,
             _("无法单独达到") if line.needed is None else line.needed]
            for line in page.indicators
        ],
    )  # fmt: skip
    sheet.append([])
    _table(
        sheet,
        [_("一级指标"), _("满分"), _("本区分值"), _("本区排名"), _("目标名次高新区分值"), _("其排名")],
        [[g.name, g.full, g.ours, g.our_rank, g.theirs, g.their_rank] for g in page.groups],
    )
    ranking = book.create_sheet(_("排名"))
    _table(
        ranking,
        [_("排名"), _("名称"), _("得分"), *[g.name for g in page.groups]],
        [[p.rank, p.name, p.score, *p.groups] for p in page.ranking],
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
