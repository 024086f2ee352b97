"""Reads for reporting, always through the user's Access."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from luoshi.lib.workdays import WorkCalendar
from luoshi.org.choices import UNIT_ROLES, Role
from luoshi.org.models import Membership, Unit, Zone
from luoshi.org.queries import Access
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import PlanItem
from luoshi.plans.queries import visible_items
from luoshi.reporting.choices import HANDED_IN, ReportStatus
from luoshi.reporting.models import CalendarDay, Evidence, Period, Problem, Report, ZoneCalendarDay
from luoshi.reporting.progress import planned_progress


def work_calendars(zone_ids: Iterable[int], start: date, end: date) -> dict[int, WorkCalendar]:
    """Each zone's working-day calendar for [start, end]: the national one (the package and the platform
    administrator's entries) under the zone's own overrides. Two queries, however many zones."""
    national = dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))
    local: dict[int, dict[date, bool]] = {zone_id: {} for zone_id in zone_ids}
    rows = ZoneCalendarDay.objects.filter(zone_id__in=list(local), date__range=(start, end))
    for zone_id, day, is_workday in rows.values_list("zone_id", "date", "is_workday"):
        local[zone_id][day] = is_workday
    return {zone_id: WorkCalendar(national | days) for zone_id, days in local.items()}


def work_calendar(zone_id: int, start: date, end: date) -> WorkCalendar:
    return work_calendars([zone_id], start, end)[zone_id]


def national_days(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year)


def zone_days(access: Access, year: int) -> QuerySet[ZoneCalendarDay]:
    return ZoneCalendarDay.objects.filter(zone=access.zone, date__year=year)


def get_zone_day_for_edit(access: Access, entry_id: int) -> ZoneCalendarDay:
    """A zone's calendar is its admin's to change, and no one else's."""
    if not access.is_admin:
        raise Http404
    try:
        return ZoneCalendarDay.objects.get(zone=access.zone, pk=entry_id)
    except ZoneCalendarDay.DoesNotExist:
        raise Http404 from None


def counted_reports() -> QuerySet[Report]:
    """Reports whose figures count: handed in (submitted, approved or accepted) and not replaced by a handed-in
    correction (a correction points at what it fixes; a returned or draft correction leaves the original)."""
    corrected = Report.objects.filter(corrects=OuterRef("pk"), status__in=HANDED_IN)
    return Report.objects.filter(status__in=HANDED_IN).exclude(Exists(corrected))


def due_items_q() -> Q:
    """Which items owe a report: leaves of the plan (measures report, tasks do not), with a lead unit, still
    open, and started by the end of the period. Written once here so the pages and the warning sweep agree."""
    children = PlanItem.objects.filter(parent=OuterRef("pk"))
    return (
        ~Exists(children)
        & Q(lead_unit__isnull=False)
        & ~Q(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
    )


def due_items(period: Period) -> QuerySet[PlanItem]:
    return (
        PlanItem.objects.filter(plan_id=period.cycle.plan_id)
        .filter(due_items_q())
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=period.ends_on))
    )


def open_periods(access: Access, now: datetime) -> QuerySet[Period]:
    """Periods that still take reports, soonest deadline first: started, and not yet closed."""
    return (
        Period.objects.filter(
            zone=access.zone, cycle__active=True, starts_on__lte=now.date(), closes_at__gt=now
        )
        .select_related("cycle__plan")
        .order_by("due_at")
    )


def get_period(access: Access, period_id: int) -> Period:
    try:
        period = Period.objects.select_related("cycle__plan").get(zone=access.zone, pk=period_id)
    except Period.DoesNotExist:
        raise Http404 from None
    if not access.zone_wide and not period.cycle.plan.items.filter(lead_unit_id__in=access.unit_ids).exists():
        raise Http404
    return period


def latest_reports(items: QuerySet[PlanItem], period: Period) -> dict[int, Report]:
    """The newest version of each item's report for the period."""
    latest: dict[int, Report] = {}
    reports = Report.objects.filter(period=period, item__in=items).prefetch_related(
        "values", "milestones_reached", "evidence"
    )
    for report in reports.order_by("item_id", "version"):
        latest[report.item_id] = report
    return latest


def visible_reports(access: Access) -> QuerySet[Report]:
    return Report.objects.filter(zone=access.zone, item__in=visible_items(access).values("pk"))


def get_report(access: Access, report_id: int) -> Report:
    try:
        return visible_reports(access).select_related("item__plan", "period__cycle", "unit").get(pk=report_id)
    except Report.DoesNotExist:
        raise Http404 from None


def can_fill(access: Access, item: PlanItem) -> bool:
    """Only the lead unit's liaison or head writes its reports."""
    return bool(access.roles & UNIT_ROLES) and item.lead_unit_id in access.unit_ids


def get_item_to_report(access: Access, item_id: int) -> PlanItem:
    try:
        item = visible_items(access).select_related("plan", "lead_unit").get(pk=item_id)
    except PlanItem.DoesNotExist:
        raise Http404 from None
    if not can_fill(access, item):
        raise Http404
    return item


