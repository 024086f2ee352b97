"""What should be warned right now: each rule over whole zones in a handful of queries (the heavy ones in
alerts.facts), turned into `Wanted` warnings with their level and numbers. The plan items' and orders' rules are
here; other apps' come through their registered rule sources (alerts.sources). Reads only; actions.sweep
writes."""

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone

from luoshi.alerts import facts
from luoshi.alerts.choices import AWAITING_FEEDBACK, BehindProfile, Level, RuleCode
from luoshi.alerts.models import SupervisionOrder, order_number
from luoshi.alerts.sources import Scope, registered
from luoshi.alerts.wanted import Wanted, ZoneRules, enabled, zone_rules
from luoshi.lib.periods import EPOCH
from luoshi.plans.choices import Direction, PlanStatus
from luoshi.plans.models import Milestone, Plan
from luoshi.reporting.queries import work_calendars


def _iso(day_number: int) -> str:
    return (EPOCH + timedelta(days=day_number)).isoformat()


def _round(value: Any, digits: int = 1) -> float:
    return round(float(value), digits)


def _amount(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _plan_years(zone_ids: Sequence[int]) -> dict[int, int]:
    """An item without dates runs through its plan's year (as on its progress panel)."""
    plans = Plan.objects.filter(zone_id__in=zone_ids, status=PlanStatus.ISSUED)
    return dict(plans.values_list("pk", "year"))


def _missing(rules: ZoneRules, periods: list[facts.RecentPeriod]) -> Iterable[Wanted]:
    red_after = {z: int(t["red_consecutive"]) for z, t in enabled(rules, RuleCode.MISSING).items()}
    labels = {(p.cycle_id, p.due_rank): p.label for p in periods if p.due_rank}
    worst: dict[int, Wanted] = {}
    for row in facts.missing(periods, red_after):
        level = Level.RED if row.run >= red_after[row.zone_id] else Level.YELLOW
        names = [labels[(row.cycle_id, rank)] for rank in range(row.run, 0, -1)]  # oldest first
        numbers = {"missed": row.run, "periods": names}
        found = Wanted(RuleCode.MISSING, row.item_id, row.zone_id, row.unit_id, level, numbers)
        if row.item_id not in worst or row.run > worst[row.item_id].numbers["missed"]:
            worst[row.item_id] = found  # an item reporting in two cycles: the longer run of misses
    return worst.values()


def _progress(rules: ZoneRules, plan_years: dict[int, int], today: date) -> Iterable[Wanted]:
    behind, stalled, forecast = (
        enabled(rules, c) for c in (RuleCode.BEHIND, RuleCode.STALLED, RuleCode.FORECAST)
    )
    thresholds = {}
    for zone_id in behind.keys() | stalled.keys() | forecast.keys():
        b, s, f = behind.get(zone_id), stalled.get(zone_id), forecast.get(zone_id)
        thresholds[zone_id] = facts.ProgressThresholds(
            behind=facts.BehindThresholds(
                relative=b["profile"] == BehindProfile.SHORTFALL_REL,
                yellow_pp=float(b["yellow_pp"]),
                red_pp=float(b["red_pp"]),
                yellow_rel=float(b["yellow_rel"]),
                red_rel=float(b["red_rel"]),
            )
            if b
            else None,
            stalled=facts.StalledThresholds(int(s["reports"]), int(s["red_reports"])) if s else None,
            forecast=facts.ForecastThresholds(int(f["reports"]), int(f["grace_days"])) if f else None,
        )
    for row in facts.progress(plan_years, thresholds, today):
        subject = (row.item_id, row.zone_id, row.unit_id)
        if row.behind:
            yield Wanted(RuleCode.BEHIND, *subject, row.behind, _behind(row, behind[row.zone_id]["profile"]))
        if row.stalled:
            reports = stalled[row.zone_id]["red_reports" if row.stalled == Level.RED else "reports"]
            numbers = {"reports": int(reports), "progress": _round(row.progress)}
            yield Wanted(RuleCode.STALLED, *subject, row.stalled, numbers)
        if row.forecast:
            numbers = _forecast(row, int(forecast[row.zone_id]["reports"]))
            yield Wanted(RuleCode.FORECAST, *subject, row.forecast, numbers)


def _behind(row: facts.ProgressRow, profile: str) -> dict[str, Any]:
    plan = float(row.planned)
    return {
        "planned": _round(plan),
        "actual": _round(row.progress),
        "gap_pp": _round(plan - row.progress),
        "shortfall_rel": _round(1 - row.progress / plan, 3) if plan > 0 else None,
        "basis": row.basis,
        "profile": profile,
    }


def _forecast(row: facts.ProgressRow, reports: int) -> dict[str, Any]:
    assert row.rate_from is not None and row.rate_from_day is not None and row.due_day is not None  # fired
    rate = (row.progress - row.rate_from) / (row.day - row.rate_from_day)  # percentage points a day
    # The day 100 % is reached, rounded up (after rounding away binary-fraction noise: 294.00000000000006).
    projected = _iso(row.day + math.ceil(round((100 - row.progress) / rate, 6))) if rate > 0 else None
    return {
        "reports": reports,
        "rate": _round(rate * 7),
        "projected": projected,
        "due": _iso(row.due_day),
        "progress": _round(row.progress),
    }


def _expected(row: facts.TargetRow) -> float:
    """The value the target should have reached by now: the elapsed share of the way from the baseline."""
    start = row.baseline if row.baseline is not None else 0.0
    return (
        start + (row.goal - start) * row.elapsed
        if row.direction == Direction.INCREASE
        else start - (start - row.goal) * row.elapsed
    )


def _targets(rules: ZoneRules, plan_years: dict[int, int], today: date) -> Iterable[Wanted]:
    zones = {
        z: facts.TargetThresholds(float(t["yellow_pp"]), float(t["red_pp"]))
        for z, t in enabled(rules, RuleCode.TARGET).items()
    }
    worst: dict[int, tuple[float, Wanted]] = {}
    for row in facts.targets(plan_years, zones, today):
        gap = 100 * (row.elapsed - row.share)
        numbers = {
            "target_id": row.target_id,
            "indicator": row.indicator,
            "unit": row.unit_of_measure,
            "target": _amount(row.goal),
            "value": _amount(row.value),
            "expected": _amount(_expected(row)),
            "gap_pp": _round(gap),
        }
        if row.item_id not in worst or gap > worst[row.item_id][0]:  # several targets: the one lagging most
            found = Wanted(RuleCode.TARGET, row.item_id, row.zone_id, row.unit_id, row.level, numbers)
            worst[row.item_id] = (gap, found)
    return (wanted for _gap, wanted in worst.values())


def _milestones(rules: ZoneRules, today: date) -> Iterable[Wanted]:
    red_days = {z: int(t["red_days"]) for z, t in enabled(rules, RuleCode.MILESTONE).items()}
    late = Milestone.objects.filter(
        item__in=facts.open_items(list(red_days)).values("pk"), due_date__lt=today, done=False
    ).order_by()
    first = (
        late.filter(item_id=OuterRef("item_id")).order_by("due_date", "position", "id").values("title")[:1]
    )
    groups = late.values("item_id", "item__zone_id", "item__lead_unit_id").annotate(
        count=Count("pk"), first_due=Min("due_date"), title=Subquery(first)
    )
    for g in groups:
        days = (today - g["first_due"]).days
        level = Level.RED if days > red_days[g["item__zone_id"]] else Level.YELLOW
        numbers = {"title": g["title"], "due": g["first_due"].isoformat(), "days": days, "count": g["count"]}
        yield Wanted(
            RuleCode.MILESTONE, g["item_id"], g["item__zone_id"], g["item__lead_unit_id"], level, numbers
        )


def _overdue(rules: ZoneRules, today: date) -> Iterable[Wanted]:
    zones = list(enabled(rules, RuleCode.OVERDUE))
    rows = (
        facts.open_items(zones)
        .filter(due_date__lt=today)
        .values_list("pk", "zone_id", "lead_unit_id", "due_date")
    )
    for item_id, zone_id, unit_id, due in rows:
        assert due is not None  # filtered on
        numbers = {"due": due.isoformat(), "days": (today - due).days}
        yield Wanted(RuleCode.OVERDUE, item_id, zone_id, unit_id, Level.RED, numbers)


def _due_soon(rules: ZoneRules, today: date) -> Iterable[Wanted]:
    """Due within the zone's N working days on the zone's own calendar (today counts as the last chance, 0 days
    left)."""
    workdays = {zone_id: int(t["workdays"]) for zone_id, t in enabled(rules, RuleCode.DUE_SOON).items()}
    if not workdays:
        return
    calendars = work_calendars(workdays, today, today + timedelta(days=3 * max(workdays.values()) + 30))
    by_last: dict[date, list[int]] = {}
    for zone_id, n in workdays.items():
        last = calendars[zone_id].add_workdays(today + timedelta(days=1), n - 1) if n > 0 else today
        by_last.setdefault(last, []).append(zone_id)
    window = Q(pk__in=[])
    for last, zones in by_last.items():
        window |= Q(zone_id__in=zones, due_date__range=(today, last))
    rows = (
        facts.open_items(list(rules)).filter(window).values_list("pk", "zone_id", "lead_unit_id", "due_date")
    )
    for item_id, zone_id, unit_id, due in rows:
        assert due is not None  # filtered on
        left = calendars[zone_id].workdays_between(today + timedelta(days=1), due) if due > today else 0
        numbers = {"due": due.isoformat(), "workdays": left}
        yield Wanted(RuleCode.DUE_SOON, item_id, zone_id, unit_id, Level.BLUE, numbers)


def _order_overdue(rules: ZoneRules, today: date) -> Iterable[Wanted]:
    """Orders still owed feedback past their deadline (the deadline index); those more than the zone's
    `escalate_days` late and never escalated are to be escalated."""
    after = {z: int(t["escalate_days"]) for z, t in enabled(rules, RuleCode.ORDER_OVERDUE).items()}
    if not after:
        return
    rows = (
        SupervisionOrder.objects.filter(
            zone_id__in=list(after), state__in=AWAITING_FEEDBACK, deadline__lt=today
        )
        .order_by()
        .values_list("pk", "zone_id", "unit_id", "year", "number", "deadline", "escalated_at")
    )
    for order_id, zone_id, unit_id, year, number, deadline, escalated_at in rows:
        days = (today - deadline).days
        numbers = {"number": order_number(year, number), "deadline": deadline.isoformat(), "days": days}
        escalate = escalated_at is None and days > after[zone_id]
        yield Wanted(RuleCode.ORDER_OVERDUE, None, zone_id, unit_id, Level.RED, numbers, order_id, escalate)


def horizon(rules: ZoneRules) -> int:
    """How many recent periods per cycle MISSING reads: the longest run of misses any zone asks for, plus two
    for the started periods whose reports may not be due yet (this week's; last month's until the 5th)."""
    runs = [
        2,
        *(
            int(codes[RuleCode.MISSING]["red_consecutive"])
            for codes in rules.values()
            if RuleCode.MISSING in codes
        ),
    ]
    return max(runs) + 2


@contextmanager
def _snapshot() -> Iterator[None]:
    """On PostgreSQL the rules read one snapshot (REPEATABLE READ), with room to sort in memory and without JIT
    (compiling these statements costs more than it saves). SQLite's transactions take its write lock, so there
    the reads go without one."""
    if connection.vendor != "postgresql":
        yield
        return
    first = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if first:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def item_warnings(scope: Scope) -> list[Wanted]:
    """The rules on plan items and supervision orders: alerts' own rule source (AlertsConfig.ready)."""
    rules, today = scope.rules, scope.today
    periods = facts.recent_periods(scope.zone_ids, today, scope.now, horizon(rules))
    plan_years = _plan_years(scope.zone_ids)
    return [
        *_missing(rules, periods),
        *_progress(rules, plan_years, today),
        *_targets(rules, plan_years, today),
        *_milestones(rules, today),
        *_overdue(rules, today),
        *_due_soon(rules, today),
        *_order_overdue(rules, today),
    ]


def wanted_warnings(zone_ids: Sequence[int], now: datetime) -> list[Wanted]:
    """Every warning the zones' enabled rules call for at `now`, source by source in registration order."""
    with _snapshot():
        scope = Scope(zone_ids, zone_rules(zone_ids), timezone.localdate(now), now)
        return [wanted for source in registered() for wanted in source.wanted(scope)]
