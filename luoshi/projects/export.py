"""The ledger as offices print it (重点项目推进情况表): a merged title, a two-row header with the year's
investment grouped under one heading, sub-projects indented under their major project, a 合计 row, frozen
headings, landscape A4 with the headings repeated on every page."""

from collections import defaultdict
from collections.abc import Sequence
from copy import copy
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.alerts.choices import Level
from luoshi.org.models import Zone
from luoshi.projects.listing import LedgerRow, LedgerTotals, month_span
from luoshi.sheets.cells import set_value, write_cell

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
RIGHT = Alignment(vertical="center", horizontal="right")
INDENTED = Alignment(wrap_text=True, vertical="center", indent=2)
HEAD_FONT = Font(name="黑体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
MONEY_FORMAT = "#,##0.00"
SHARE_FORMAT = "0.0"
LEVEL_FILLS = {
    Level.RED: PatternFill("solid", fgColor="FECACA"),
    Level.YELLOW: PatternFill("solid", fgColor="FDE68A"),
    Level.BLUE: PatternFill("solid", fgColor="BFDBFE"),
}
WAN_PER_YI = Decimal(10000)
HEAD_ROWS = (3, 4)
# Columns: 序号, 项目名称, 建设单位, 类别, 建设内容, 总投资, [年度计划, 1-N月完成, 完成率, 序时进度], 所处阶段,
# 形象进度, 存在问题, 责任单位, 包抓领导, 预警.
WIDTHS = (6, 30, 24, 10, 36, 12, 12, 12, 9, 9, 10, 30, 34, 16, 10, 8)
GROUP_FIRST, GROUP_LAST = 7, 10
MONEY_COLUMNS = (6, 7, 8)


def _amount(value: Decimal, unit: str) -> float:
    return float(value / WAN_PER_YI) if unit == "yi" else float(value)


class _BodyStyles:
    """Each body style is set on one cell and copied to the others: openpyxl hashes a style object on every
    assignment, which costs more than everything else in a ledger of thousands of rows."""

    def __init__(self) -> None:
        self.made: dict[tuple[int, str, int], StyleArray] = {}

    def apply(
        self,
        cell: Cell,
        alignment: Alignment,
        number_format: str = "General",
        fill: PatternFill | None = None,
    ) -> None:
        key = (id(alignment), number_format, id(fill))
        if key in self.made:
            cell._style = copy(self.made[key])
            return
        cell.border, cell.font, cell.alignment, cell.number_format = (
            BORDER,
            BODY_FONT,
            alignment,
            number_format,
        )
        if fill is not None:
            cell.fill = fill
        self.made[key] = copy(cell._style)


def _headers(ws: Worksheet, year: int, month: int | None, unit_label: str) -> None:
    singles = {
        1: _("序号"),
        2: _("项目名称"),
        3: _("建设单位"),
        4: _("项目类别"),
        5: _("建设内容及规模"),
        6: _("总投资（%(unit)s）") % {"unit": unit_label},
        11: _("所处阶段"),
        12: _("形象进度"),
        13: _("存在问题"),
        14: _("责任单位"),
        15: _("包抓领导"),
        16: _("预警"),
    }
    top, bottom = HEAD_ROWS
    for col, text in singles.items():
        write_cell(ws, top, col, text)
        ws.merge_cells(start_row=top, end_row=bottom, start_column=col, end_column=col)
    write_cell(ws, top, GROUP_FIRST, _("%(year)d年投资（%(unit)s）") % {"year": year, "unit": unit_label})
    ws.merge_cells(start_row=top, end_row=top, start_column=GROUP_FIRST, end_column=GROUP_LAST)
    done = _("%(span)s完成") % {"span": month_span(month)} if month else _("累计完成")
    for col, text in zip(
        range(GROUP_FIRST, GROUP_LAST + 1),
        (_("年度计划"), done, _("完成率（%）"), _("序时进度（%）")),
        strict=True,
    ):
        write_cell(ws, bottom, col, text)
    for row in ws.iter_rows(min_row=top, max_row=bottom, max_col=len(WIDTHS)):
        for cell in row:
            cell.font, cell.alignment, cell.border = HEAD_FONT, CENTER, BORDER


def export_ledger_xlsx(
    zone: Zone,
    year: int,
    rows: Sequence[LedgerRow],
    totals: LedgerTotals,
    blockers: Sequence[tuple[int, str]],
    unit: str,
) -> bytes:
    """`rows` in ledger order; `blockers` the open ones as (project id, description); `unit` "wan" or "yi"."""
    unit_label = _("亿元") if unit == "yi" else _("万元")
    open_blockers: dict[int, list[str]] = defaultdict(list)
    for project_id, description in blockers:
        open_blockers[project_id].append(description)
    month = max((r.project.completed_month or 0 for r in rows), default=0) or None
    ids = {r.project.pk for r in rows}

    wb = Workbook()
    ws = wb.active
    ws.title = _("重点项目")
    title = _("%(zone)s%(year)d年重点项目推进情况表") % {"zone": zone.short_name or zone.name, "year": year}
    write_cell(ws, 1, 1, title).font = Font(name="方正小标宋简体", size=18, bold=True)
    ws.cell(row=1, column=1).alignment = CENTER
    ws.merge_cells(start_row=1, end_row=1, start_column=1, end_column=len(WIDTHS))
    ws.row_dimensions[1].height = 40
    write_cell(ws, 2, 1, _("金额单位：%(unit)s") % {"unit": unit_label}).alignment = RIGHT
    ws.merge_cells(start_row=2, end_row=2, start_column=1, end_column=len(WIDTHS))
    _headers(ws, year, month, unit_label)

    row_no = HEAD_ROWS[1]
    major, minor = 0, 0
    styles = _BodyStyles()
    for line in rows:
        p = line.project
        row_no += 1
        sub = p.parent_id in ids
        if sub:
            minor += 1
            seq = f"{major}.{minor}"
        else:
            major, minor = major + 1, 0
            seq = str(major)
        blocker_text = "\n".join(
            f"{n}. {text}" if len(open_blockers[p.pk]) > 1 else text
            for n, text in enumerate(open_blockers[p.pk], start=1)
        )
        values = (
            seq,
            p.name,
            p.owner,
            line.category,
            p.content,
            _amount(p.total_investment_wan, unit),
            _amount(p.annual_plan_wan, unit),
            _amount(p.completed_wan, unit),
            line.completion,
            line.pace.time_share if line.pace else None,
            line.stage,
            p.progress_text,
            blocker_text,
            p.lead_unit.name if p.lead_unit else "",
            p.leader,
            line.level,
        )
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row_no, column=col)
            if col == 2 and sub:
                styles.apply(cell, INDENTED)
            elif col in MONEY_COLUMNS:
                styles.apply(cell, WRAP, MONEY_FORMAT)
            elif col in (9, 10):
                styles.apply(cell, CENTER, SHARE_FORMAT)
            elif col == 16 and value:
                styles.apply(cell, CENTER, fill=LEVEL_FILLS[p.worst_level])  # type: ignore[attr-defined]
            else:
                styles.apply(cell, CENTER if col in (1, 4, 11, 15, 16) else WRAP)
            set_value(cell, value if value != "" else None)  # after the style, which it may add to

    row_no += 1
    write_cell(ws, row_no, 1, _("合计"))
    ws.merge_cells(start_row=row_no, end_row=row_no, start_column=1, end_column=5)
    for col, value in (
        (6, _amount(totals.total_wan, unit)),
        (7, _amount(totals.annual_wan, unit)),
        (8, _amount(totals.completed_wan, unit)),
        (9, totals.completion),
    ):
        write_cell(ws, row_no, col, value).number_format = MONEY_FORMAT if col < 9 else SHARE_FORMAT
    for cell in ws[row_no][: len(WIDTHS)]:
        cell.border, cell.font = BORDER, HEAD_FONT
        cell.alignment = CENTER if cell.column == 1 else RIGHT

    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    # By name: with no rows the cell under the headings is inside the merged 合计 and not a Cell.
    ws.freeze_panes = f"C{HEAD_ROWS[1] + 1}"
    ws.print_title_rows = f"{HEAD_ROWS[0]}:{HEAD_ROWS[1]}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
