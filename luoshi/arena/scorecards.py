"""Each presenter's scorecard, put together from what Luoshi already holds, so the judges weigh the speech
against the record: highlights and next steps from the unit's accepted reports, its indicator values against
the library's thresholds and its plan targets against their latest values, and what is still open (warnings,
supervision orders, problems raised in reports).

The window is the session's period, stretched to the session's day when it is held later (units speak about
what they have done since, too). Six queries for the whole running order, however long."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, IntegerField, OuterRef, Subquery, When

from luoshi.alerts.choices import LEVEL_RANK, OrderState
from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.arena.models import ArenaSession
from luoshi.assessment.models import Indicator, IndicatorValue
from luoshi.lib.periods import parse_period, period_start
from luoshi.plans.choices import SIGN, Direction, PlanStatus
from luoshi.plans.models import PlanItem, Target
from luoshi.reporting.choices import ProblemStatus, ReportStatus
from luoshi.reporting.models import LatestValue, Problem, Report

SECTIONS = ("highlights", "plans", "figures", "targets", "warnings", "orders", "problems")
# Lines per section (the card says how many more there are); a unit's figures are few and all worth seeing.
SHOWN = dict.fromkeys(SECTIONS, 5) | {"figures": 12}


@dataclass(frozen=True)
class Figure:
    """An indicator value with its mark: "excellent" beats the excellence threshold, "alert" breaches the alert
    threshold (docs/domain.md §6.2, I-EXCEL and I-ALERT), "" neither."""

    value: IndicatorValue
    mark: str


@dataclass(frozen=True)
class TargetLine:
    target: Target
    latest: LatestValue | None
    achieved: float | None  # % of the way from the baseline to the target, by the latest reported value


@dataclass
class Scorecard:
    highlights: list[Report] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    targets: list[TargetLine] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    orders: list[SupervisionOrder] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # How many of each there are in all (the lists above hold the first few).
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))

    def keep(self, section: str, entry: object) -> None:
        self.counts[section] += 1
        shown = getattr(self, section)
        if len(shown) < SHOWN[section]:
            shown.append(entry)

    @property
    def more(self) -> dict[str, int]:
        """Section → how many are left out."""
        return {section: self.counts[section] - len(getattr(self, section)) for section in SECTIONS}

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


def window(session: ArenaSession) -> tuple[date, date]:
    label, last_day = parse_period(session.period)
    return period_start(label), max(last_day, session.held_on)


def mark(value: Decimal, indicator: Indicator) -> str:
    sign = SIGN[indicator.direction]
    if indicator.excellence_threshold is not None and sign * (value - indicator.excellence_threshold) >= 0:
        return "excellent"
    if indicator.alert_threshold is not None and sign * (value - indicator.alert_threshold) < 0:
        return "alert"
    return ""


def achieved(target: Target, latest: LatestValue | None) -> float | None:
    """The share of the way from the baseline (0 when none) to the target, as alerts.facts.targets reckons it."""
    if latest is None:
        return None
    baseline = target.baseline
    if target.direction == Direction.DECREASE:
        if baseline is None or baseline == target.target_value:
            return None
        return float(100 * (baseline - latest.value) / (baseline - target.target_value))
    base = baseline or Decimal(0)
    if target.target_value == base:
        return None
    return float(100 * (latest.value - base) / (target.target_value - base))


# Keyed as the rows' nullable unit columns are; every row read below belongs to one of the units asked for.
Cards = dict[int | None, Scorecard]


def scorecards(session: ArenaSession, unit_ids: list[int]) -> dict[int, Scorecard]:
    """Unit id → its scorecard, for the units given (those the reader may see)."""
    cards: Cards = {u: Scorecard() for u in unit_ids}
    if not unit_ids:
        return {}
    _keep_reports(cards, session, unit_ids)
    _keep_figures(cards, session, unit_ids)
    _keep_targets(cards, session, unit_ids)
    _keep_open_matters(cards, session.zone_id, unit_ids)
    return {u: cards[u] for u in unit_ids}


def _keep_reports(cards: Cards, session: ArenaSession, unit_ids: list[int]) -> None:
    """Highlights and next plans from each item's latest accepted report in the session's window."""
    start, until = window(session)
    latest = (
        Report.objects.filter(
            item=OuterRef("pk"), status=ReportStatus.ACCEPTED, period__ends_on__range=(start, until)
        )
        .order_by("-period__ends_on", "-version")
        .values("pk")[:1]
    )
    reported = PlanItem.objects.filter(zone_id=session.zone_id, lead_unit_id__in=unit_ids).annotate(
        report=Subquery(latest)
    )
    reports = (
        Report.objects.filter(pk__in=reported.exclude(report=None).values("report"))
        .select_related("item", "period")
        .order_by("-period__ends_on", "item__path")
    )
    seen_plans: set[tuple[int | None, str]] = set()
    for report in reports:
        card = cards[report.item.lead_unit_id]
        if report.work_done.strip():
            card.keep("highlights", report)
        plan = report.next_plan.strip()
        if plan and (report.item.lead_unit_id, plan) not in seen_plans:  # many items say the same
            seen_plans.add((report.item.lead_unit_id, plan))
            card.keep("plans", plan)


def _keep_figures(cards: Cards, session: ArenaSession, unit_ids: list[int]) -> None:
    values = IndicatorValue.objects.filter(
        zone_id=session.zone_id, unit_id__in=unit_ids, period=session.period
    )
    for value in values.select_related("indicator").order_by("indicator__code"):
        cards[value.unit_id].keep("figures", Figure(value, mark(value.value, value.indicator)))


def _keep_targets(cards: Cards, session: ArenaSession, unit_ids: list[int]) -> None:
    year = parse_period(session.period)[1].year
    targets = Target.objects.filter(
        zone_id=session.zone_id,
        item__lead_unit_id__in=unit_ids,
        item__plan__year=year,
        item__plan__status=PlanStatus.ISSUED,
    )
    for target in targets.select_related("item", "latest").order_by(
        "item__plan_id", "item__path", "position"
    ):
        last: LatestValue | None = getattr(target, "latest", None)  # none until someone reports on it
        cards[target.item.lead_unit_id].keep("targets", TargetLine(target, last, achieved(target, last)))


def _keep_open_matters(cards: Cards, zone: int, unit_ids: list[int]) -> None:
    """Open warnings (most severe first), orders not closed, and open problems."""
    severity = Case(*[When(level=k, then=v) for k, v in LEVEL_RANK.items()], output_field=IntegerField())
    warnings = Warning.objects.filter(zone_id=zone, unit_id__in=unit_ids, resolved_at__isnull=True)
    for warning in warnings.order_by(severity.desc(), "-opened_at"):
        cards[warning.unit_id].keep("warnings", warning)

    orders = SupervisionOrder.objects.filter(zone_id=zone, unit_id__in=unit_ids).exclude(
        state=OrderState.CLOSED
    )
    for order in orders.order_by("deadline", "number"):
        cards[order.unit_id].keep("orders", order)

    problems = Problem.objects.filter(
        zone_id=zone, status=ProblemStatus.OPEN, item__lead_unit_id__in=unit_ids
    )
    for problem in problems.select_related("item", "asked_unit").order_by("-raised_at"):
        cards[problem.item.lead_unit_id].keep("problems", problem)
