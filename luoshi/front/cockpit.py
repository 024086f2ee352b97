"""Every read of the leader's cockpit (领导驾驶舱), in one typed value: the home page renders it and the big screen
(front:cockpit_screen) shows the same figures. A fixed handful of queries whatever the zone's size: the scalar
figures come as subqueries of one statement on the zone row, the per-unit figures as one statement on units."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from luoshi.alerts.choices import Level, OrderState
from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.arena.choices import SessionStatus
from luoshi.arena.models import ArenaSession, Judge
from luoshi.front.pace import PaceCounts, PlanPace, pace_by_plan, total
from luoshi.front.ranking import UnitRank, lagging_units, rank_of, unit_ranking
from luoshi.org.choices import Role
from luoshi.org.models import Zone
from luoshi.org.queries import Access
from luoshi.plans.models import PlanItem
from luoshi.projects.choices import BlockerStatus, DecisionStatus
from luoshi.projects.models import Blocker, Decision, Project
from luoshi.projects.queries import DUE_SOON_DAYS
from luoshi.reporting.choices import HANDED_IN
from luoshi.reporting.models import Period, Report
from luoshi.reporting.queries import due_items_q

NEW_DAYS = 7  # "new" warnings: opened in the last week
WAN_PER_YI = Decimal(10000)
ZERO = Decimal(0)
# Yellow or red: what the ledger calls a lagging project (projects.listing.LAGGING_LEVELS).
LAGGING_LEVELS = (Level.YELLOW, Level.RED)


def count_of(rows: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of `rows` (filtered on OuterRef) as a scalar subquery, 0 when none."""
    counted = rows.order_by().values("zone_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _projects_blocked(blockers: QuerySet[Blocker]) -> Coalesce:
    """How many projects these blockers hold up (a project with two counts once), as a scalar subquery."""
    counted = blockers.order_by().values("zone_id").annotate(n=Count("project_id", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _sum(rows: QuerySet[Any], column: str) -> Coalesce:
    summed = rows.order_by().values("zone_id").annotate(s=Sum(column)).values("s")
    return Coalesce(Subquery(summed, output_field=DecimalField(max_digits=18, decimal_places=4)), ZERO)


@dataclass(frozen=True)
class WarningFigures:
    red: int
    yellow: int
    red_new: int  # opened in the last NEW_DAYS days and still open
    yellow_new: int


@dataclass(frozen=True)
class ProjectFigures:
    year: int
    count: int
    lagging: int  # with an open yellow or red warning (the ledger's 滞后 filter)
    annual_wan: Decimal
    completed_wan: Decimal
    month: int | None  # the latest month an actual figure covers
    blockers: int  # this year's projects with an open blocker (the ledger's 有未解决问题)

    @property
    def annual_yi(self) -> Decimal:
        return self.annual_wan / WAN_PER_YI

    @property
    def completed_yi(self) -> Decimal:
        return self.completed_wan / WAN_PER_YI

    @property
    def completion(self) -> float | None:
        """完成率: the year's actual investment against the annual plan, in percent."""
        return 100 * float(self.completed_wan / self.annual_wan) if self.annual_wan > 0 else None

    @property
    def time_share(self) -> float | None:
        """序时进度: the share of the year the figures cover, in percent."""
        return 100 * self.month / 12 if self.month else None

    @property
    def behind_time(self) -> bool:
        return (
            self.completion is not None and self.time_share is not None and self.completion < self.time_share
        )


@dataclass(frozen=True)
class ReportingPeriod:
    period_id: int
    label: str
    due_at: datetime
    due: int  # items owing a report
    handed_in: int

    @property
    def rate(self) -> float:
        return 100 * self.handed_in / self.due if self.due else 100.0


@dataclass(frozen=True)
class UnitLine:
    """A unit's figures for the per-unit panels, and the orders escalated to the reader about it."""

    unit_id: int
    name: str
    mine: bool  # one of the leader's own units (分管)
    blockers: int  # this year's projects with an open blocker asked of the unit
    due: int
    handed_in: int
    escalated: int = 0
    order_id: int | None = None  # the escalated order due first
    order_subject: str = ""
    order_deadline: date | None = None

    @property
    def missing(self) -> int:
        return self.due - self.handed_in


@dataclass(frozen=True)
class Waiting:
    ballots: int  # open arena sessions where the reader is a judge
    ballot_session_id: int | None  # the first of them
    decisions_due: int  # open dispatch decisions due within DUE_SOON_DAYS days (or past due)
    decisions_overdue: int


@dataclass(frozen=True)
class Cockpit:
    today: date
    plans: list[PlanPace]
    items: PaceCounts
    warnings: WarningFigures
    projects: ProjectFigures
    escalated_total: int  # every order escalated to a leader, zone-wide (the order list's filter)
    escalated_mine: int  # those for the reader (naming them or no leader; for a non-leader all)
    period: ReportingPeriod | None
    units: list[UnitLine]  # units owing reports or holding open blockers, the reader's own units first
    waiting: Waiting
    my_unit_ids: frozenset[int]
    ranking: list[UnitRank]  # the ten most lagging units (front.ranking), the leader's own units first

    @property
    def escalated(self) -> list[UnitLine]:
        """Units with orders escalated to the reader, the one due first named: soonest deadline first."""
        rows = [u for u in self.units if u.escalated]
        return sorted(rows, key=lambda u: (not u.mine, u.order_deadline or self.today, u.name))

    @property
    def missing_units(self) -> list[UnitLine]:
        rows = [u for u in self.units if u.missing > 0]
        return sorted(rows, key=lambda u: (not u.mine, -u.missing, u.name))

    @property
    def blocker_units(self) -> list[UnitLine]:
        rows = [u for u in self.units if u.blockers > 0]
        return sorted(rows, key=lambda u: (not u.mine, -u.blockers, u.name))


def my_units(access: Access) -> frozenset[int]:
    """A leader in charge of some units (分管领导) holds LEADER memberships that name them."""
    return access.unit_ids if Role.LEADER in access.roles else frozenset()


def current_period(zone_id: int, today: date, now: datetime) -> dict[str, Subquery]:
    """This week's period (the newest that takes reports) as scalar subqueries: id, label, deadline, plan, end."""
    periods = Period.objects.filter(
        zone_id=zone_id, cycle__active=True, starts_on__lte=today, closes_at__gt=now
    ).order_by("-starts_on", "due_at")
    return {
        "period": Subquery(periods.values("pk")[:1]),
        "period_label": Subquery(periods.values("label")[:1]),
        "period_due": Subquery(periods.values("due_at")[:1], output_field=DateTimeField()),
        "period_plan": Subquery(periods.values("cycle__plan_id")[:1], output_field=IntegerField()),
        "period_ends": Subquery(periods.values("ends_on")[:1], output_field=DateField()),
    }


def _escalated(access: Access) -> QuerySet[SupervisionOrder]:
    """Orders escalated for a leader's attention: to a leader, those naming them or no one; to others all."""
    orders = SupervisionOrder.objects.filter(zone=access.zone, state=OrderState.ESCALATED)
    if Role.LEADER in access.roles:
        orders = orders.filter(Q(leader_id=access.user_id) | Q(leader__isnull=True))
    return orders


def per_unit_figures(access: Access, today: date, now: datetime) -> dict[str, Any]:
    """Per unit (the joined `units__id`): open blockers asked of it; this week's items it owes and has handed
    in; the orders about it escalated to the reader, and the one due first."""
    unit = OuterRef("units__id")
    period = current_period(access.zone.pk, today, now)
    due = (
        PlanItem.objects.filter(plan_id=period["period_plan"], lead_unit_id=unit)
        .filter(due_items_q())
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=period["period_ends"]))
    )
    handed = Report.objects.filter(period_id=period["period"], item=OuterRef("pk"), status__in=HANDED_IN)
    escalated = _escalated(access).filter(unit_id=unit).order_by("deadline", "year", "number")
    return {
        "u_blockers": _projects_blocked(
            Blocker.objects.filter(unit_id=unit, status=BlockerStatus.OPEN, project__year=today.year)
        ),
        "u_due": count_of(due),
        "u_handed": count_of(due.filter(Exists(handed))),
        "u_escalated": count_of(escalated),
        "u_order": Subquery(escalated.values("pk")[:1]),
        "u_subject": Subquery(escalated.values("subject")[:1]),
        "u_deadline": Subquery(escalated.values("deadline")[:1], output_field=DateField()),
    }


def zone_and_units(
    access: Access, scalars: dict[str, Any], per_unit: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One statement: the zone row with `scalars` (uncorrelated subqueries, computed once), left-joined to its
    units with the `per_unit` subqueries (correlated on `units__id`). A zone without units still gives its row."""
    rows = list(
        Zone.objects.filter(pk=access.zone.pk)
        .annotate(**scalars, **per_unit)
        .values(*scalars, "reports_need_approval", "units__id", "units__name", *per_unit)
        .order_by("units__position", "units__id")
    )
    return rows[0], [r for r in rows if r["units__id"] is not None]


def _scalars(access: Access, today: date, now: datetime) -> dict[str, Any]:
    """The cockpit's single figures, as subqueries."""
    zone = access.zone.pk
    open_warnings = Warning.objects.filter(zone_id=zone, resolved_at__isnull=True)
    since = now - timedelta(days=NEW_DAYS)
    judging = Judge.objects.filter(session=OuterRef("pk"), user_id=access.user_id)
    sessions = ArenaSession.objects.filter(zone_id=zone, status=SessionStatus.OPEN).filter(Exists(judging))
    decisions = Decision.objects.filter(zone_id=zone, status=DecisionStatus.OPEN, due__isnull=False)
    projects = Project.objects.filter(zone_id=zone, year=today.year)
    lagging = Warning.objects.filter(
        project=OuterRef("pk"), resolved_at__isnull=True, level__in=LAGGING_LEVELS
    )
    return {
        "red": count_of(open_warnings.filter(level=Level.RED)),
        "yellow": count_of(open_warnings.filter(level=Level.YELLOW)),
        "red_new": count_of(open_warnings.filter(level=Level.RED, opened_at__gte=since)),
        "yellow_new": count_of(open_warnings.filter(level=Level.YELLOW, opened_at__gte=since)),
        "escalated_total": count_of(
            SupervisionOrder.objects.filter(zone_id=zone, state=OrderState.ESCALATED)
        ),
        "escalated_mine": count_of(_escalated(access)),
        "ballots": count_of(sessions),
        "ballot_session": Subquery(sessions.order_by("held_on", "pk").values("pk")[:1]),
        "decisions_due": count_of(decisions.filter(due__lte=today + timedelta(days=DUE_SOON_DAYS))),
        "decisions_overdue": count_of(decisions.filter(due__lt=today)),
        "projects": count_of(projects),
        "lagging": count_of(projects.filter(Exists(lagging))),
        "annual": _sum(projects.filter(parent__isnull=True), "annual_plan_wan"),
        "completed": _sum(projects.filter(parent__isnull=True), "completed_wan"),
        "month": Subquery(
            projects.order_by().values("zone_id").annotate(m=Max("completed_month")).values("m"),
            output_field=IntegerField(),
        ),
        "blockers": _projects_blocked(
            Blocker.objects.filter(zone_id=zone, status=BlockerStatus.OPEN, project__year=today.year)
        ),
        **current_period(zone, today, now),
    }


def unit_lines(rows: list[dict[str, Any]], mine: frozenset[int]) -> list[UnitLine]:
    """The units with anything to show: blockers, items owed this week, or orders escalated."""
    return [
        UnitLine(
            r["units__id"],
            r["units__name"],
            r["units__id"] in mine,
            r["u_blockers"],
            r["u_due"],
            r["u_handed"],
            r.get("u_escalated", 0),
            r.get("u_order"),
            r.get("u_subject") or "",
            r.get("u_deadline"),
        )
        for r in rows
        if r["u_blockers"] or r["u_due"] or r.get("u_escalated")
    ]


def _ranking(access: Access, today: date, now: datetime, mine: frozenset[int]) -> list[UnitRank]:
    ranking = unit_ranking(access, today, now)
    own = rank_of(ranking, mine)
    return own + [r for r in lagging_units(ranking, 10 + len(own)) if r.unit_id not in mine][:10]


def cockpit(access: Access, today: date, now: datetime) -> Cockpit:
    """The cockpit's figures: two statements of its own and the unit ranking's (front.ranking)."""
    mine = my_units(access)
    plans = pace_by_plan(access, today)
    s, rows = zone_and_units(access, _scalars(access, today, now), per_unit_figures(access, today, now))
    units = unit_lines(rows, mine)
    period = None
    if s["period"] is not None:
        period = ReportingPeriod(
            s["period"],
            s["period_label"],
            s["period_due"],
            sum(u.due for u in units),
            sum(u.handed_in for u in units),
        )
    return Cockpit(
        today=today,
        plans=plans,
        items=total(plans),
        warnings=WarningFigures(s["red"], s["yellow"], s["red_new"], s["yellow_new"]),
        projects=ProjectFigures(
            today.year, s["projects"], s["lagging"], s["annual"], s["completed"], s["month"], s["blockers"]
        ),
        escalated_total=s["escalated_total"],
        escalated_mine=s["escalated_mine"],
        period=period,
        units=units,
        waiting=Waiting(s["ballots"], s["ballot_session"], s["decisions_due"], s["decisions_overdue"]),
        my_unit_ids=mine,
        ranking=_ranking(access, today, now, mine),
    )
