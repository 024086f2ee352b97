"""The facts a 督查通报 is drawn from, read once from the database as plain JSON (kept with the bulletin as its data
snapshot, and the next month's bulletin compares with it). Everything is as of the period's last day (or today,
for a period not over yet): the items of the year's issued plans in front.pace's four kinds, the unit ranking
(front.ranking) over the eight weeks to that day, the units named for praise or criticism, the supervision orders
issued and closed in the period, key projects' investment with the figures to the period's last month, and each
goal's standing and where to push (goals.trace). What the database keeps no history of — an item's status, a
warning still open, an order's state — is read as it stands at drafting (ADR 0008); the snapshot keeps what was used.

Units are criticised only from what is on record: open red warnings and overdue items; praised only when
they have neither, nothing behind, and every report owed handed in on time."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from luoshi.alerts.choices import AWAITING_FEEDBACK, Level
from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.bulletins.choices import PeriodKind
from luoshi.front.pace import PACES, leaf_items, pace_by_plan, pace_q, total
from luoshi.front.ranking import WEEKS, UnitRank, unit_ranking
from luoshi.goals.trace import LAGGING, GoalTrace, trace
from luoshi.lib.periods import MONTHLY, QUARTERLY, Span, span_containing
from luoshi.org.choices import Role
from luoshi.org.models import Zone
from luoshi.org.queries import Access
from luoshi.plans.choices import PlanStatus
from luoshi.plans.models import ItemCoUnit, Plan, PlanItem
from luoshi.plans.queries import unit_items_q
from luoshi.projects.choices import Stage
from luoshi.projects.models import Project, StageDate
from luoshi.projects.queries import paces_to

PRAISED = 5  # units named for doing well
CRITICISED_ITEMS = 3  # overdue items and red warnings named per lagging unit
ANNEX_ROWS = 100  # rows of the lagging items' annex
INDICATORS = 5  # a goal's indicators named, most points at stake first
PUSH = 8  # next month's focus
MIN_POINTS = 0.005  # points at stake that round to 0.00 move nothing worth a line


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    index: int

    @property
    def span(self) -> Span:
        if self.kind == PeriodKind.MONTH:
            return span_containing(MONTHLY, date(self.year, self.index, 1))
        return span_containing(QUARTERLY, date(self.year, self.index * 3, 1))

    @property
    def label(self) -> str:
        return (
            f"{self.year}-{self.index:02d}" if self.kind == PeriodKind.MONTH else f"{self.year}-Q{self.index}"
        )

    def previous(self) -> "Period":
        last = 12 if self.kind == PeriodKind.MONTH else 4
        if self.index == 1:
            return Period(self.kind, self.year - 1, last)
        return Period(self.kind, self.year, self.index - 1)


def _office_access(zone: Zone) -> Access:
    """The office's view: every unit and item of the zone."""
    return Access(zone=zone, user_id=0, roles=frozenset({Role.SUPERVISOR}), unit_ids=frozenset())


def _leaves(access: Access, year: int | None) -> QuerySet[PlanItem]:
    leaves = leaf_items(access).filter(plan__status=PlanStatus.ISSUED)
    return leaves if year is None else leaves.filter(plan__year=year)


def _pace(access: Access, year: int, as_of: date) -> dict[str, int]:
    """front.pace's four kinds over the year's issued plans (the grouped query the home pages use)."""
    issued = set(
        Plan.objects.filter(zone=access.zone, year=year, status=PlanStatus.ISSUED).values_list(
            "pk", flat=True
        )
    )
    counts = total([p for p in pace_by_plan(access, as_of) if p.plan_id in issued])
    return {pace: getattr(counts, pace) for pace in PACES}


def _lagging_items(leaves: QuerySet[PlanItem], as_of: date) -> tuple[int, list[dict[str, Any]]]:
    """Overdue items first (longest overdue first), then behind ones by deadline: (how many, the first rows)."""
    lagging = leaves.filter(pace_q("overdue", as_of) | pace_q("behind", as_of))
    overdue = pace_q("overdue", as_of)
    rows = (
        lagging.annotate(is_overdue=Exists(PlanItem.objects.filter(Q(pk=OuterRef("pk")) & overdue)))
        .select_related("lead_unit")
        .order_by("-is_overdue", "due_date", "plan_id", "path")
    )
    found = [
        {
            "id": item.pk,
            "code": item.code,
            "title": item.title,
            "unit": item.lead_unit.name if item.lead_unit else "",
            "unit_id": item.lead_unit_id,
            "due": item.due_date.isoformat() if item.due_date else "",
            "overdue": bool(item.is_overdue),  # type: ignore[attr-defined]
        }
        for item in rows[:ANNEX_ROWS]
    ]
    return lagging.count(), found


