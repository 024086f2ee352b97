"""The plan as the task decomposition list offices keep (任务分解表): one column per level, a task's cell merged
down over its measures, numbering kept in the text. Importing the file gives back the same plan."""

from datetime import date
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from luoshi.plans.models import Plan, PlanItem
from luoshi.sheets.cells import write_cell

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


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


def export_plan_xlsx(plan: Plan, items: list[PlanItem]) -> bytes:
    """`items` in tree order, each with `co_unit_list` (as plans.queries.visible_plan_items gives them)."""
    ids = {item.pk for item in items}
    depth_of = {item.pk: item.depth for item in items}
    has_children = {item.parent_id for item in items if item.parent_id in ids}
    levels = max((item.depth for item in items), default=1)
    level_names = [plan.level_name(n) for n in range(1, levels + 1)]
    headers = [_("序号"), *level_names, _("牵头单位"), _("配合单位"), _("完成时限"), _("工作目标")]
    first_unit_col = 2 + levels

    wb = Workbook()
    ws = wb.active
    ws.title = _("任务分解表")[:31]
    write_cell(ws, 1, 1, plan.title).font = Font(name="黑体", size=16, bold=True)
    ws.cell(row=1, column=1).alignment = CENTER
    ws.merge_cells(start_row=1, end_row=1, start_column=1, end_column=len(headers))
    ws.row_dimensions[1].height = 36
    for col, header in enumerate(headers, start=1):
        cell = write_cell(ws, 2, col, header)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = CENTER
        cell.border = BORDER

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
        if item.pk not in has_children:
            seq += 1
            write_cell(ws, row, 1, seq)
        write_cell(ws, row, first_unit_col, item.lead_unit.name if item.lead_unit else None)
        write_cell(ws, row, first_unit_col + 1, "、".join(u.name for u in item.co_unit_list) or None)
        due_cell = write_cell(ws, row, first_unit_col + 2, _due(item))
        if isinstance(due_cell.value, date):
            due_cell.number_format = "yyyy-mm-dd"
        write_cell(ws, row, first_unit_col + 3, item.goal or None)

    for item in items:
        col = 1 + depth_of[item.pk]
        top, bottom = first_row[item.pk], last_row[item.pk]
        write_cell(ws, top, col, _text(item))
        if bottom > top:
            ws.merge_cells(start_row=top, end_row=bottom, start_column=col, end_column=col)

    body_font = Font(name="宋体", size=11)
    for r in ws.iter_rows(min_row=3, max_row=row, max_col=len(headers)):
        for cell in r:
            cell.border = BORDER
            cell.font = body_font
            cell.alignment = CENTER if cell.column in (1, first_unit_col + 2) else WRAP
    widths = [6] + [28 if n < levels else 44 for n in range(1, levels + 1)] + [18, 26, 14, 30]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "B3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
