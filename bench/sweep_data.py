"""A zone of N plan items with W weeks of weekly reports, for the sweep benchmark.

Tasks with measures under them (19 a task); measures have lead units, some milestones, targets and trajectories.
Each measure follows a profile: most are on track, some lag, some stall, some fall silent, a few finish early.
Rows are generated in Python with a seeded random source and loaded with COPY on PostgreSQL (indexes and
constraints of the two big tables are dropped for the load and rebuilt after it, the usual bulk-load practice)
or executemany on SQLite."""

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeAlias
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models

from luoshi.org.models import Unit, Zone
from luoshi.plans.models import Milestone, Plan, PlanItem, Target
from luoshi.reporting.actions import refresh_pulses
from luoshi.reporting.models import Cycle, Period, Report, ReportValue, TrajectoryPoint

YEAR = 2026
FIRST_MONDAY = date(2026, 1, 5)
PER_TASK = 19
UNITS = 40
PROFILES = ("on_track",) * 80 + ("lagging",) * 7 + ("stalled",) * 5 + ("silent",) * 5 + ("early",) * 3
STATUSES = ("accepted",) * 85 + ("submitted",) * 10 + ("returned",) * 3 + ("draft",) * 2
DUES = (date(2026, 6, 30),) * 2 + (date(2026, 12, 31),) * 5 + (date(2026, 9, 30), date(2026, 11, 30), None)
QUARTER_ENDS = (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31))

Value: TypeAlias = bool | int | float | str | date | datetime | None  # a column value the loads write
Row: TypeAlias = tuple[Value, ...]  # one table row, its columns in the order given to _load


@dataclass
class Built:
    zone: Zone
    now: datetime  # the Monday after the last reported week, 10:00: every period is past its deadline
    items: int
    reports: int


@dataclass
class Measure:
    pk: int
    start: date
    due: date | None
    profile: str
    stop_week: int  # stalled: last week with progress; silent: last week reported
    offset: float  # on track: how far ahead of the plan the item runs, in percentage points
    target_id: int | None = None
    baseline: float | None = None
    goal: float = 0.0


def _sqlite_value(value: Value) -> Value:
    """What Django itself would store in SQLite: naive UTC text for datetimes, ISO text for dates."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _load(model: type[models.Model], columns: list[str], rows: Iterable[Row]) -> int:
    table = model._meta.db_table
    columns = [connection.ops.quote_name(c) for c in columns]
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:  # psycopg's COPY, under Django's cursor wrapper
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            batch: list[Row] = []
            for row in rows:
                batch.append(tuple(_sqlite_value(v) for v in row))
                if len(batch) == 20_000:
                    cursor.executemany(sql, batch)
                    count, batch = count + len(batch), []
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


class _BulkLoad:
    """On PostgreSQL: drop a table's secondary indexes and constraints for the load, rebuild them after."""

    def __init__(self, *tables: type[models.Model]) -> None:
        self.tables = [m._meta.db_table for m in tables]
        self.rebuild: list[str] = []

    def __enter__(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                    self.rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
                    [table, "%_pkey"],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f'DROP INDEX "{name}"')
                    self.rebuild.append(definition)

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            for statement in self.rebuild:
                cursor.execute(statement)
            if connection.vendor == "postgresql":
                cursor.execute("SET maintenance_work_mem = '512MB'")
                for table in self.tables:
                    cursor.execute(f"ANALYZE {table}")


FACTORS = {"early": 1.6, "lagging": 0.55, "stalled": 0.9}


def _progress(m: Measure, week_end: date, rng: random.Random) -> float:
    """Cumulative progress reported for the week ending `week_end`: the linear plan bent by the profile."""
    if m.profile == "stalled":
        week_end = min(week_end, FIRST_MONDAY + timedelta(weeks=m.stop_week))
    span = max(((m.due or date(YEAR, 12, 31)) - m.start).days, 1)
    planned = min(max((week_end - m.start).days / span, 0.0), 1.0) * 100
    if m.profile in FACTORS:
        return min(100.0, planned * FACTORS[m.profile])
    return min(100.0, max(0.0, planned + m.offset + rng.uniform(-0.5, 0.5)))