def _ranking_row(r: UnitRank) -> dict[str, Any]:
    return {
        "rank": r.rank,
        "unit_id": r.unit_id,
        "name": r.name,
        "red": r.red,
        "overdue": r.overdue,
        "behind": r.behind,
        "open_items": r.open_items,
        "owed": r.owed,
        "on_time": r.on_time,
        "on_time_rate": r.on_time_rate,
        "behind_share": r.behind_share,
    }


def _overdue_by_unit(leaves: QuerySet[PlanItem], ids: list[int], as_of: date) -> dict[int, list[str]]:
    """The overdue items of each unit, led or co-operated on (as the ranking counts them), oldest first."""
    overdue: dict[int, list[str]] = {i: [] for i in ids}
    items = list(
        leaves.filter(pace_q("overdue", as_of)).filter(unit_items_q(ids)).order_by("due_date", "path")
    )
    co_units: dict[int, set[int]] = {}
    for item_id, unit_id in ItemCoUnit.objects.filter(item__in=items, unit_id__in=ids).values_list(
        "item_id", "unit_id"
    ):
        co_units.setdefault(item_id, set()).add(unit_id)
    for item in items:
        for unit_id in co_units.get(item.pk, set()) | {item.lead_unit_id or 0}:
            if unit_id in overdue:
                overdue[unit_id].append(item.title)
    return overdue


def _criticised(
    zone: Zone, leaves: QuerySet[PlanItem], ranking: list[UnitRank], as_of: date
) -> list[dict[str, Any]]:
    """Units with open red warnings or overdue items, worst first, with what is on record against them."""
    named = [r for r in ranking if r.red or r.overdue]
    ids = [r.unit_id for r in named]
    overdue = _overdue_by_unit(leaves, ids, as_of)
    red: dict[int, list[str]] = {i: [] for i in ids}
    warnings = Warning.objects.filter(
        zone=zone, unit_id__in=ids, level=Level.RED, resolved_at__isnull=True
    ).select_related("item", "project", "order")
    for w in warnings.order_by("opened_at", "pk"):
        assert w.unit_id is not None
        red[w.unit_id].append(f"{_warning_subject(w)}：{w.reason}")
    return [
        {
            **_ranking_row(r),
            "overdue_items": overdue[r.unit_id][:CRITICISED_ITEMS],
            "red_warnings": red[r.unit_id][:CRITICISED_ITEMS],
        }
        for r in named
    ]


def _warning_subject(w: Warning) -> str:
    if w.item is not None:
        return w.item.title
    if w.project is not None:
        return w.project.name
    return w.order.subject if w.order is not None else ""


def _praised(ranking: list[UnitRank]) -> list[dict[str, Any]]:
    """Units with nothing against them and every report on time, those with the most reports first."""
    good = [r for r in ranking if not r.lagging and r.owed > 0 and r.on_time >= r.owed]
    good.sort(key=lambda r: (-r.owed, -r.open_items, r.rank))
    return [_ranking_row(r) for r in good]


