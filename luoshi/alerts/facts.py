"""The set-based half of the sweep: a few SQL statements over whole zones that return only what should be warned.

Written as portable SQL (CTEs, window functions, VALUES lists) that runs unchanged on SQLite and PostgreSQL; the
one thing the two spell differently, date arithmetic, goes through `_day`. Small inputs (the zones' thresholds,
the recent periods, the plans' years) travel as VALUES relations so the planner sees literal period ids and
reaches reports through the period index instead of scanning them all.

MISSING reads the handed-in reports of each cycle's last `horizon` started periods (sweep.horizon), enough for
the longest run of misses it asks for. The rules on progress and targets read what the reporting actions keep
for them: each item's pulse (its latest counted reports) and each target's latest reported value, one small row
per item or target instead of millions of reports.
"""

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.db import connection
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from luoshi.lib.periods import day_number as day
from luoshi.plans.choices import Direction, PlanStatus
from luoshi.plans.models import Milestone, PlanItem, Target
from luoshi.reporting.choices import HANDED_IN
from luoshi.reporting.models import LatestValue, Period, Pulse, Report, TrajectoryPoint
from luoshi.reporting.progress import DECIMALS, LINEAR, MILESTONES, TRAJECTORY
from luoshi.reporting.queries import due_items_q

# A gap equal to its threshold meets it, though 60.3 − 50.3 is 9.999999999999993 in binary floating point.
EPSILON = 1e-6
# Planned progress rounds halves up (reporting.progress), though 100 × (29 / 200) is 14.499999999999998 in
# binary floating point. Exact plans lie much farther from a half (their denominators are days, weights in cents).
HALF_UP_NUDGE = 1e-9
Row = tuple[Any, ...]
T = TypeVar("T")


class MissingRow(NamedTuple):
    item_id: int
    zone_id: int
    unit_id: int
    cycle_id: int
    run: int  # how many of the latest due periods in a row are missed


class BehindThresholds(NamedTuple):
    relative: bool  # Sanya's relative shortfall rather than a gap in points
    yellow_pp: float
    red_pp: float
    yellow_rel: float
    red_rel: float


class StalledThresholds(NamedTuple):
    yellow_reports: int
    red_reports: int


class ForecastThresholds(NamedTuple):
    reports: int  # how many of the latest reports the rate is taken over
    slack_days: int  # days after the due date before a late projection warns


class TargetThresholds(NamedTuple):
    yellow_pp: float
    red_pp: float


class ProgressRow(NamedTuple):
    item_id: int
    zone_id: int
    unit_id: int
    behind: str | None  # level, None when the rule does not fire
    planned: Decimal | float  # planned % on the latest report's day (reporting.progress)
    progress: float  # the latest report's
    basis: str  # reporting.progress.TRAJECTORY, MILESTONES or LINEAR
    stalled: str | None
    forecast: str | None
    rate_from: float | None  # progress of the report the forecast's rate starts from
    rate_from_day: int | None  # and its day
    day: int  # the latest report's day (the last day of its period, days since 1970-01-01)
    due_day: int | None


class TargetRow(NamedTuple):
    item_id: int
    zone_id: int
    unit_id: int
    target_id: int
    indicator: str
    unit_of_measure: str
    goal: float
    value: float
    elapsed: float  # share of the item's time gone by, 0 to 1
    share: float  # share of the way from baseline to target achieved
    baseline: float | None
    direction: str
    level: str


def _day(expr: str) -> str:
    """Days since 1970-01-01 of a date column, as an integer: the date arithmetic both backends can do."""
    if connection.vendor == "postgresql":
        return f"({expr} - DATE '1970-01-01')"
    return f"CAST(julianday({expr}) - 2440587.5 AS INTEGER)"


