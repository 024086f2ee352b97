"""Reading the audit trail: a zone's rows, filtered as the auditor asks."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.audit.models import AuditEvent


def zone_events(zone_id: int, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """A zone's rows and the logins of its people (login rows carry no zone: a login is not in any zone yet)."""
    rows = AuditEvent.objects.filter(
        Q(zone_id=zone_id) | Q(zone__isnull=True, username__in=filters["usernames"])
    )
    if filters.get("person"):
        rows = rows.filter(username__icontains=filters["person"])
    if filters.get("event"):
        rows = rows.filter(event=filters["event"])
    if filters.get("outcome"):
        rows = rows.filter(outcome=filters["outcome"])
    if filters.get("address"):
        rows = rows.filter(address=filters["address"])
    if filters.get("start"):
        rows = rows.filter(time__gte=_midnight(filters["start"]))
    if filters.get("end"):
        rows = rows.filter(time__lt=_midnight(filters["end"] + timedelta(days=1)))
    return rows.order_by("-time", "-id")


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def detail_text(row: AuditEvent) -> str:
    """The row's details in words for the auditor: settings as old → new, counts and roles as they are."""
    parts = []
    for key, value in (row.detail or {}).items():
        label = DETAIL_LABELS.get(key, key)
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{label}：{_word(value[0])} → {_word(value[1])}")
        elif key == "role":
            parts.append(f"{label}：{ROLE_LABELS.get(value, value)}")
        elif value not in ("", None, {}, []):
            parts.append(f"{label}：{_word(value)}")
    return "；".join(parts)


def _word(value: object) -> str:
    if value is True:
        return str(_("是"))
    if value is False:
        return str(_("否"))
    return str(value)


DETAIL_LABELS = {
    "role": _("角色"),
    "unit": _("单位"),
    "rows": _("行数"),
    "active": _("启用"),
    "reason": _("原因"),
    "device": _("认证方式"),
    "sessions": _("会话数"),
    "attempts": _("失败记录"),
    "days": _("保留天数"),
    "deleted": _("删除条数"),
    "enabled": _("启用"),
    "two_factor_required": _("双因素认证"),
    "session_idle_minutes": _("无操作退出（分钟）"),
    "session_max_hours": _("会话有效期（小时）"),
    "password_max_age_days": _("密码有效期（天）"),
    "lockout_failures": _("锁定次数"),
    "lockout_minutes": _("锁定时长（分钟）"),
}
ROLE_LABELS = {
    "admin": _("管理员"),
    "supervisor": _("督查室"),
    "leader": _("领导"),
    "unit_head": _("单位负责人"),
    "liaison": _("联络员"),
    "viewer": _("只读用户"),
    "auditor": _("审计管理员"),
}
