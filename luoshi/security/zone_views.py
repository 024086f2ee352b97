"""Zone pages of the security controls: the admin's security settings and the auditor's audit trail."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.audit.queries import detail_text, zone_events
from luoshi.org import actions as org_actions
from luoshi.org.models import Membership
from luoshi.org.queries import Access, can_manage_zone, get_person, zone_memberships
from luoshi.org.zones import ZoneRequest, auditor_view, zone_view
from luoshi.security import lockouts
from luoshi.security.audit_forms import AuditFilterForm
from luoshi.security.forms import SecuritySettingsForm
from luoshi.sheets.cells import append_row
from luoshi.sheets.layout import new_sheet

EXPORT_LIMIT = 50_000  # rows per export; narrow the dates for more


@zone_view
def security_settings(request: ZoneRequest, access: Access) -> HttpResponse:
    if not can_manage_zone(access):
        raise Http404
    form = SecuritySettingsForm(
        request.POST or None, instance=access.zone.__class__.objects.get(pk=access.zone.pk)
    )
    if request.method == "POST" and form.is_valid():
        changed = org_actions.update_security_settings(access.zone, form.cleaned_data, request.user)
        messages.success(request, _("安全设置已保存") if changed else _("没有修改"))
        return redirect("security:settings", access.zone.code)
    people = {m.user.username: m.user for m in zone_memberships(access)}
    locked = [people[name] for name in sorted(lockouts.locked_usernames(list(people)))]
    return render(request, "security/settings.html", {"form": form, "locked": locked, "nav": "security"})


@require_POST
@zone_view
def unlock(request: ZoneRequest, access: Access, user_id: int) -> HttpResponse:
    """The zone's admin unlocks one of the zone's people before the lockout runs out."""
    person = get_person(access, user_id)
    lockouts.unlock(person.username, by=request.user, zone=access.zone)
    messages.success(request, _("已解除“%(name)s”的锁定") % {"name": person.first_name or person.username})
    return redirect("security:settings", access.zone.code)


def _events(access: Access, form: AuditFilterForm) -> QuerySet[AuditEvent]:
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    filters["usernames"] = Membership.objects.filter(zone=access.zone).values("user__username")
    return zone_events(access.zone.pk, filters).select_related("user")


@require_safe
@auditor_view
def audit_list(request: ZoneRequest, access: Access) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    page = Paginator(_events(access, form), 100).get_page(request.GET.get("page"))
    for row in page:
        row.detail_text = detail_text(row)  # type: ignore[attr-defined]  # for the template only
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "nav": "audit"}
    return render(request, "security/audit_list.html", context)


@require_safe
@auditor_view
def audit_export(request: ZoneRequest, access: Access) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    rows = _events(access, form)[:EXPORT_LIMIT]
    book, sheet = new_sheet(_("审计记录"))
    append_row(
        sheet, [_("时间"), _("账号"), _("园区"), _("地址"), _("事件"), _("对象"), _("结果"), _("详情")]
    )
    count = 0
    for row in rows.iterator(chunk_size=2000):
        when = timezone.localtime(row.time).strftime("%Y-%m-%d %H:%M:%S")
        values = [when, row.username, row.zone_code, row.address or "", row.get_event_display()]
        values += [row.object_repr, row.get_outcome_display(), detail_text(row)]
        append_row(sheet, values)
        count += 1
    record(Event.AUDIT_EXPORT, request=request, detail={"rows": count, "filters": request.GET.urlencode()})
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename=audit.xlsx"
    book.save(response)
    return response
