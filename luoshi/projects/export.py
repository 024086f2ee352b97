"""The ledger as offices print it (重点项目推进情况表): a merged title, a two-row header with the year's
investment grouped under one heading, sub-projects indented under their major project, a 合计 row, frozen
headings, landscape A4 with the headings repeated on every page."""

from collections import defaultdict
from collections.abc import Sequence
from copy import copy
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.alerts.choices import Level
from luoshi.org.models import Zone
from luoshi.projects.listing import LedgerRow, LedgerTotals, month_span
from luoshi.sheets.cells import set_value, write_cell
from luoshi.sheets.layout import (
    BORDER,
    CENTER,
    HEAD_FONT,
    RIGHT,
    WRAP,
    Group,
    column_widths,
    freeze_below,
    new_sheet,
    print_setup,
    style_range,
    subtitle_row,
    title_row,
    two_row_header,
    workbook_bytes,
)

INDENTED = Alignment(wrap_text=True, vertical="center", indent=2)
TITLE_FONT = Font(name="方正小标宋简体", size=18, bold=True)
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
    done = _("%(span)s完成") % {"span": month_span(month)} if month else _("累计完成")
    investment = Group(
        _("%(year)d年投资（%(unit)s）") % {"year": year, "unit": unit_label},
        (_("年度计划"), done, _("完成率（%）"), _("序时进度（%）")),
    )
    headings = (
        _("序号"),
        _("项目名称"),
        _("建设单位"),
        _("项目类别"),
        _("建设内容及规模"),
        _("总投资（%(unit)s）") % {"unit": unit_label},
        investment,
        _("所处阶段"),
        _("形象进度"),
        _("存在问题"),
        _("责任单位"),
        _("包抓领导"),
        _("预警"),
    )
    two_row_header(ws, HEAD_ROWS[0], headings)


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
    month = max((r.project.completed_month or 0 for r in rows), default=0) or None

    book, ws = new_sheet(_("重点项目"))
    title = _("%(zone)s%(year)d年重点项目推进情况表") % {"zone": zone.short_name or zone.name, "year": year}
    title_row(ws, 1, title, len(WIDTHS), TITLE_FONT, height=40)
    subtitle_row(ws, 2, _("金额单位：%(unit)s") % {"unit": unit_label}, len(WIDTHS))
    _headers(ws, year, month, unit_label)
    last_row = _body(ws, rows, blockers, unit)
    _total_row(ws, last_row + 1, totals, unit)
    column_widths(ws, WIDTHS)
    freeze_below(ws, HEAD_ROWS[1], columns=2)
    print_setup(ws, HEAD_ROWS, centered=True)
    return workbook_bytes(book)


def _body(ws: Worksheet, rows: Sequence[LedgerRow], blockers: Sequence[tuple[int, str]], unit: str) -> int:
    """The projects under the headings, sub-projects numbered and indented under their major project; returns
    the last row written."""
    open_blockers: dict[int, list[str]] = defaultdict(list)
    for project_id, description in blockers:
        open_blockers[project_id].append(description)
    ids = {r.project.pk for r in rows}
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
        fill = LEVEL_FILLS[p.worst_level] if line.level else None  # type: ignore[attr-defined]
        for col, value in enumerate(_values(line, seq, open_blockers[p.pk], unit), start=1):
            cell = ws.cell(row=row_no, column=col)
            _style_body_cell(styles, cell, sub, fill)
            set_value(cell, value if value != "" else None)  # after the style, which it may add to
    return row_no


def _values(line: LedgerRow, seq: str, blockers: list[str], unit: str) -> tuple[object, ...]:
    p = line.project
    blocker_text = "\n".join(
        f"{n}. {text}" if len(blockers) > 1 else text for n, text in enumerate(blockers, start=1)
    )
    return (
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


def _style_body_cell(styles: _BodyStyles, cell: Cell, sub: bool, fill: PatternFill | None) -> None:
    col = cell.column
    if col == 2 and sub:
        styles.apply(cell, INDENTED)
    elif col in MONEY_COLUMNS:
        styles.apply(cell, WRAP, MONEY_FORMAT)
    elif col in (9, 10):
        styles.apply(cell, CENTER, SHARE_FORMAT)
    elif col == 16 and fill is not None:
        styles.apply(cell, CENTER, fill=fill)
    else:
        styles.apply(cell, CENTER if col in (1, 4, 11, 15, 16) else WRAP)


def _total_row(ws: Worksheet, row: int, totals: LedgerTotals, unit: str) -> None:
    write_cell(ws, row, 1, _("合计"))
    ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=5)
    for col, value in (
        (6, _amount(totals.total_wan, unit)),
        (7, _amount(totals.annual_wan, unit)),
        (8, _amount(totals.completed_wan, unit)),
        (9, totals.completion),
    ):
        write_cell(ws, row, col, value).number_format = MONEY_FORMAT if col < 9 else SHARE_FORMAT
    style_range(ws, (row, row), len(WIDTHS), font=HEAD_FONT, alignment=RIGHT)
    ws.cell(row=row, column=1).alignment = CENTER
