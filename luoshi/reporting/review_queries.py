"""Reads for reviewing reports: the queue waiting for the user's approval, and the context a reviewer weighs a
report in (the planned progress for its period, the unit's previous figure and the change), a fixed number of
queries however many reports."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404

from luoshi.lib.numbers import PERCENT_UNITS
from luoshi.org.choices import Role
from luoshi.org.queries import Access
from luoshi.plans.models import PlanItem, Target
from luoshi.reporting.choices import HANDED_IN, ReportStatus
from luoshi.reporting.models import Period, Report
from luoshi.reporting.progress import planned_progress
from luoshi.reporting.queries import PeriodRow, can_review, reviewable_statuses, visible_reports


@dataclass
class ValueLine:
    """One target's figure in a report, beside the previous report's and the target."""

    target: Target
    value: Decimal | None
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.value is None or self.previous is None else self.value - self.previous

    @property
    def change_unit(self) -> str:
        """A percentage moves by percentage points."""
        unit = self.target.unit_of_measure
        return "个百分点" if unit in PERCENT_UNITS and unit != "个百分点" else unit


@dataclass
class ReviewLine:
    """A report with what it is judged against."""

    report: Report
    planned: Decimal
    previous: Report | None
    values: list[ValueLine] = field(default_factory=list)

    @property
    def gap(self) -> Decimal:
        """Percentage points ahead (+) or behind (−) the planned progress for the period."""
        return self.report.progress - self.planned

    @property
    def change(self) -> Decimal | None:
        """Percentage points since the previous report (− is going backwards)."""
        return None if self.previous is None else self.report.progress - self.previous.progress

    @property
    def behind(self) -> bool:
        return self.gap < 0

    @property
    def shortfall(self) -> Decimal:
        """Percentage points still missing to reach the planned progress (0 when on or ahead of plan)."""
        return max(-self.gap, Decimal(0))


def _previous_ids(reports: list[Report]) -> dict[int, int]:
    """Each report's previous handed-in report of the same item (an earlier period, newest version): one query."""
    earlier = Report.objects.filter(
        item=OuterRef("item_id"), status__in=HANDED_IN, period__starts_on__lt=OuterRef("period__starts_on")
    ).order_by("-period__starts_on", "-version")
    rows = Report.objects.filter(pk__in=[r.pk for r in reports]).annotate(
        previous_id=Subquery(earlier.values("pk")[:1])
    )
    return {pk: previous for pk, previous in rows.values_list("pk", "previous_id") if previous}


def _planned(report: Report) -> Decimal:
    return planned_for(report.item, report.period)


def planned_for(item: PlanItem, period: Period) -> Decimal:
    """The item's planned progress at the end of the period (milestones and trajectory prefetched)."""
    year = period.cycle.plan.year
    return planned_progress(
        period.ends_on,
        item.start_date or date(year, 1, 1),
        item.due_date or date(year, 12, 31),
        [(m.due_date, m.weight) for m in item.milestones.all() if m.due_date],
        [(p.on, p.planned) for p in item.trajectory.all()],
    )


def review_lines(reports: list[Report]) -> list[ReviewLine]:
    """The reports (with item, period__cycle__plan loaded) in their context: four queries for any number."""
    if not reports:
        return []
    prefetch_related_objects([r.item for r in reports], "milestones", "trajectory")
    previous_ids = _previous_ids(reports)
    previous = Report.objects.select_related("period").in_bulk(set(previous_ids.values()))
    return [
        ReviewLine(report, _planned(report), previous.get(previous_ids.get(report.pk, 0)))
        for report in reports
    ]


def with_values(line: ReviewLine) -> ReviewLine:
    """The report's target figures beside the previous report's, every target of the item listed: two queries."""
    now = dict(line.report.values.values_list("target_id", "value"))
    before = dict(line.previous.values.values_list("target_id", "value")) if line.previous else {}
    line.values = [
        ValueLine(target, now.get(target.pk), before.get(target.pk))
        for target in line.report.item.targets.order_by("position", "pk")
    ]
    return line


# The approvals queue ------------------------------------------------------------------------------------------


def is_unit_head(access: Access) -> bool:
    return Role.UNIT_HEAD in access.roles and bool(access.unit_ids)


def approves_here(access: Access) -> bool:
    """A unit head approves the unit's reports before the office sees them, where the zone asks for that."""
    return is_unit_head(access) and access.zone.reports_need_approval


def can_open_approvals(access: Access) -> bool:
    """The approvals page is for the unit heads and for the office that accepts reports."""
    return is_unit_head(access) or can_review(access)


def _queue(access: Access) -> QuerySet[Report]:
    return visible_reports(access).select_related("item", "period__cycle__plan", "unit", "submitted_by")


def to_approve(access: Access) -> QuerySet[Report]:
    """Submitted reports of the user's units that wait for the unit head's approval (none when not needed)."""
    if not approves_here(access):
        return Report.objects.none()
    mine = _queue(access).filter(status=ReportStatus.SUBMITTED, unit_id__in=access.unit_ids)
    return mine.order_by("period__due_at", "submitted_at", "pk")


def to_accept(access: Access) -> QuerySet[Report]:
    """Reports the office accepts now: approved by the unit, or submitted when no approval is needed."""
    statuses = reviewable_statuses(access)
    if not statuses:
        return Report.objects.none()
    return _queue(access).filter(status__in=statuses).order_by("period__due_at", "unit__position", "pk")


def get_queued(access: Access, report_id: int) -> Report:
    """A report in one of the user's queues (to return it from the queue page); 404 otherwise."""
    try:
        return (to_approve(access) | to_accept(access)).get(pk=report_id)
    except Report.DoesNotExist:
        raise Http404 from None


# A period's review page -----------------------------------------------------------------------------------------


@dataclass
class PeriodLine:
    """An item due in the period, its newest report, its planned progress and its previous handed-in figure."""

    item: PlanItem
    report: Report | None
    planned: Decimal
    previous: Decimal | None

    @property
    def shortfall(self) -> Decimal | None:
        """Percentage points behind the planned progress; None when on plan or not reported."""
        if self.report is None or self.report.progress >= self.planned:
            return None
        return self.planned - self.report.progress

    @property
    def change(self) -> Decimal | None:
        if self.report is None or self.previous is None:
            return None
        return self.report.progress - self.previous


def period_lines(period: Period, rows: list[PeriodRow]) -> list[PeriodLine]:
    """The period's rows with each item's planned progress at the period's end and its last handed-in
    progress before the period: three queries for any number of items."""
    items = [row.item for row in rows]
    if not items:
        return []
    prefetch_related_objects(items, "milestones", "trajectory")
    earlier = Report.objects.filter(
        item=OuterRef("pk"), status__in=HANDED_IN, period__starts_on__lt=period.starts_on
    ).order_by("-period__starts_on", "-version")
    before = dict(
        PlanItem.objects.filter(pk__in=[i.pk for i in items])
        .annotate(previous=Subquery(earlier.values("progress")[:1]))
        .values_list("pk", "previous")
    )
    return [
        PeriodLine(row.item, row.report, planned_for(row.item, period), before.get(row.item.pk))
        for row in rows
    ]
