"""The warning sweep over a zone of N items with W weeks of weekly reports, against the naive per-item loop.

Run: `.venv/bin/python -m bench.sweep --nodes 20000 --weeks 40 --json`. Uses the PostgreSQL database `bench` on
BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/bench), dropped and rebuilt each run
unless --reuse finds the same zone there; `--sqlite` uses a throwaway SQLite file instead.

Prints {"nodes", "reports", "seconds", "naive_seconds"}: `seconds` is the first sweep over the fresh data (it
opens every warning); `naive_seconds` is the obvious loop (a few ORM queries per item, then per-item writes)
timed on --sample items and extrapolated linearly to all of them, inside a transaction that is rolled back. The
naive loop's levels are compared with the sweep's for the sample; a difference fails the run. Details (the
steady-state second sweep, the sample) go to stderr."""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench"


def _fresh_postgres(url: str) -> None:
    """Drop and create the bench database (never the one the test suite uses)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if name in ("test", "postgres", "luoshi"):
        raise SystemExit(f"refusing to rebuild database {name!r}")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def naive_levels(zone_id: int, item_ids: list[int], now: datetime) -> dict[tuple[str, int], str]:
    """The same rules, item by item, the way one would first write them: ask the database about each item
    (its children, cycles, periods, reports, milestones, trajectory, targets, open warnings), decide in
    Python with reporting.progress.planned_progress, then write that item's warnings."""
    from django.utils import timezone

    from luoshi.alerts.choices import BehindProfile, Level, RuleCode
    from luoshi.alerts.facts import EPSILON
    from luoshi.alerts.models import Warning
    from luoshi.alerts.sweep import horizon, zone_rules
    from luoshi.plans.choices import Direction, ItemStatus, PlanStatus
    from luoshi.plans.models import PlanItem
    from luoshi.reporting.choices import HANDED_IN
    from luoshi.reporting.models import PULSE_DEPTH, Cycle, Report, ReportValue
    from luoshi.reporting.progress import planned_progress
    from luoshi.reporting.queries import counted_reports, work_calendar

    today = timezone.localdate(now)
    rules = zone_rules([zone_id])
    depth = horizon(rules)
    on = rules[zone_id]
    calendar = work_calendar(zone_id, today, today + timedelta(days=90))
    found: dict[tuple[str, int], str] = {}
    for item in PlanItem.objects.filter(pk__in=item_ids).select_related("plan"):
        if (
            item.plan.status != PlanStatus.ISSUED
            or item.lead_unit_id is None
            or item.status in (ItemStatus.DONE, ItemStatus.CANCELLED)
            or item.children.exists()
        ):
            continue
        levels: dict[str, Level] = {}
        recent = [
            list(c.periods.filter(starts_on__lte=today).order_by("-ends_on")[:depth])
            for c in Cycle.objects.filter(plan_id=item.plan_id, active=True)
        ]
        handed = Report.objects.filter(item=item, status__in=HANDED_IN)
        counted = counted_reports().filter(item=item)
        newest = counted.select_related("period").order_by("-period__ends_on", "-version", "-period_id")
        reports = list(newest[:PULSE_DEPTH])
        values = [float(r.progress) for r in reports]
        overdue = item.due_date is not None and item.due_date < today
        if RuleCode.MISSING in on:
            red = on[RuleCode.MISSING]["red_consecutive"]
            best = 0
            for periods in recent:
                run = 0
                for period in [p for p in periods if p.due_at < now][:red]:
                    owed = item.start_date is None or item.start_date <= period.ends_on
                    if not owed or handed.filter(period=period).exists():
                        break
                    run += 1
                best = max(best, run)
            if best:
                levels[RuleCode.MISSING] = Level.RED if best >= red else Level.YELLOW
        if RuleCode.STALLED in on and values and values[0] < 100:
            t = on[RuleCode.STALLED]
            for n, level in ((t["red_reports"], Level.RED), (t["reports"], Level.YELLOW)):
                if len(values) >= n and max(values[:n]) <= values[n - 1]:
                    levels[RuleCode.STALLED] = level
                    break
        start = item.start_date or date(item.plan.year, 1, 1)
        end = item.due_date or date(item.plan.year, 12, 31)
        if RuleCode.BEHIND in on and values and not overdue:
            t = on[RuleCode.BEHIND]
            planned = float(
                planned_progress(
                    reports[0].period.ends_on,
                    start,
                    end,
                    [(m.due_date, m.weight) for m in item.milestones.all() if m.due_date],
                    [(p.on, p.planned) for p in item.trajectory.all()],
                )
            )
            actual = values[0]
            if t["profile"] == BehindProfile.SHORTFALL_REL:
                rel = 1 - actual / planned if planned > 0 else None
                if rel is not None and rel > t["red_rel"]:
                    levels[RuleCode.BEHIND] = Level.RED
                elif rel is not None and rel > t["yellow_rel"]:
                    levels[RuleCode.BEHIND] = Level.YELLOW
            elif planned - actual >= t["red_pp"] - EPSILON:
                levels[RuleCode.BEHIND] = Level.RED
            elif planned - actual >= t["yellow_pp"] - EPSILON:
                levels[RuleCode.BEHIND] = Level.YELLOW
        if RuleCode.FORECAST in on and item.due_date and not overdue and values and values[0] < 100:
            k, slack = on[RuleCode.FORECAST]["reports"], on[RuleCode.FORECAST]["grace_days"]
            if len(values) >= k and reports[0].period.ends_on > reports[k - 1].period.ends_on:
                d1, dk = reports[0].period.ends_on, reports[k - 1].period.ends_on
                left = (item.due_date + timedelta(days=slack) - d1).days
                if (values[0] - values[k - 1]) * left < (100 - values[0]) * (d1 - dk).days:
                    levels[RuleCode.FORECAST] = Level.YELLOW
        if RuleCode.MILESTONE in on:
            late = item.milestones.filter(due_date__lt=today, done=False).order_by("due_date").first()
            if late is not None and late.due_date is not None:
                days = (today - late.due_date).days
                levels[RuleCode.MILESTONE] = (
                    Level.RED if days > on[RuleCode.MILESTONE]["red_days"] else Level.YELLOW
                )
        if RuleCode.OVERDUE in on and overdue:
            levels[RuleCode.OVERDUE] = Level.RED
        if RuleCode.DUE_SOON in on and item.due_date and not overdue:
            n = on[RuleCode.DUE_SOON]["workdays"]
            last = calendar.add_workdays(today + timedelta(days=1), n - 1) if n > 0 else today
            if item.due_date <= last:
                levels[RuleCode.DUE_SOON] = Level.BLUE
        if RuleCode.TARGET in on and not overdue:
            t, worst = on[RuleCode.TARGET], None
            for target in item.targets.all():
                value = (
                    ReportValue.objects.filter(target=target, report__in=counted)
                    .order_by("-report__period__ends_on", "-report__version")
                    .select_related("report__period")
                    .first()
                )
                base = float(target.baseline) if target.baseline is not None else None
                goal = float(target.target_value)
                if value is None:
                    continue
                if target.direction == Direction.INCREASE and goal != (base or 0.0):
                    share = (float(value.value) - (base or 0.0)) / (goal - (base or 0.0))
                elif target.direction == Direction.DECREASE and base is not None and goal != base:
                    share = (base - float(value.value)) / (base - goal)
                else:
                    continue
                when = value.report.period.ends_on
                elapsed = (
                    1.0 if when >= end else 0.0 if when <= start else (when - start).days / (end - start).days
                )
                gap = 100 * (elapsed - share)
                worst = gap if worst is None else max(worst, gap)
            if worst is not None and worst >= t["red_pp"] - EPSILON:
                levels[RuleCode.TARGET] = Level.RED
            elif worst is not None and worst >= t["yellow_pp"] - EPSILON:
                levels[RuleCode.TARGET] = Level.YELLOW
        mine = {w.rule: w for w in Warning.objects.filter(item=item, resolved_at__isnull=True)}
        for rule, level in levels.items():
            found[(rule, item.pk)] = level
            if rule in mine:
                Warning.objects.filter(pk=mine[rule].pk).update(level=level, updated_at=now)
            else:
                Warning.objects.create(
                    zone_id=zone_id, rule=rule, item=item, unit_id=item.lead_unit_id, level=level,
                    reason="", numbers={}, opened_at=now, updated_at=now,
                )  # fmt: skip
        Warning.objects.filter(pk__in=[w.pk for r, w in mine.items() if r not in levels]).update(
            resolved_at=now
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--weeks", type=int, default=40)
    parser.add_argument("--sample", type=int, default=2_000, help="items the naive loop times (extrapolated)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench zone of the same size")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    elif not args.reuse:
        _fresh_postgres(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.sweep_data import build, now_after
    from luoshi.alerts.actions import ensure_rules, sweep
    from luoshi.alerts.models import Warning, WarningEvent
    from luoshi.org.models import Zone
    from luoshi.plans.models import PlanItem
    from luoshi.reporting.models import Report

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    zone = Zone.objects.filter(code=f"bench-{args.nodes}-{args.weeks}").first()
    if zone is None:
        zone = build(args.nodes, args.weeks).zone
    else:
        WarningEvent.objects.filter(warning__zone=zone).delete()
        Warning.objects.filter(zone=zone).delete()
        # As fresh as a new zone's tables, for the first sweep's inserts.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Warning._meta.db_table}, {WarningEvent._meta.db_table}")
    now = now_after(args.weeks)
    print(f"data ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    # The naive loop first, from the same empty state (the zone's default rules), its writes rolled back.
    ensure_rules([zone.pk])
    items = list(PlanItem.objects.filter(zone=zone).values_list("pk", flat=True))
    sample = sorted(random.Random(7).sample(items, min(args.sample, len(items))))
    with transaction.atomic():
        started = time.perf_counter()
        naive = naive_levels(zone.pk, sample, now)
        naive_seconds = (time.perf_counter() - started) * len(items) / len(sample)
        transaction.set_rollback(True)

    started = time.perf_counter()
    first = sweep([zone], now)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = sweep([zone], now)
    steady = time.perf_counter() - started
    print(f"first sweep {seconds:.2f} s: {first.as_json()}", file=sys.stderr)
    print(f"second sweep {steady:.2f} s: created {second.created}, updated {second.updated}", file=sys.stderr)
    swept = {
        (rule, item_id): level
        for rule, item_id, level in Warning.objects.filter(
            zone=zone, resolved_at__isnull=True, item_id__in=sample
        ).values_list("rule", "item_id", "level")
    }
    differ = sorted(set(naive.items()) ^ set(swept.items()))
    print(f"naive: {len(sample)} items, {len(naive)} warnings, {len(differ)} differences", file=sys.stderr)
    for key in differ[:20]:
        print("  differs:", key, file=sys.stderr)
    result = {
        "nodes": len(items),
        "reports": Report.objects.filter(zone=zone).count(),
        "seconds": round(seconds, 2),
        "naive_seconds": round(naive_seconds, 1),
    }
    print(json.dumps(result) if args.json else result)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
