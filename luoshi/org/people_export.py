"""The zone's people as a workbook for the admin: names, accounts, roles and contact details."""

from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from luoshi.org.models import Account
from luoshi.org.queries import Access, zone_memberships
from luoshi.sheets.cells import append_row
from luoshi.sheets.layout import column_widths, new_sheet, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def people_rows(access: Access) -> list[list[str]]:
    people: dict[int, list[str]] = {}
    roles: dict[int, list[str]] = {}
    for m in zone_memberships(access):
        people.setdefault(m.user_id, [m.user.first_name, m.user.username, m.user.email])
        role = str(m.get_role_display()) + (f"（{m.unit.name}）" if m.unit else "")
        roles.setdefault(m.user_id, []).append(role)
    phones = dict(Account.objects.filter(user_id__in=people).values_list("user_id", "phone"))
    return [[*person, phones.get(pk, ""), "、".join(roles[pk])] for pk, person in people.items()]


def people_workbook(rows: list[list[str]]) -> Workbook:
    book, sheet = new_sheet(_("人员名单"))
    append_row(sheet, [_("姓名"), _("用户名"), _("电子邮箱"), _("手机号码"), _("角色")])
    for row in rows:
        append_row(sheet, row)
    column_widths(sheet, (12, 16, 28, 16, 40))
    return book


def xlsx_response(book: Workbook, title: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(book), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.xlsx"
    return response
