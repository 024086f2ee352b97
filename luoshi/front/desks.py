"""The reads of the supervision office's workbench (督查工作台), the unit head's and the liaison's home pages: each
a typed value from a fixed handful of queries (the scalar figures as subqueries of one statement)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery

from luoshi.alerts.choices import AWAITING_FEEDBACK, Level, OrderState
from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.alerts.queries import SEVERITY, untriaged, visible_orders, visible_warnings
from luoshi.front.cockpit import (
    UnitLine,
    count_of,
    current_period,
    per_unit_figures,
    unit_lines,
    zone_and_units,
)
from luoshi.org.models import Unit
from luoshi.org.queries import Access
from luoshi.plans.models import PlanItem
from luoshi.reporting.choices import ProblemStatus, ReportStatus
from luoshi.reporting.models import Period, Problem, Report
from luoshi.reporting.queries import due_items, open_periods, reviewable_statuses, visible_problems

ROWS = 8  # rows per panel; the count links to the whole list


@dataclass(frozen=True)
class PeriodQueue:
    period_id: int
    plan: str
    label: str
    waiting: int


@dataclass(frozen=True)
class Workbench:
    review: list[PeriodQueue]  # reports waiting for the office, per period (the review page's rows)
    new_warnings: int  # open and waiting for the office's triage (alerts.triage)
    new_warning_rows: list[Warning]
    feedback_waiting: int  # orders whose feedback waits for the office's review
    orders_overdue: int  # feedback owed past the deadline
    order_rows: list[SupervisionOrder]
    period_id: int | None
    period_label: str
    missing_units: list[UnitLine]
    problems: int
    problem_rows: list[Problem]
    today: date

    @property
    def review_total(self) -> int:
        return sum(q.waiting for q in self.review)


def workbench(access: Access, today: date, now: datetime) -> Workbench:
    """Five statements."""
    zone = access.zone.pk
    orders = SupervisionOrder.objects.filter(zone_id=zone)
    overdue = Q(state__in=AWAITING_FEEDBACK, deadline__lt=today)
    scalars = {
        "new_warnings": count_of(untriaged(Warning.objects.filter(zone_id=zone))),
        "feedback": count_of(orders.filter(state=OrderState.FEEDBACK)),
        "overdue": count_of(orders.filter(overdue)),
        "problems": count_of(Problem.objects.filter(zone_id=zone, status=ProblemStatus.OPEN)),
        **current_period(zone, today, now),
    }
    s, rows = zone_and_units(access, scalars, per_unit_figures(access, today, now))
    # The zone row of `access` was read without this flag (org.queries.access_for); the statement above has it.
    access.zone.reports_need_approval = s["reports_need_approval"]
    review = (
        Report.objects.filter(zone=access.zone, status__in=reviewable_statuses(access))
        .values("period_id", "period__cycle__plan__title", "period__label", "period__due_at")
        .annotate(n=Count("pk"))
        .order_by("-period__due_at")
    )
    order_rows = visible_orders(access).filter(Q(state=OrderState.FEEDBACK) | overdue)
    units = unit_lines(rows, frozenset())
    return Workbench(
        review=[
            PeriodQueue(r["period_id"], r["period__cycle__plan__title"], r["period__label"], r["n"])
            for r in review
        ],
        new_warnings=s["new_warnings"],
        new_warning_rows=list(
            untriaged(visible_warnings(access))
            .select_related("unit", "item", "project", "order")
            .order_by(SEVERITY, "-opened_at", "-id")[:ROWS]
        ),
        feedback_waiting=s["feedback"],
        orders_overdue=s["overdue"],
        order_rows=list(order_rows.select_related("unit").order_by("deadline", "number")[:ROWS]),
        period_id=s["period"],
        period_label=s["period_label"] or "",
        missing_units=sorted([u for u in units if u.missing > 0], key=lambda u: (-u.missing, u.name)),
        problems=s["problems"],
        problem_rows=list(
            visible_problems(access)
            .filter(status=ProblemStatus.OPEN)
            .select_related("item", "asked_unit", "report__unit")
            .order_by("raised_at")[:ROWS]
        ),
        today=today,
    )


@dataclass(frozen=True)
class Approval:
    """A report the unit submitted that waits for its head (a row of the unit desk)."""

    report_id: int
    item_title: str
    period_label: str
    submitted_by: str  # the person's name
    progress: Decimal


@dataclass(frozen=True)
class UnitDesk:
    unit_id: int | None  # the unit the page is about (the reader's first)
    unit_name: str
    approves: bool  # the zone has unit heads approve reports before the office (报告须经单位负责人审核)
    approvals: list[Approval]  # reports submitted by the unit, waiting for its head, oldest first
    red: int
    yellow: int
    blue: int
    unexplained: int  # open warnings the unit has not yet explained (情况说明)
    orders_open: int
    order_rows: list[SupervisionOrder]
    today: date

    @property
    def warnings(self) -> int:
        return self.red + self.yellow + self.blue


def _approvals(rows: list[dict[str, Any]]) -> list[Approval]:
    return [
        Approval(
            r["waiting__id"],
            r["waiting__item__title"],
            r["waiting__period__label"],
            # The person's name as the pages write it (User.get_full_name: first name, then last name).
            " ".join(
                n
                for n in (r["waiting__submitted_by__first_name"], r["waiting__submitted_by__last_name"])
                if n
            ),
            r["waiting__progress"],
        )
        for r in rows
        if r["waiting__id"] is not None
    ]


def unit_desk(access: Access, today: date) -> UnitDesk:
    """Two statements: the unit's row with its figures and, joined, the reports waiting for its head; its open
    orders. (The ranking is the page's own read, front.ranking.)"""
    unit_id = min(access.unit_ids, default=0)  # 0: no unit, nothing matches
    open_warnings = Warning.objects.filter(zone=access.zone, unit_id=unit_id, resolved_at__isnull=True)
    waiting = FilteredRelation(
        "reports", condition=Q(reports__status=ReportStatus.SUBMITTED, reports__zone=access.zone)
    )
    rows = list(
        Unit.objects.filter(zone=access.zone, pk=unit_id)
        .annotate(
            waiting=waiting,
            red=count_of(open_warnings.filter(level=Level.RED)),
            yellow=count_of(open_warnings.filter(level=Level.YELLOW)),
            blue=count_of(open_warnings.filter(level=Level.BLUE)),
            unexplained=count_of(open_warnings.filter(acknowledged_at__isnull=True)),
        )
        .values(
            "name",
            "zone__reports_need_approval",
            "red",
            "yellow",
            "blue",
            "unexplained",
            "waiting__id",
            "waiting__item__title",
            "waiting__period__label",
            "waiting__submitted_by__first_name",
            "waiting__submitted_by__last_name",
            "waiting__progress",
        )
        .order_by("waiting__submitted_at", "waiting__id")
    )
    orders = list(
        visible_orders(access)
        .filter(unit_id=unit_id)
        .exclude(state=OrderState.CLOSED)
        .order_by("deadline", "number")
    )
    first = rows[0] if rows else {"name": "", "red": 0, "yellow": 0, "blue": 0, "unexplained": 0}
    # Without the approval step a submitted report is already the office's: nothing waits for the head.
    approves = bool(first.get("zone__reports_need_approval"))
    return UnitDesk(
        unit_id=unit_id or None,
        unit_name=first["name"],
        approves=approves,
        approvals=_approvals(rows) if approves else [],
        red=first["red"],
        yellow=first["yellow"],
        blue=first["blue"],
        unexplained=first["unexplained"],
        orders_open=len(orders),
        order_rows=orders[:ROWS],
        today=today,
    )


@dataclass(frozen=True)
class WeekItem:
    item: PlanItem
    status: str | None  # of the newest report for the period, None when nothing is written yet

    @property
    def handed_in(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.ACCEPTED)

    @property
    def status_label(self) -> str:
        return str(ReportStatus(self.status).label) if self.status else ""


@dataclass(frozen=True)
class WeekSection:
    period: Period
    items: list[WeekItem]  # not yet handed in first

    @property
    def handed_in(self) -> int:
        return sum(1 for i in self.items if i.handed_in)


def liaison_week(access: Access, now: datetime) -> list[WeekSection]:
    """This period's items of the reader's units with their report's status: one statement per open period."""
    sections = []
    for period in open_periods(access, now):
        newest = Report.objects.filter(period=period, item=OuterRef("pk")).order_by("-version")
        items = (
            due_items(period)
            .filter(lead_unit_id__in=access.unit_ids)
            .annotate(report_status=Subquery(newest.values("status")[:1]))
            .select_related("plan")
            .order_by("path")
        )
        rows = [WeekItem(item, item.report_status) for item in items]  # type: ignore[attr-defined]
        if rows:
            rows.sort(key=lambda r: r.handed_in)
            sections.append(WeekSection(period, rows))
    return sections