def _measures(nodes: int, weeks: int, rng: random.Random) -> list[Measure]:
    measures = []
    for pk in range(1, nodes + 1):
        if pk % (PER_TASK + 1) == 1:  # a task: pk 1, 21, 41, …
            continue
        profile = rng.choice(PROFILES)
        start = FIRST_MONDAY if rng.random() < 0.7 else date(YEAR, rng.choice((1, 2, 3, 4)), 1)
        stop = rng.randrange(-1, weeks) if profile in ("stalled", "silent") else weeks
        measures.append(Measure(pk, start, rng.choice(DUES), profile, stop, rng.uniform(-1, 5)))
    return measures


def _item_rows(
    zone: Zone, plan: Plan, units: list[int], measures: list[Measure], now: datetime
) -> Iterator[Row]:
    rng = random.Random(len(measures))
    by_pk = {m.pk: m for m in measures}
    task_pk, task_path, task_no, position = 0, "", 0, 0
    for pk in range(1, max(by_pk, default=0) + 1):
        m = by_pk.get(pk)
        if m is None:
            task_pk, task_path, position = pk, PlanItem.segment(task_no), 0
            task_no += 1
            yield (
                pk,
                zone.pk,
                plan.pk,
                None,
                task_path,
                1,
                f"{task_no}.",
                f"任务{task_no}",
                None,
                None,
                None,
                "in_progress",
            )
            continue
        done = m.profile in ("early", "on_track") and _progress(m, now.date(), rng) >= 99.5
        yield (
            pk, zone.pk, plan.pk, task_pk, task_path + PlanItem.segment(position), 2, f"({position + 1})",
            f"措施{task_no}-{position + 1}", units[pk % len(units)], m.start, m.due, "done" if done else "in_progress",
        )  # fmt: skip
        position += 1


def _details(
    zone: Zone, measures: list[Measure], now: datetime, rng: random.Random
) -> tuple[list[Row], list[Row], list[Row]]:
    """Milestones on a quarter of the measures, a target on a fifth, a trajectory on one in twenty."""
    milestones: list[Row] = []
    targets: list[Row] = []
    points: list[Row] = []
    for m in measures:
        roll = rng.random()
        if roll < 0.25:
            for q, end in enumerate(QUARTER_ENDS):
                done = m.profile in ("on_track", "early") and end < now.date()
                milestones.append(
                    (m.pk, zone.pk, f"第{q + 1}季度节点", end, 1, done, end if done else None, q)
                )
        elif roll < 0.45:
            m.target_id = len(targets) + 1
            m.baseline = float(rng.randrange(50, 100)) if rng.random() < 0.5 else None
            m.goal = (m.baseline or 0.0) + rng.randrange(20, 200)
            targets.append(
                (m.target_id, zone.pk, m.pk, "新增企业", "家", m.baseline, m.goal, "increase", 0, True)
            )
        elif roll < 0.50 and m.due is not None:
            points += [(m.pk, zone.pk, date(YEAR, 3, 31), 10), (m.pk, zone.pk, date(YEAR, 6, 30), 40)]
    return milestones, targets, points


def now_after(weeks: int) -> datetime:
    """The Monday after the last reported week, 10:00: every period is past its deadline."""
    return datetime.combine(FIRST_MONDAY + timedelta(weeks=weeks), time(10), ZoneInfo(settings.TIME_ZONE))