def _values(columns: Sequence[str], rows: Sequence[Row]) -> tuple[str, list[Any]]:
    """A VALUES list as a relation with named columns (both backends call VALUES columns column1, column2 …).
    Callers skip their query when a list would be empty."""
    assert rows, "an empty VALUES list"
    names = ", ".join(f"column{n + 1} AS {c}" for n, c in enumerate(columns))
    marks = ", ".join("(" + ", ".join(["%s"] * len(columns)) + ")" for _ in rows)
    return f"SELECT {names} FROM (VALUES {marks}) AS v", [x for row in rows for x in row]


def _marks(values: Collection[object]) -> str:
    return ", ".join(["%s"] * len(values))


HANDED_SQL = "(" + ", ".join(f"'{s.value}'" for s in HANDED_IN) + ")"
REPORT = Report._meta.db_table


def open_items(zone_ids: Sequence[int]) -> QuerySet[PlanItem]:
    """The subjects of every item rule: items that owe reports (reporting.queries.due_items_q, the predicate
    the reporting pages use) in issued plans."""
    return (
        PlanItem.objects.filter(zone_id__in=zone_ids, plan__status=PlanStatus.ISSUED)
        .filter(due_items_q())
        .order_by()
    )


def open_items_sql(zone_ids: Sequence[int]) -> tuple[str, list[Any]]:
    """open_items compiled by the ORM into a CTE body: (id, zone_id, plan_id, unit_id, start_date, due_date)."""
    items = open_items(zone_ids).values_list(
        "id", "zone_id", "plan_id", "lead_unit_id", "start_date", "due_date"
    )
    sql, params = items.query.sql_with_params()
    return sql, list(params)


@dataclass(frozen=True)
class RecentPeriod:
    id: int
    zone_id: int
    cycle_id: int
    plan_id: int
    ends_on: date
    label: str
    rank: int  # 1 = the cycle's latest started period
    due_rank: int | None  # 1 = the cycle's latest period past its deadline; None when not yet due


def recent_periods(zone_ids: Sequence[int], today: date, now: datetime, horizon: int) -> list[RecentPeriod]:
    """Each active cycle's last `horizon` started periods, newest first (one query)."""
    ranked = (
        Period.objects.filter(zone_id__in=zone_ids, cycle__active=True, starts_on__lte=today)
        .annotate(rank=Window(RowNumber(), partition_by=F("cycle_id"), order_by=F("ends_on").desc()))
        .filter(rank__lte=horizon)
        .values_list("id", "zone_id", "cycle_id", "cycle__plan_id", "ends_on", "label", "due_at", "rank")
        .order_by("cycle_id", "rank")
    )
    out, due_rank, cycle = [], 0, None
    for pk, zone_id, cycle_id, plan_id, ends_on, label, due_at, rank in ranked:
        if cycle_id != cycle:
            cycle, due_rank = cycle_id, 0
        if due_at < now:
            due_rank += 1
        out.append(
            RecentPeriod(
                pk, zone_id, cycle_id, plan_id, ends_on, label, rank, due_rank if due_at < now else None
            )
        )
    return out


