"""The unit ranking (单位排名): one rule, read by the units page, the leader's cockpit (the ten most lagging units)
and the unit head's desk (my unit's place).

THE RULE. Every unit of the zone gets four figures, zone-wide whoever reads them (rankings are published within
the zone; the pages link a figure to its list only where the reader may open that list), from the items of
issued plans (a draft plan is not the units' yet, and the warning sweep skips it too):

1. RED — the unit's open red warnings (items, supervision orders and key projects whose warning names the unit:
   alerts' warning list filtered by unit and level 红色).
2. ON-TIME RATE (按时报送率) — over the reporting periods due in the last WEEKS weeks (due time before now): the
   reports handed in on time (first version, submitted, not late) out of the reports owed. An item owes a report
   for a period when it is a leaf with a lead unit, not cancelled, started by the period's last day, and not
   finished — or finished but reported in that period (the assessment's rule, assessment.facts). Counted for
   the lead unit. None when nothing was owed.
3. OVERDUE — leaf items the unit leads or co-operates on that are past their deadline and not done or
   cancelled (front.pace's 逾期未完成: the item list filtered by unit and 逾期).
4. BEHIND SHARE — of those leaf items still open (not done or cancelled), the share that are behind pace
   (front.pace's 进度滞后: an open 进度滞后 / 进度停滞 / 指标滞后 warning, not overdue), in percent. None when the
   unit has no open items.

Worst first, figure by figure: more red warnings; then a lower on-time rate (no rate ranks after any rate);
then more overdue items; then a larger behind share; then the unit's own order (position, id). A unit is
LAGGING when any of its figures is off: a red warning, an overdue or behind item, or an on-time rate under 100.

The trend is the on-time rate week by week over the same WEEKS weeks (oldest first, None for a week with
nothing owed); `change` compares the last week that has a rate with the one before it.

Cost: four statements whatever the zone's size (the open leaves with their pace and co-units; the units with
their red warnings; the periods; the reports handed in, grouped)."""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from luoshi.alerts.choices import Level
from luoshi.alerts.models import Warning
from luoshi.front.pace import behind_warning, pace_q
from luoshi.org.queries import Access, visible_units
from luoshi.plans.choices import ItemStatus, PlanStatus
from luoshi.plans.models import PlanItem
from luoshi.reporting.models import Period, Report

WEEKS = 8


@dataclass(frozen=True)
class UnitRank:
    """A unit's place and figures. `rank` is 1 for the worst unit."""

    rank: int
    unit_id: int
    name: str
    red: int
    overdue: int
    behind: int
    open_items: int  # open leaf items it leads or co-operates on (the behind share's base)
    owed: int  # reports owed over the last WEEKS weeks
    on_time: int
    trend: list[float | None] = field(default_factory=list)  # weekly on-time rate, oldest first

    @property
    def on_time_rate(self) -> float | None:
        return 100 * self.on_time / self.owed if self.owed else None

    @property
    def behind_share(self) -> float | None:
        return 100 * self.behind / self.open_items if self.open_items else None

    @property
    def lagging(self) -> bool:
        rate = self.on_time_rate
        return bool(self.red or self.overdue or self.behind or (rate is not None and rate < 100))

    @property
    def change(self) -> float | None:
        """The last week's on-time rate minus the week before's (percentage points), of the weeks with a rate."""
        rates = [r for r in self.trend if r is not None]
        return rates[-1] - rates[-2] if len(rates) >= 2 else None

    @property
    def change_size(self) -> float | None:
        change = self.change
        return abs(change) if change is not None else None

    @property
    def trend_points(self) -> str:
        """The trend as an SVG polyline's points in a 100×24 box (a gap-free line through the weeks with a
        rate); empty when fewer than two weeks have one."""
        points = [(i, r) for i, r in enumerate(self.trend) if r is not None]
        if len(points) < 2:
            return ""
        step = 100 / max(len(self.trend) - 1, 1)
        return " ".join(f"{i * step:.1f},{22 - r * 0.2:.1f}" for i, r in points)


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