def _orders(zone: Zone, span: Span, as_of: date) -> dict[str, Any]:
    start = _midnight(span.starts_on)
    end = _midnight(span.ends_on + timedelta(days=1))
    orders = SupervisionOrder.objects.filter(zone=zone)
    issued = orders.filter(issued_at__gte=start, issued_at__lt=end)
    closed = orders.filter(closed_at__gte=start, closed_at__lt=end)
    still_open = orders.filter(issued_at__lt=end).exclude(closed_at__lt=end)  # at the period's end
    return {
        "issued": issued.count(),
        "closed": closed.count(),
        "open": still_open.count(),
        "overdue": still_open.filter(state__in=AWAITING_FEEDBACK, deadline__lt=as_of).count(),
        "escalated": still_open.filter(escalated_at__lt=end).count(),
    }


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _projects(zone: Zone, year: int, span: Span) -> dict[str, Any]:
    """This year's key projects with the investment figures to the period's last month."""
    last = span.ends_on.month if span.ends_on.year == year else 12
    projects = Project.objects.filter(zone=zone, year=year)
    # A major project's figures are its sub-projects' together: count each amount once, at the bottom.
    majors = set(projects.filter(parent__isnull=False).values_list("parent_id", flat=True))
    paces = {k: p for k, p in paces_to(zone.pk, year, last).items() if k not in majors}
    rows = projects.exclude(pk__in=majors).values_list("pk", "name", "lead_unit__name", "annual_plan_wan")
    names, units = {}, {}
    annual, actual = Decimal(0), Decimal(0)
    for project_id, name, unit, planned in rows:
        names[project_id], units[project_id] = name, unit
        annual += planned
        actual += paces[project_id].actual_wan if project_id in paces else Decimal(0)
    behind: list[dict[str, Any]] = []
    for project_id, p in paces.items():
        if p.gap_pp is not None and p.gap_pp > 0 and p.completion is not None:
            behind.append(
                {
                    "name": names[project_id],
                    "unit": units[project_id] or "",
                    "annual": float(p.annual_wan),
                    "actual": float(p.actual_wan),
                    "completion": p.completion,
                    "time_share": p.time_share,
                    "gap_pp": p.gap_pp,
                }
            )
    behind.sort(key=lambda b: (-b["gap_pp"], b["name"]))
    return {
        "count": projects.count(),
        "month": last,
        "annual": float(annual),
        "actual": float(actual),
        "started": _reached(projects, Stage.STARTED, span),
        "completed": _reached(projects, Stage.COMPLETED, span),
        "behind": behind,
    }


def _reached(projects: QuerySet[Project], stage: Stage, span: Span) -> list[str]:
    """The projects that reached a stage in the period (the actual date on record)."""
    dates = StageDate.objects.filter(
        project__in=projects, stage=stage, actual__gte=span.starts_on, actual__lte=span.ends_on
    )
    return list(dates.order_by("actual", "project__name").values_list("project__name", flat=True))


def _goals(zone: Zone) -> list[dict[str, Any]]:
    return [_goal(g) for g in trace(zone)]


def _goal(g: GoalTrace) -> dict[str, Any]:
    indicators = [i for i in g.indicators if i.points_at_stake >= MIN_POINTS][:INDICATORS]
    return {
        "title": g.goal.item.title,
        "scheme": g.goal.scheme.name,
        "benchmark": g.benchmark.name if g.benchmark else "",
        "rank": g.rank,
        "target_rank": g.goal.target_rank,
        "score": g.score,
        "target_score": g.target_score,
        "at_stake": sum(i.points_at_stake for i in g.indicators),
        "indicators": [
            {
                "name": i.name,
                "points": i.points_at_stake,
                "linked": len(i.items) + len(i.projects),
                "lagging": _lagging_count(i.items, i.projects),
            }
            for i in indicators
        ],
        "push": [
            {
                "kind": p.kind,
                "title": p.subject.title,
                "unit": p.subject.unit,
                "points": p.points,
                "indicators": p.indicators,
                "health": p.subject.rolled.health,
            }
            for p in [p for p in g.push if p.points >= MIN_POINTS][:PUSH]
        ],
    }


def _lagging_count(*groups: Any) -> int:
    return sum(1 for group in groups for s in group if s.rolled.health in LAGGING)


def gather(zone: Zone, period: Period, today: date) -> dict[str, Any]:
    """The facts of a period, as JSON."""
    span = period.span
    as_of = min(span.ends_on, today)
    access = _office_access(zone)
    leaves = _leaves(access, period.year)
    ranking = unit_ranking(access, as_of)
    lagging_total, lagging_rows = _lagging_items(leaves, as_of)
    return {
        "zone": zone.name,
        "period": {
            "kind": period.kind,
            "year": period.year,
            "index": period.index,
            "label": period.label,
            "name": span.label,
            "starts_on": span.starts_on.isoformat(),
            "ends_on": span.ends_on.isoformat(),
            "as_of": as_of.isoformat(),
        },
        "pace": _pace(access, period.year, as_of),
        "lagging_total": lagging_total,
        "lagging_items": lagging_rows,
        "weeks": WEEKS,
        "ranking": [_ranking_row(r) for r in ranking],
        "praised": _praised(ranking)[:PRAISED],
        # every issued plan's items, as the ranking counts them (an overdue item of last year's plan too)
        "criticised": _criticised(zone, _leaves(access, None), ranking, as_of),
        "orders": _orders(zone, span, as_of),
        "projects": _projects(zone, period.year, span),
        "goals": _goals(zone),
    }