def missing(periods: list[RecentPeriod], red_after: dict[int, int]) -> list[MissingRow]:
    """Items whose latest due report is not handed in, with the run of the latest due periods in a row they
    missed (at most the zone's `red_after`).

    A period is missed when the item owed it (started by its end) and no version of the item's report for
    it is submitted, approved or accepted; a returned report does not count."""
    deepest = max(red_after.values(), default=0)
    due = [
        (p.id, p.cycle_id, p.plan_id, p.ends_on, p.due_rank)
        for p in periods
        if p.zone_id in red_after and p.due_rank and p.due_rank <= deepest
    ]
    if not due:
        return []
    items, items_params = open_items_sql(list(red_after))
    rp, rp_params = _values(["period_id", "cycle_id", "plan_id", "ends_on", "due_rank"], due)
    zt, zt_params = _values(["zone_id", "red_after"], list(red_after.items()))
    ids = [row[0] for row in due]
    # The run ends at the first of the latest periods that was handed in, or not owed.
    run = """COALESCE(MIN(CASE WHEN h.item_id IS NOT NULL OR i.start_date > rp.ends_on THEN rp.due_rank END) - 1,
                      MAX(rp.due_rank))"""
    # The handed-in (item, period) pairs of those periods, read once through the period index and hashed.
    sql = f"""
    WITH items (id, zone_id, plan_id, unit_id, start_date, due_date) AS ({items}),
         rp AS ({rp}), zt AS ({zt}),
         handed AS MATERIALIZED (
           SELECT r.item_id, r.period_id FROM {REPORT} r
           WHERE r.period_id IN ({_marks(ids)}) AND r.status IN {HANDED_SQL})
    SELECT i.id, i.zone_id, i.unit_id, rp.cycle_id, {run} AS run
    FROM items i
    JOIN zt ON zt.zone_id = i.zone_id
    JOIN rp ON rp.plan_id = i.plan_id AND rp.due_rank <= zt.red_after
    LEFT JOIN handed h ON h.item_id = i.id AND h.period_id = rp.period_id
    GROUP BY i.id, i.zone_id, i.unit_id, rp.cycle_id
    HAVING {run} >= 1
    """
    return _fetch(sql, items_params + rp_params + zt_params + ids, MissingRow._make)


def _share(on: str, alias: str) -> str:
    """Share of an item's time gone by on day `on`, 0 to 1: from its start to its due date (reporting.progress:
    the start date or 1 January of the plan year, the due date or 31 December)."""
    start, end = f"{alias}.start_day", f"{alias}.end_day"
    return f"""CAST(CASE WHEN {on} >= {end} THEN 1.0 WHEN {on} <= {start} THEN 0.0
        ELSE 1.0 * ({on} - {start}) / ({end} - {start}) END AS DOUBLE PRECISION)"""


def _items_with_days(zone_ids: Sequence[int], plan_years: dict[int, int]) -> tuple[str, list[Any]]:
    """CTEs `items0` and `items`: the open items with day numbers for their start, their end (due date or
    31 December) and their real due date (NULL when they have none)."""
    items, params = open_items_sql(zone_ids)
    ps, ps_params = _values(
        ["plan_id", "start_day", "end_day"],
        [(p, day(date(y, 1, 1)), day(date(y, 12, 31))) for p, y in plan_years.items()],
    )
    sql = f"""items0 (id, zone_id, plan_id, unit_id, start_date, due_date) AS ({items}),
    ps AS ({ps}),
    items AS (
      SELECT i.id, i.zone_id, i.unit_id, COALESCE({_day("i.start_date")}, ps.start_day) AS start_day,
             COALESCE({_day("i.due_date")}, ps.end_day) AS end_day, {_day("i.due_date")} AS due_day
      FROM items0 i JOIN ps ON ps.plan_id = i.plan_id)"""
    return sql, params + ps_params


@dataclass(frozen=True)
class ProgressThresholds:
    """One zone's thresholds for the three rules that read the recent progress values (None: rule off)."""

    behind: BehindThresholds | None
    stalled: StalledThresholds | None
    forecast: ForecastThresholds | None


def _nth(column: str, index: str, kind: str) -> str:
    """Element `index` (an SQL integer expression, 0 = the first) of a JSON array column, cast to `kind`;
    NULL past the array's end."""
    if connection.vendor == "postgresql":
        return f"CAST({column} ->> CAST({index} AS INTEGER) AS {kind})"
    return f"CAST(json_extract({column}, '$[' || ({index}) || ']') AS {kind})"


