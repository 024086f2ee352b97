"""The gap analysis as a workbook for the office's own notes and reports: the indicator table, the first-level
groups against the target zone, and the whole ranking."""

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.assessment.benchmarking import GapPage
from luoshi.assessment.models import Benchmark
from luoshi.sheets.cells import append_row
from luoshi.sheets.layout import column_widths, header_row, new_sheet, title_row, workbook_bytes

BOLD = Font(bold=True)


def _table(sheet: Worksheet, headers: list[str], rows: list[list[object]]) -> None:
    header_row(sheet, headers, font=BOLD, alignment=None, border=None)
    for row in rows:
        append_row(sheet, row)
    column_widths(sheet, (max(10, min(40, 2 * len(header) + 2)) for header in headers))


def gap_workbook(benchmark: Benchmark, page: GapPage) -> bytes:
    found = page.found
    book, sheet = new_sheet(_("差距分析"))
    title = f"{benchmark.scheme.name} · {benchmark.name} · {benchmark.period}"
    title_row(sheet, 1, title, 1, Font(bold=True, size=14), alignment=None)
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
    return workbook_bytes(book)
