"""Reminders to units before, at and after a report deadline, and the Monday digest for leaders.

Set-based: one grouped query per open period finds the units that still owe reports. Every message carries a
dedupe key, so running this every few minutes (`luoshi remind --loop`) sends each reminder exactly once."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.notices.actions import notify, notify_group
from luoshi.notices.choices import NoticeKind
from luoshi.org.choices import UNIT_ROLES, Role
from luoshi.org.models import Membership, Unit, Zone
from luoshi.plans.models import PlanItem
from luoshi.reporting.choices import HANDED_IN
from luoshi.reporting.models import Period, Report
from luoshi.reporting.queries import due_items_q

BEFORE = timedelta(hours=24)  # "due tomorrow" reminder
AT = timedelta(hours=4)  # the deadline has just passed
AFTER = timedelta(days=1)  # still missing a day later


@dataclass
class Sent:
    reminders: int = 0
    digests: int = 0


def _stage(period: Period, now: datetime) -> str | None:
    if period.due_at - BEFORE <= now < period.due_at:
        return "before"
    if period.due_at <= now < period.due_at + AT:
        return "at"
    if now >= period.due_at + AFTER:
        return "after"
    return None


def owing_units(period: Period) -> dict[int, int]:
    """Lead unit → how many of its due items have no handed-in report for the period (one query)."""
    handed_in = Report.objects.filter(item=OuterRef("pk"), period=period, status__in=HANDED_IN)
    rows = (
        PlanItem.objects.filter(plan_id=period.cycle.plan_id)
        .filter(due_items_q())
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=period.ends_on))
        .filter(~Exists(handed_in))
        .values_list("lead_unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def _unit_people(zone: Zone, unit_ids: list[int]) -> dict[int, list[User]]:
    people: dict[int, list[User]] = defaultdict(list)
    for membership in Membership.objects.filter(
        zone=zone, unit_id__in=unit_ids, role__in=UNIT_ROLES
    ).select_related("user"):
        unit_people = people[membership.unit_id or 0]
        if membership.user not in unit_people:
            unit_people.append(membership.user)
    return people


@transaction.atomic
def send_reminders(now: datetime | None = None) -> Sent:
    now = now or timezone.now()
    sent = Sent()
    periods = Period.objects.filter(
        cycle__active=True, cycle__plan__status="issued", starts_on__lte=now.date(), closes_at__gt=now
    ).select_related("cycle__plan", "zone")
    for period in periods:
        stage = _stage(period, now)
        if stage is None:
            continue
        owing = owing_units(period)
        if not owing:
            continue
        people = _unit_people(period.zone, list(owing))
        units = Unit.objects.in_bulk(list(owing))
        link = reverse("reporting:fill", kwargs={"zone": period.zone.code})
        due = timezone.localtime(period.due_at).strftime("%m-%d %H:%M")
        for unit_id, count in owing.items():
            params = {"plan": period.cycle.plan.title, "period": period.label, "due": due, "n": count}
            if stage == "before":
                kind, title = (
                    NoticeKind.REPORT_DUE,
                    _("%(period)s周报将于%(due)s截止，还有 %(n)d 项未报") % params,
                )
            elif stage == "at":
                kind, title = (
                    NoticeKind.REPORT_DUE,
                    _("%(period)s周报已到截止时间，还有 %(n)d 项未报") % params,
                )
            else:
                kind, title = (
                    NoticeKind.REPORT_OVERDUE,
                    _("%(period)s周报逾期未报 %(n)d 项，请尽快补报") % params,
                )
            body = _("《%(plan)s》%(period)s，截止 %(due)s。") % params
            key = f"remind:{period.pk}:{unit_id}:{stage}"
            sent.reminders += notify(period.zone, people.get(unit_id, []), kind, title, body, link, key)
            notify_group(period.zone, units[unit_id], title, body, link, key)
    return sent


@transaction.atomic
def send_digests(now: datetime | None = None) -> Sent:
    """On Monday from 8 o'clock: last week's reporting at a glance for each zone's leaders."""
    now = timezone.localtime(now or timezone.now())
    sent = Sent()
    if now.weekday() != 0 or now.hour < 8:
        return sent
    last_week_end = now.date() - timedelta(days=1)
    year, week, _day = last_week_end.isocalendar()
    for zone in Zone.objects.filter(memberships__role=Role.LEADER).distinct():
        leaders = [
            m.user for m in Membership.objects.filter(zone=zone, role=Role.LEADER).select_related("user")
        ]
        periods = Period.objects.filter(zone=zone, ends_on=last_week_end).select_related("cycle__plan")
        lines = []
        for period in periods:
            owing = owing_units(period)
            due = PlanItem.objects.filter(plan_id=period.cycle.plan_id).filter(due_items_q()).count()
            handed_in = (
                Report.objects.filter(period=period, status__in=HANDED_IN).values("item").distinct().count()
            )
            late = Report.objects.filter(period=period, late=True, status__in=HANDED_IN).count()
            names = "、".join(Unit.objects.filter(pk__in=list(owing)).values_list("name", flat=True)[:5])
            lines.append(
                _("《%(plan)s》应报 %(due)d 项，已报 %(done)d 项，迟报 %(late)d 项；未报单位：%(units)s")
                % {
                    "plan": period.cycle.plan.title,
                    "due": due,
                    "done": handed_in,
                    "late": late,
                    "units": names or "—",
                }
            )
        if not lines:
            continue
        title = _("%(year)d年第%(week)d周落实情况摘要") % {"year": year, "week": week}
        link = reverse("reporting:review", kwargs={"zone": zone.code})
        sent.digests += notify(
            zone, leaders, NoticeKind.DIGEST, title, "\n".join(lines), link, f"digest:{zone.pk}:{year}-{week}"
        )
    return sent