def _planned() -> str:
    """Planned progress on the latest report's day (f.d1): THE RULE of reporting.progress (its docstring), the
    same steps as reporting.progress.planned_progress. The trajectory's points either side of the day are `a`
    (f.prev_on) and `b` (f.next_on); the milestones' weights f.ms_total and f.ms_due (NULL when none is due)."""
    a_on, b_on = _day("a." + _q("on")), _day("b." + _q("on"))
    return f"""ROUND(CAST(CASE
      WHEN f.basis = '{TRAJECTORY}' THEN CASE
        WHEN b.item_id IS NULL THEN a.planned
        WHEN a.item_id IS NULL THEN CASE WHEN f.d1 <= f.start_day OR {b_on} <= f.start_day THEN 0
          ELSE 1.0 * b.planned * (f.d1 - f.start_day) / ({b_on} - f.start_day) END
        ELSE a.planned + 1.0 * (b.planned - a.planned) * (f.d1 - {a_on}) / ({b_on} - {a_on}) END
      WHEN f.basis = '{MILESTONES}' THEN 100.0 * COALESCE(f.ms_due, 0) / f.ms_total
      ELSE 100 * {_share("f.d1", "f")} END AS NUMERIC) + {HALF_UP_NUDGE}, {DECIMALS})"""


def _basis() -> str:
    """Which step of the rule draws the plan (reporting.progress.TRAJECTORY, MILESTONES or LINEAR)."""
    return f"""CASE WHEN i.prev_on IS NOT NULL OR i.next_on IS NOT NULL THEN '{TRAJECTORY}'
      WHEN i.ms_total > 0 THEN '{MILESTONES}' ELSE '{LINEAR}' END"""


def _plan_inputs() -> str:
    """Per open item of `facts`: its milestone weights (all, and due by the latest report's day f.d1) and its
    trajectory's dates either side of that day. PostgreSQL aggregates milestones and points once and hash-joins
    them; SQLite would scan those aggregates once per item, so there each is a lookup through the item index."""
    milestone, trajectory, on = Milestone._meta.db_table, TrajectoryPoint._meta.db_table, _q("on")
    due, when = _day("m.due_date"), _day("tp." + on)
    if connection.vendor == "postgresql":
        return f"""
      SELECT f.*, ms.total AS ms_total, ms.due AS ms_due, tr.prev_on, tr.next_on
      FROM facts f
      LEFT JOIN (
        SELECT m.item_id, SUM(m.weight) AS total, SUM(CASE WHEN {due} <= f.d1 THEN m.weight ELSE 0 END) AS due
        FROM {milestone} m JOIN facts f ON f.id = m.item_id WHERE m.due_date IS NOT NULL
        GROUP BY m.item_id) ms ON ms.item_id = f.id
      LEFT JOIN (
        SELECT tp.item_id, MAX(CASE WHEN {when} <= f.d1 THEN tp.{on} END) AS prev_on,
               MIN(CASE WHEN {when} > f.d1 THEN tp.{on} END) AS next_on
        FROM {trajectory} tp JOIN facts f ON f.id = tp.item_id
        GROUP BY tp.item_id) tr ON tr.item_id = f.id"""
    return f"""
      SELECT f.*,
        (SELECT SUM(m.weight) FROM {milestone} m WHERE m.item_id = f.id AND m.due_date IS NOT NULL) AS ms_total,
        (SELECT SUM(m.weight) FROM {milestone} m
         WHERE m.item_id = f.id AND m.due_date IS NOT NULL AND {due} <= f.d1) AS ms_due,
        (SELECT MAX(tp.{on}) FROM {trajectory} tp WHERE tp.item_id = f.id AND {when} <= f.d1) AS prev_on,
        (SELECT MIN(tp.{on}) FROM {trajectory} tp WHERE tp.item_id = f.id AND {when} > f.d1) AS next_on
      FROM facts f"""


def progress(
    plan_years: dict[int, int], thresholds: dict[int, ProgressThresholds], today: date
) -> list[ProgressRow]:
    """BEHIND, STALLED and FORECAST in one statement over the open items' pulses (reporting.models.Pulse: each
    item's latest counted reports, newest first): a row for each item where one of them fires.

    Behind: the latest report's progress against the plan for the end of its period. Stalled: the last N
    reports never rose above the first of them (N = the zone's yellow or red count; the pulse's flat_runs
    answers that for every N). Forecast: the rate from the K-th last report to the last does not reach 100 %
    by the due date plus slack (compared as products, so a zero or negative rate needs no division). Behind
    and forecast leave items past their due date to OVERDUE."""
    zones = {z: t for z, t in thresholds.items() if t.behind or t.stalled or t.forecast}
    if not zones or not plan_years:
        return []
    items, params = _items_with_days(list(zones), plan_years)
    zt, zt_params = _progress_thresholds(zones)
    return _fetch(_progress_sql(items, zt, day(today)), params + zt_params, ProgressRow._make)