def build(nodes: int, weeks: int, seed: int = 42) -> Built:
    rng = random.Random(seed)
    tz = ZoneInfo(settings.TIME_ZONE)
    zone = Zone.objects.create(code=f"bench-{nodes}-{weeks}", name=f"基准园区 {nodes}×{weeks}")
    units = Unit.objects.bulk_create([Unit(zone=zone, name=f"单位{u:02d}", position=u) for u in range(UNITS)])
    plan = Plan.objects.create(zone=zone, year=YEAR, title="基准计划", status="issued")
    cycle = Cycle.objects.create(zone=zone, plan=plan, starts_on=FIRST_MONDAY)
    periods = Period.objects.bulk_create(
        [
            Period(
                zone=zone,
                cycle=cycle,
                starts_on=FIRST_MONDAY + timedelta(weeks=w),
                ends_on=FIRST_MONDAY + timedelta(weeks=w, days=6),
                label=f"{YEAR}年第{w + 2}周",
                due_at=datetime.combine(FIRST_MONDAY + timedelta(weeks=w, days=4), time(17), tz),
                closes_at=datetime.combine(FIRST_MONDAY + timedelta(weeks=w + 1, days=4), time(23, 59), tz),
            )
            for w in range(weeks)
        ]
    )
    now = now_after(weeks)
    measures = _measures(nodes, weeks, rng)
    unit_ids = [u.pk for u in units]
    item_columns = [
        "id", "zone_id", "plan_id", "parent_id", "path", "depth", "code", "title", "lead_unit_id",
        "start_date", "due_date", "status", "description", "goal", "due_text", "weight",
    ]  # fmt: skip
    items = _load(
        PlanItem, item_columns, (r + ("", "", "", 1) for r in _item_rows(zone, plan, unit_ids, measures, now))
    )
    milestones, targets, points = _details(zone, measures, now, rng)
    _load(
        Milestone,
        ["item_id", "zone_id", "title", "due_date", "weight", "done", "done_on", "position"],
        milestones,
    )
    _load(
        Target,
        [
            "id",
            "zone_id",
            "item_id",
            "indicator",
            "unit_of_measure",
            "baseline",
            "target_value",
            "direction",
            "position",
            "reported",
        ],
        targets,
    )  # fmt: skip
    _load(TrajectoryPoint, ["item_id", "zone_id", "on", "planned"], points)

    values: list[Row] = []

    def report_rows() -> Iterator[Row]:
        pk = 0
        for w, period in enumerate(periods):
            handed_at = period.due_at - timedelta(hours=3)
            for m in measures:
                if m.profile == "silent" and w > m.stop_week:
                    continue
                progress = round(_progress(m, period.ends_on, rng), 1)
                status = rng.choice(STATUSES)
                pk += 1
                if m.target_id is not None:
                    value = (m.baseline or 0.0) + (m.goal - (m.baseline or 0.0)) * progress / 100
                    values.append((m.target_id, zone.pk, pk, round(value, 2)))
                yield (
                    pk, zone.pk, m.pk, period.pk, unit_ids[m.pk % len(unit_ids)], 1, status, progress,
                    handed_at if status != "draft" else None, False,
                    handed_at if status in ("accepted", "returned") else None, "", "", "", "",
                )  # fmt: skip

    report_columns = [
        "id", "zone_id", "item_id", "period_id", "unit_id", "version", "status", "progress", "submitted_at",
        "late", "reviewed_at", "work_done", "next_plan", "regress_reason", "return_reason",
    ]  # fmt: skip
    with _BulkLoad(Report, ReportValue):
        reports = _load(Report, report_columns, report_rows())
        _load(ReportValue, ["target_id", "zone_id", "report_id", "value"], values)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [PlanItem, Target, Report]):
            cursor.execute(statement)
        cursor.execute(f"ANALYZE {Report._meta.db_table}")
    refresh_pulses(m.pk for m in measures)  # as load_reports does after a bulk load
    with connection.cursor() as cursor:
        # As after any bulk load: statistics for the planner, and no autovacuum pass running during the timings.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return Built(zone, now, items, reports)