@dataclass
class _Leaf:
    """An open leaf item of an issued plan: what the ranking needs of it."""

    lead: int | None
    plan: int
    start: date | None
    overdue: bool
    behind: bool
    units: set[int] = field(default_factory=set)  # its lead and co-units


def _open_leaves(access: Access, today: date) -> dict[int, _Leaf]:
    """One statement, a row per co-unit, read once for both the unit figures and the reports owed (a subquery
    per unit over every leaf took 400 ms on a 5,000-item zone)."""
    children = PlanItem.objects.filter(parent=OuterRef("pk"))
    rows = (
        PlanItem.objects.filter(zone=access.zone, plan__status=PlanStatus.ISSUED)
        .filter(~Exists(children))
        .exclude(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
        .annotate(behind=behind_warning())
        .values_list(
            "pk",
            "lead_unit_id",
            "plan_id",
            "start_date",
            _flag(pace_q("overdue", today)),
            _flag(pace_q("behind", today)),
            "co_unit_links__unit_id",
        )
        .order_by()
    )
    leaves: dict[int, _Leaf] = {}
    for pk, lead, plan, start, overdue, behind_pace, co in rows:
        leaf = leaves.get(pk) or leaves.setdefault(pk, _Leaf(lead, plan, start, overdue, behind_pace))
        leaf.units.update(unit for unit in (lead, co) if unit is not None)
    return leaves


def _unit_rows(access: Access, leaves: dict[int, _Leaf]) -> list[tuple[int, str, int, int, int, int]]:
    """Units with RED, OVERDUE, BEHIND and their open leaf items: one statement (the units with their red
    warnings) over the leaves already read."""
    figures: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # unit → overdue, behind, open
    for leaf in leaves.values():
        for unit_id in leaf.units:
            counts = figures[unit_id]
            counts[0] += leaf.overdue
            counts[1] += leaf.behind
            counts[2] += 1
    red = Warning.objects.filter(
        zone=access.zone, unit=OuterRef("pk"), resolved_at__isnull=True, level=Level.RED
    )
    red_count = red.order_by().values("unit_id").annotate(n=Count("pk")).values("n")
    rows = (
        visible_units(access)
        .annotate(n_red=Coalesce(Subquery(red_count, output_field=IntegerField()), Value(0)))
        .order_by("position", "id")
        .values_list("id", "name", "n_red")
    )
    return [(pk, name, n_red, *figures.get(pk, [0, 0, 0])) for pk, name, n_red in rows]


def _week_of(due_at: datetime, now: datetime) -> int:
    """0 for the oldest of the WEEKS weeks ending now, WEEKS - 1 for the last seven days."""
    return WEEKS - 1 - min(int((now - due_at) / timedelta(days=7)), WEEKS - 1)


def _reporting(access: Access, now: datetime, leaves: dict[int, _Leaf]) -> dict[int, list[list[int]]]:
    """unit → per week [owed, on time]: two statements and the open leaves already read."""
    since = now - timedelta(days=7 * WEEKS)
    periods = list(
        Period.objects.filter(zone=access.zone, due_at__gt=since, due_at__lte=now).values_list(
            "pk", "cycle__plan_id", "ends_on", "due_at"
        )
    )
    weeks: dict[int, list[list[int]]] = defaultdict(lambda: [[0, 0] for _ in range(WEEKS)])
    if not periods:
        return weeks
    week = {pk: _week_of(due_at, now) for pk, _plan, _ends, due_at in periods}
    children = PlanItem.objects.filter(parent=OuterRef("item_id"))
    # Reports of owing items: a done item owes when it reported (the period's reports say which), an on-time
    # report is a first version submitted in time.
    reports = (
        Report.objects.filter(
            period_id__in=week, item__lead_unit__isnull=False, item__plan__status=PlanStatus.ISSUED
        )
        .exclude(item__status=ItemStatus.CANCELLED)
        .filter(~Exists(children))
        .filter(Q(item__start_date__isnull=True) | Q(item__start_date__lte=F("period__ends_on")))
        .values_list("item__lead_unit_id", "period_id")
        .annotate(
            done=Count("item_id", distinct=True, filter=Q(item__status=ItemStatus.DONE)),
            on_time=Count("pk", filter=Q(version=1, submitted_at__isnull=False, late=False)),
        )
        .order_by()
    )
    for unit_id, period_id, done, on_time in reports:
        entry = weeks[unit_id][week[period_id]]
        entry[0] += done
        entry[1] += on_time
    # Open items owe every period of their plan from their start; grouped by start date, summed per period.
    grouped = Counter((leaf.lead, leaf.plan, leaf.start) for leaf in leaves.values() if leaf.lead is not None)
    for (unit_id, plan_id, start), n in grouped.items():
        for pk, plan, ends_on, _due in periods:
            if plan == plan_id and (start is None or start <= ends_on):
                weeks[unit_id][week[pk]][0] += n
    return weeks


def _worst_first(row: UnitRank) -> tuple[int, int, float, int, float]:
    rate, share = row.on_time_rate, row.behind_share
    return (
        -row.red,
        rate is None,
        rate if rate is not None else 0.0,
        -row.overdue,
        -(share if share is not None else 0.0),
    )


def unit_ranking(access: Access, today: date, now: datetime | None = None) -> list[UnitRank]:
    """Every unit of the zone, worst first by the rule above. `now` (default: the current time, or the end of
    `today` when that is not today) bounds the reporting periods counted."""
    if now is None:
        current = timezone.now()
        if timezone.localdate(current) == today:
            now = current
        else:
            now = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    leaves = _open_leaves(access, today)
    weeks = _reporting(access, now, leaves)
    unranked: list[UnitRank] = []
    for unit_id, name, red, overdue, behind, n_open in _unit_rows(access, leaves):
        per_week = weeks.get(unit_id) or [[0, 0] for _ in range(WEEKS)]
        unranked.append(
            UnitRank(
                rank=0,
                unit_id=unit_id,
                name=name,
                red=red,
                overdue=overdue,
                behind=behind,
                open_items=n_open,
                owed=sum(owed for owed, _on in per_week),
                on_time=sum(min(on, owed) for owed, on in per_week),
                trend=[100 * min(on, owed) / owed if owed else None for owed, on in per_week],
            )
        )
    ordered = sorted(unranked, key=_worst_first)  # stable: ties keep the units' own order
    return [replace(r, rank=i) for i, r in enumerate(ordered, start=1)]


# The units page's sorts: each puts the worst first on one figure, ties in ranking order.
SORTS: dict[str, Callable[[UnitRank], tuple[float, ...]]] = {
    "red": lambda r: (-r.red,),
    "rate": lambda r: (r.on_time_rate is None, r.on_time_rate or 0.0),
    "overdue": lambda r: (-r.overdue,),
    "behind": lambda r: (r.behind_share is None, -(r.behind_share or 0.0)),
}


def sort_ranking(ranking: list[UnitRank], sort: str) -> list[UnitRank]:
    """The ranking sorted by one figure (SORTS), or as ranked for any other `sort`."""
    key = SORTS.get(sort)
    return sorted(ranking, key=key) if key else ranking


def lagging_units(ranking: list[UnitRank], limit: int = 10) -> list[UnitRank]:
    """The `limit` worst units that lag at all (the cockpit's 滞后单位 panel)."""
    return [r for r in ranking if r.lagging][:limit]


def rank_of(ranking: list[UnitRank], unit_ids: frozenset[int] | set[int]) -> list[UnitRank]:
    """The places of these units (a unit head's own), in ranking order."""
    return [r for r in ranking if r.unit_id in unit_ids]
