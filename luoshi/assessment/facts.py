"""Execution facts Luoshi knows about each unit without anyone typing them in: how punctually it reported, how many
of its items were on pace, its red warnings and its supervision orders, for one period (a quarter, month or
year). They become indicator values of reserved codes, so a scheme mixes them with any other figure.

Each fact is one set-based query (per reporting period for the report counts); states "at the end of the period"
come from the warnings' event history, so a past quarter scores the same whenever it is scored."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypedDict

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import WithAnnotations

from luoshi.alerts.choices import Level, OrderState
from luoshi.alerts.models import SupervisionOrder, Warning, WarningEvent
from luoshi.lib.periods import parse_period, period_start
from luoshi.org.models import Zone
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import PlanItem
from luoshi.reporting.choices import HANDED_IN
from luoshi.reporting.models import Period, Report

ON_TIME = "EXEC_ONTIME"
ON_TRACK = "EXEC_ON_TRACK"
RED = "EXEC_RED"
ORDERS = "EXEC_ORDERS"
MISSING = "EXEC_MISSING"
SOURCE = "落实系统"  # the source written on every computed value (not translated: it is stored data)
EVALUATION_SOURCE = "督查室评价"  # and on every mark the office enters


@dataclass(frozen=True)
class Fact:
    code: str
    name: str | Promise
    unit_of_measure: str | Promise
    direction: str
    description: str | Promise


FACTS = (
    Fact(ON_TIME, _("按时报送率"), "%", "increase", _("本期截止的报送中按时提交的比例（按事项和报送期计）")),
    Fact(ON_TRACK, _("事项序时推进率"), "%", "increase", _("期末牵头事项中没有黄色或红色预警的比例")),
    Fact(RED, _("红色预警"), _("条"), "decrease", _("期末仍未解除的红色预警条数")),
    Fact(
        ORDERS,
        _("督办按期办结率"),
        "%",
        "increase",
        _("本期到期的督办单中按期反馈并已办结的比例"),
    ),
    Fact(MISSING, _("漏报次数"), _("次"), "decrease", _("报送期已关闭仍未提交的报送次数")),
)
CODES = tuple(f.code for f in FACTS)
OFFICE = "OFFICE_EVAL"
EVALUATION_MAX = Decimal(20)
# Reserved too, but entered by the supervision office rather than computed.
EVALUATION = Fact(
    OFFICE, _("督查室评价"), _("分"), "increase", _("督查室对单位本期工作的评价（0–20分），由督查室录入")
)


@dataclass(frozen=True)
class Window:
    label: str
    first: date
    last: date
    start: datetime
    stop: datetime  # the end of the period, or now while it runs

    @classmethod
    def of(cls, period: str, now: datetime) -> "Window":
        label, last = parse_period(period)
        first = period_start(label)
        start = timezone.make_aware(datetime.combine(first, time.min))
        stop = min(timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)), now)
        return cls(label, first, last, start, stop)


Facts = dict[int, dict[str, float | None]]  # unit id → code → value (None: nothing to measure)


def execution_facts(zone: Zone, period: str, now: datetime) -> Facts:
    """Every fact for every unit that led work in the period."""
    window = Window.of(period, now)
    facts: Facts = {}

    def put(unit_id: int, code: str, value: float | None) -> None:
        facts.setdefault(unit_id, dict.fromkeys(CODES))[code] = value

    reports = _report_counts(zone, window)
    for unit_id, (owed, on_time, missing) in reports.items():
        put(unit_id, ON_TIME, 100.0 * on_time / owed if owed else None)
        put(unit_id, MISSING, float(missing))
    for unit_id, (items, lagging) in _item_counts(zone, window).items():
        put(unit_id, ON_TRACK, 100.0 * (items - lagging) / items)
    red = _open_at(zone, window.stop).filter(level_then=Level.RED, unit__isnull=False)
    counts = dict(red.values("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    for unit_id in facts:  # units without red warnings have 0, not "nothing to measure"
        put(unit_id, RED, float(counts.pop(unit_id, 0)))
    for unit_id, n in counts.items():
        put(unit_id, RED, float(n))
    for unit_id, due, on_time in _order_counts(zone, window):
        put(unit_id, ORDERS, 100.0 * on_time / due)
    return facts


def _report_counts(zone: Zone, window: Window) -> dict[int, tuple[int, int, int]]:
    """unit → (reports owed, handed in on time, missing) over the reporting periods due in the window. An item
    owes a report for a period when it is a leaf with a lead unit, not cancelled, started by the period's end,
    and not finished — or finished but reported in that period (finished since)."""
    periods = Period.objects.filter(zone=zone, due_at__gte=window.start, due_at__lt=window.stop)
    totals: dict[int, list[int]] = {}
    for period in periods.select_related("cycle").order_by():
        reported = Report.objects.filter(item=OuterRef("pk"), period=period)
        handed_in = reported.filter(status__in=HANDED_IN)
        on_time = reported.filter(version=1, submitted_at__isnull=False, late=False)
        closed = period.closes_at <= window.stop
        rows = (
            PlanItem.objects.filter(plan_id=period.cycle.plan_id, lead_unit__isnull=False)
            .exclude(status=ItemStatus.CANCELLED)
            .filter(~Exists(PlanItem.objects.filter(parent=OuterRef("pk"))))
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=period.ends_on))
            .filter(~Q(status=ItemStatus.DONE) | Exists(reported))
            .values("lead_unit")
            .annotate(
                owed=Count("pk"),
                on_time=Count("pk", filter=Exists(on_time)),
                missing=Count("pk", filter=~Exists(handed_in)),
            )
            .order_by()
        )
        for row in rows:
            total = totals.setdefault(row["lead_unit"], [0, 0, 0])
            total[0] += row["owed"]
            total[1] += row["on_time"]
            total[2] += row["missing"] if closed else 0
    return {unit: (owed, on_time, missing) for unit, (owed, on_time, missing) in totals.items()}


class _LevelThen(TypedDict):
    level_then: Any  # a Level; not str, or the stubs' plugin refuses the list of a level_then__in lookup


def _open_at(zone: Zone, moment: datetime) -> "QuerySet[WithAnnotations[Warning, _LevelThen]]":
    """Warnings open at `moment`, each with the level it had then (from its events). A warning the office
    dismissed (核销, alerts.triage) was judged to call for no action, so it never counts against the unit."""
    level_then = (
        WarningEvent.objects.filter(warning=OuterRef("pk"), at__lte=moment)
        .order_by("-at", "-id")
        .values("level")
    )
    return (
        Warning.objects.filter(zone=zone, opened_at__lte=moment, dismissed_at__isnull=True)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gt=moment))
        .annotate(level_then=Subquery(level_then[:1]))
        .order_by()
    )


def _item_counts(zone: Zone, window: Window) -> dict[int, tuple[int, int]]:
    """unit → (leaf items it led at the end of the window, of which behind: a yellow or red warning open then)."""
    lagging = _open_at(zone, window.stop).filter(
        item=OuterRef("pk"), level_then__in=[Level.YELLOW, Level.RED]
    )
    rows = (
        PlanItem.objects.filter(zone=zone, lead_unit__isnull=False)
        .exclude(status=ItemStatus.CANCELLED)
        .filter(~Exists(PlanItem.objects.filter(parent=OuterRef("pk"))))
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=window.last))
        .values("lead_unit")
        .annotate(items=Count("pk"), lagging=Count("pk", filter=Exists(lagging)))
        .order_by()
    )
    return {row["lead_unit"]: (row["items"], row["lagging"]) for row in rows}


def _order_counts(zone: Zone, window: Window) -> list[tuple[int, int, int]]:
    """(unit, orders due in the window, of which closed with feedback by the deadline)."""
    due = SupervisionOrder.objects.filter(
        zone=zone, deadline__gte=window.first, deadline__lte=min(window.last, timezone.localdate(window.stop))
    )
    rows = (
        due.values("unit")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(state=OrderState.CLOSED, feedback_at__date__lte=F("deadline"))),
        )
        .order_by()
    )
    return [(row["unit"], row["due"], row["on_time"]) for row in rows]