def _progress_thresholds(zones: dict[int, ProgressThresholds]) -> tuple[str, list[Any]]:
    """The zones' thresholds of the three rules as a VALUES relation `zt`, one row per zone."""
    # Counts of a rule that is off are 1, so the pulse array lookups stay in range; the rule's flag ignores them.
    return _values(
        [
            "zone_id",
            "b_on",
            "b_rel",
            "b_y",
            "b_r",
            "b_yrel",
            "b_rrel",
            "s_on",
            "s_ybit",
            "s_rbit",
            "f_on",
            "f_k",
            "f_slack",
        ],
        [
            (
                zone_id,
                z.behind is not None,
                *(z.behind or BehindThresholds(False, 0.0, 0.0, 0.0, 0.0)),
                z.stalled is not None,
                *(1 << (n - 1) for n in (z.stalled or StalledThresholds(1, 1))),
                z.forecast is not None,
                *(z.forecast or ForecastThresholds(1, 0)),
            )
            for zone_id, z in zones.items()
        ],
    )


def _progress_sql(items: str, zt: str, t: int) -> str:
    """The statement of `progress` over the CTEs of _items_with_days and the thresholds `zt`, on day `t`."""
    on = _q("on")
    pulse, trajectory = Pulse._meta.db_table, TrajectoryPoint._meta.db_table
    return f"""
    WITH {items},
    zt AS ({zt}),
    facts AS MATERIALIZED (
      SELECT i.id, i.zone_id, i.unit_id, i.start_day, i.end_day, i.due_day,
        {_nth("p.progress", "0", "DOUBLE PRECISION")} AS p1, {_nth("p.days", "0", "INTEGER")} AS d1,
        {_nth("p.progress", "zt.f_k - 1", "DOUBLE PRECISION")} AS pk,
        {_nth("p.days", "zt.f_k - 1", "INTEGER")} AS dk,
        CASE WHEN (p.flat_runs & zt.s_ybit) <> 0 THEN 1 ELSE 0 END AS flat_y,
        CASE WHEN (p.flat_runs & zt.s_rbit) <> 0 THEN 1 ELSE 0 END AS flat_r,
        zt.b_on, zt.b_rel, zt.b_y, zt.b_r, zt.b_yrel, zt.b_rrel, zt.s_on, zt.f_on, zt.f_slack
      FROM {pulse} p JOIN items i ON i.id = p.item_id JOIN zt ON zt.zone_id = i.zone_id),
    inputs AS ({_plan_inputs()}),
    based AS (SELECT i.*, {_basis()} AS basis FROM inputs i),
    planned AS MATERIALIZED (
      SELECT f.*, {_planned()} AS plan
      FROM based f
      LEFT JOIN {trajectory} a ON a.item_id = f.id AND a.{on} = f.prev_on
      LEFT JOIN {trajectory} b ON b.item_id = f.id AND b.{on} = f.next_on),
    levels AS ({_levels(t)})
    SELECT id, zone_id, unit_id, behind, plan, p1, basis, stalled, forecast, pk, dk, d1, due_day
    FROM levels WHERE behind IS NOT NULL OR stalled IS NOT NULL OR forecast IS NOT NULL
    """