def can_approve(access: Access, report: Report) -> bool:
    return Role.UNIT_HEAD in access.roles and report.unit_id in access.unit_ids


def can_review(access: Access) -> bool:
    return access.edits_plans


def can_see_review(access: Access) -> bool:
    """Who opens a period's review page: the reviewers, and zone leaders who read it."""
    return can_review(access) or access.zone_wide


def can_edit_trajectory(access: Access) -> bool:
    """The planned trajectory is the office's yardstick for an item, set by plan editors only."""
    return access.edits_plans


def visible_problems(access: Access) -> QuerySet[Problem]:
    problems = Problem.objects.filter(zone=access.zone)
    if access.zone_wide:
        return problems
    return problems.filter(
        Q(item__in=visible_items(access).values("pk"))
        | Q(asked_unit_id__in=access.unit_ids)
        | Q(asked_leader_id=access.user_id)
    )


def reviewable_periods(access: Access, now: datetime) -> QuerySet[Period]:
    """Periods the office follows: every started period, newest first."""
    return (
        Period.objects.filter(zone=access.zone, starts_on__lte=now.date())
        .select_related("cycle__plan")
        .order_by("-due_at")
    )


def reviewable_statuses(access: Access) -> tuple[str, ...]:
    if not can_review(access):
        return ()
    if access.zone.reports_need_approval:
        return (ReportStatus.APPROVED,)
    return (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


@dataclass
class PeriodRow:
    item: PlanItem
    report: Report | None


def period_rows(period: Period) -> list[PeriodRow]:
    """Every item due in the period with its newest report (or None): three queries."""
    items = list(due_items(period).select_related("lead_unit").order_by("lead_unit__position", "path"))
    latest = latest_reports(PlanItem.objects.filter(pk__in=[i.pk for i in items]), period)
    return [PeriodRow(item, latest.get(item.pk)) for item in items]


def get_evidence(access: Access, evidence_id: int) -> Evidence:
    """A file is served to exactly the people who may see its report's item."""
    try:
        return Evidence.objects.get(pk=evidence_id, report__in=visible_reports(access))
    except Evidence.DoesNotExist:
        raise Http404 from None


def get_problem_to_resolve(access: Access, problem_id: int) -> Problem:
    """The office, the unit asked to help, or the lead unit itself may mark a problem solved."""
    try:
        problem = visible_problems(access).select_related("item").get(pk=problem_id)
    except Problem.DoesNotExist:
        raise Http404 from None
    if (
        access.edits_plans
        or problem.asked_unit_id in access.unit_ids
        or problem.item.lead_unit_id in access.unit_ids
    ):
        return problem
    raise Http404


@dataclass
class ProgressPoint:
    period: Period
    planned: Decimal
    actual: Decimal | None
    report: Report | None

    @property
    def gap(self) -> Decimal | None:
        """Percentage points ahead (+) or behind (−) the plan."""
        return None if self.actual is None else self.actual - self.planned


def item_progress(item: PlanItem) -> list[ProgressPoint]:
    """Planned against reported progress for each period of the item's plan so far: three queries."""
    start = item.start_date or date(item.plan.year, 1, 1)
    due = item.due_date or date(item.plan.year, 12, 31)
    milestones = [(m.due_date, m.weight) for m in item.milestones.all() if m.due_date]
    trajectory = [(p.on, p.planned) for p in item.trajectory.all()]
    reports: dict[int, Report] = {}
    for report in Report.objects.filter(item=item, status__in=HANDED_IN).order_by("period_id", "version"):
        reports[report.period_id] = report
    periods = Period.objects.filter(
        cycle__plan_id=item.plan_id, starts_on__lte=timezone.localdate()
    ).order_by("starts_on", "cycle_id")
    points = []
    for period in periods:
        handed_in = reports.get(period.pk)
        planned = planned_progress(period.ends_on, start, due, milestones, trajectory)
        points.append(ProgressPoint(period, planned, handed_in.progress if handed_in else None, handed_in))
    return points


def previous_progress(item: PlanItem, period: Period) -> Decimal | None:
    """The progress the unit last handed in for an earlier period: a new report may not fall below it
    without saying why."""
    return (
        Report.objects.filter(item=item, status__in=HANDED_IN, period__starts_on__lt=period.starts_on)
        .order_by("-period__starts_on", "-version")
        .values_list("progress", flat=True)
        .first()
    )


def units_without_head(zone: Zone) -> QuerySet[Unit]:
    """Units that lead items but have nobody to approve their reports: with the approval step on, theirs wait."""
    heads = Membership.objects.filter(unit=OuterRef("pk"), role=Role.UNIT_HEAD, user__is_active=True)
    leads = PlanItem.objects.filter(lead_unit=OuterRef("pk"))
    return Unit.objects.filter(zone=zone).filter(Exists(leads)).exclude(Exists(heads))
