"""The plan as the task decomposition list offices keep (任务分解表): one column per level, a task's cell merged
down over its measures, numbering kept in the text. Importing the file gives back the same plan."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.plans.models import Plan, PlanItem
from luoshi.sheets.cells import write_cell
from luoshi.sheets.layout import (
    CENTER,
    WRAP,
    column_widths,
    freeze_below,
    header_row,
    new_sheet,
    print_setup,
    style_range,
    title_row,
    workbook_bytes,
)


def _owns_row(item: PlanItem, has_children: bool) -> bool:
    """A parent needs a row of its own only when it carries its own units, deadline or goal."""
    if not has_children:
        return True
    return bool(item.lead_unit_id or item.co_unit_list or item.due_text or item.due_date or item.goal)


def _text(item: PlanItem) -> str:
    head = f"{item.code}{item.title}"
    return f"{head}\n{item.description}" if item.description else head


def _due(item: PlanItem) -> str | date | None:
    """The deadline as the office wrote it, else the date itself as an Excel date."""
    return item.due_text or item.due_date


def export_filename(plan: Plan) -> str:
    """`2026年…计划.xlsx`: the year in front unless the title already starts with it."""
    year = f"{plan.year}年"
    title = plan.title if plan.title.startswith(str(plan.year)) else f"{year}{plan.title}"
    return f"{title}.xlsx"


def latest_progress(items: list[PlanItem]) -> dict[int, Decimal]:
    """Each item's latest reported progress (%), from the reporting app's pulse row (one per item, the newest
    counted report first). Plans sits below reporting and must not import it; rather than a registry hook that
    reporting would fill at start-up, the export reads that row through its reverse relation by name: one query,
    no import, and the same figure the warning sweep reads."""
    ids = [item.pk for item in items]
    rows = PlanItem.objects.filter(pk__in=ids, pulse__isnull=False).values_list("pk", "pulse__progress")
    return {pk: Decimal(str(figures[0])) for pk, figures in rows if figures}


def export_plan_xlsx(plan: Plan, items: list[PlanItem]) -> bytes:
    """`items` in tree order, each with `co_unit_list` (as plans.queries.visible_plan_items gives them)."""
    levels = max((item.depth for item in items), default=1)
    level_names = [plan.level_name(n) for n in range(1, levels + 1)]
    headers = [_("序号"), *level_names, _("牵头单位"), _("配合单位"), _("完成时限"), _("工作目标")]
    headers += [_("状态"), _("最新进度")]

    book, ws = new_sheet(_("任务分解表"))
    title_row(ws, 1, plan.title, len(headers), Font(name="黑体", size=16, bold=True), height=36)
    header_row(ws, headers, row=2)
    last_row = _write_items(ws, items, levels, latest_progress(items))
    _style_body(ws, last_row, len(headers), date_column=levels + 4)
    widths = [6] + [28 if n < levels else 44 for n in range(1, levels + 1)] + [18, 26, 14, 30, 10, 10]
    column_widths(ws, widths)
    freeze_below(ws, 2, columns=1)
    print_setup(ws, (2, 2), a4=False)
    return workbook_bytes(book)


def _write_items(ws: Worksheet, items: list[PlanItem], levels: int, progress: dict[int, Decimal]) -> int:
    """One row per item that owns one, each item's text in its level's column merged down over the rows
    under it; returns the last row written."""
    ids = {item.pk for item in items}
    has_children = {item.parent_id for item in items if item.parent_id in ids}
    first_unit_col = 2 + levels
    row = 2
    first_row: dict[int, int] = {}
    last_row: dict[int, int] = {}
    open_ancestors: list[PlanItem] = []
    seq = 0
    for item in items:
        while open_ancestors and not item.path.startswith(open_ancestors[-1].path):
            open_ancestors.pop()
        if not _owns_row(item, item.pk in has_children):
            first_row[item.pk] = row + 1
            open_ancestors.append(item)
            continue
        row += 1
        first_row.setdefault(item.pk, row)
        last_row[item.pk] = row
        for ancestor in open_ancestors:
            last_row[ancestor.pk] = row
        if item.pk in has_children:
            open_ancestors.append(item)
        else:
            seq += 1
            write_cell(ws, row, 1, seq)
        _write_units(ws, row, first_unit_col, item)
        _write_state(ws, row, first_unit_col + 4, item, progress.get(item.pk))

    for item in items:
        col = 1 + item.depth
        top, bottom = first_row[item.pk], last_row[item.pk]
        write_cell(ws, top, col, _text(item))
        if bottom > top:
            ws.merge_cells(start_row=top, end_row=bottom, start_column=col, end_column=col)
    return row


def _write_units(ws: Worksheet, row: int, col: int, item: PlanItem) -> None:
    write_cell(ws, row, col, item.lead_unit.name if item.lead_unit else None)
    write_cell(ws, row, col + 1, "、".join(u.name for u in item.co_unit_list) or None)
    due_cell = write_cell(ws, row, col + 2, _due(item))
    if isinstance(due_cell.value, date):
        due_cell.number_format = "yyyy-mm-dd"
    write_cell(ws, row, col + 3, item.goal or None)


def _write_state(ws: Worksheet, row: int, col: int, item: PlanItem, progress: Decimal | None) -> None:
    """状态 as the office reads it, and the latest reported progress as a percentage (blank before any report)."""
    write_cell(ws, row, col, str(item.get_status_display()))
    if progress is not None:
        cell = write_cell(ws, row, col + 1, progress / 100)
        cell.number_format = "0.0%"


def _style_body(ws: Worksheet, last_row: int, width: int, date_column: int) -> None:
    body_font = Font(name="宋体", size=11)
    style_range(ws, (3, last_row), width, font=body_font)
    for line in ws.iter_rows(min_row=3, max_row=last_row, max_col=width):
        for cell in line:
            cell.alignment = CENTER if cell.column in (1, date_column) else WRAP