def _levels(t: int) -> str:
    """Each rule's level per item of `planned` (None: it does not fire), on day `t`."""
    return f"""
      SELECT p.*,
        CASE WHEN NOT p.b_on OR p.due_day < {t} THEN NULL
             WHEN p.b_rel THEN CASE WHEN p.plan <= 0 THEN NULL
               WHEN 1 - p.p1 / p.plan > p.b_rrel THEN 'red' WHEN 1 - p.p1 / p.plan > p.b_yrel THEN 'yellow' END
             WHEN p.plan - p.p1 >= p.b_r - {EPSILON} THEN 'red'
             WHEN p.plan - p.p1 >= p.b_y - {EPSILON} THEN 'yellow' END AS behind,
        CASE WHEN NOT p.s_on OR p.p1 >= 100 THEN NULL
             WHEN p.flat_r = 1 THEN 'red' WHEN p.flat_y = 1 THEN 'yellow' END AS stalled,
        CASE WHEN NOT p.f_on OR p.pk IS NULL OR p.p1 >= 100 OR p.due_day IS NULL OR p.due_day < {t}
               OR p.d1 <= p.dk THEN NULL
             WHEN (p.p1 - p.pk) * (p.due_day + p.f_slack - p.d1) < (100 - p.p1) * (p.d1 - p.dk) THEN 'yellow'
             END AS forecast
      FROM planned p
    """


def targets(
    plan_years: dict[int, int], thresholds: dict[int, TargetThresholds], today: date
) -> list[TargetRow]:
    """Targets whose latest reported value (reporting.models.LatestValue) lags the elapsed share of the way from
    baseline to target (on the last day of that report's period) by at least the zone's yellow threshold, in
    percentage points.

    Direction-aware: for "越小越好" the way runs down from the baseline, so such a target needs a baseline.
    Items past their due date are OVERDUE's."""
    if not thresholds or not plan_years:
        return []
    items, params = _items_with_days(list(thresholds), plan_years)
    zt, zt_params = _values(
        ["zone_id", "y", "r"], [(z, t.yellow_pp, t.red_pp) for z, t in thresholds.items()]
    )
    target, latest = Target._meta.db_table, LatestValue._meta.db_table
    increase, decrease = Direction.INCREASE.value, Direction.DECREASE.value
    sql = f"""
    WITH {items},
    zt AS ({zt}),
    shares AS (
      SELECT i.id, i.zone_id, i.unit_id, t.id AS target_id, t.indicator, t.unit_of_measure,
        CAST(t.baseline AS DOUBLE PRECISION) AS baseline, CAST(t.target_value AS DOUBLE PRECISION) AS goal,
        t.direction, CAST(l.value AS DOUBLE PRECISION) AS value, {_share(_day("l.ends_on"), "i")} AS elapsed,
        zt.y, zt.r
      FROM items i JOIN zt ON zt.zone_id = i.zone_id
      JOIN {target} t ON t.item_id = i.id
      JOIN {latest} l ON l.target_id = t.id
      WHERE i.due_day IS NULL OR i.due_day >= {day(today)}),
    achieved AS (
      SELECT s.*, CASE
        WHEN s.direction = '{increase}' AND s.goal <> COALESCE(s.baseline, 0)
          THEN (s.value - COALESCE(s.baseline, 0)) / (s.goal - COALESCE(s.baseline, 0))
        WHEN s.direction = '{decrease}' AND s.baseline IS NOT NULL AND s.goal <> s.baseline
          THEN (s.baseline - s.value) / (s.baseline - s.goal) END AS share
      FROM shares s)
    SELECT id, zone_id, unit_id, target_id, indicator, unit_of_measure, goal, value, elapsed, share, baseline,
      direction, CASE WHEN 100 * (elapsed - share) >= r - {EPSILON} THEN 'red' ELSE 'yellow' END
    FROM achieved WHERE share IS NOT NULL AND 100 * (elapsed - share) >= y - {EPSILON}
    """
    return _fetch(sql, params + zt_params, TargetRow._make)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fetch(sql: str, params: list[Any], make: Callable[[Iterable[Any]], T]) -> list[T]:
    """The statement's rows, each made into a named row (`_make` of a NamedTuple: still a tuple, cheaply)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(map(make, cursor.fetchall()))
