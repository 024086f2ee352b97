"""The demo's report history: ten weeks of weekly reports that read like a real supervision office's week.

Most units report on time and on pace. A few do not, each in its own way, so the warning sweep has something
true to say: 区住房和城乡建设局 is far behind, 区商务局 somewhat behind, 区交通运输局 has gone silent for two
weeks, 区文化和旅游局 missed last week, 区人力资源和社会保障局 has reported the same progress for a month,
区自然资源局 moves too slowly to finish in time, and 区工业和信息化局's numbers lag its targets."""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from luoshi.plans.models import Plan, PlanItem
from luoshi.reporting.actions import ensure_periods, load_reports, save_cycle
from luoshi.reporting.choices import ReportStatus
from luoshi.reporting.forms import COUNTED
from luoshi.reporting.models import Cycle, Period, Report, ReportValue
from luoshi.reporting.queries import due_items

SEED = 47
WEEKS = 10
BEHIND = {"区住房和城乡建设局": Decimal(26), "区商务局": Decimal(13)}  # percentage points below plan
SILENT = {"区交通运输局": 2, "区文化和旅游局": 1}  # the last periods they did not report
STALLED = "区人力资源和社会保障局"
SLOW = "区自然资源局"
SHORT_OF_TARGET = "区工业和信息化局"

WORK_DONE = [
    "召开专题推进会，梳理问题清单并明确责任人",
    "完成阶段性任务，相关材料已报送",
    "对接企业开展走访服务，收集需求并逐项落实",
    "组织现场调度，协调解决用地、资金等要素保障",
    "完成方案细化，进入实施阶段",
]


def _planned(item: PlanItem, on: date) -> Decimal:
    start = item.start_date or date(on.year, 1, 1)
    due = item.due_date or date(on.year, 12, 31)
    if on >= due:
        return Decimal(100)
    share = max(0, (on - start).days) / max(1, (due - start).days)
    return Decimal(round(100 * share, 1))


def _progress(item: PlanItem, on: date, frozen_on: date, rng: random.Random) -> Decimal:
    unit = item.lead_unit.name if item.lead_unit else ""
    if unit == STALLED:
        # The same figure, week after week, since `frozen_on`: the stalled rule's case.
        return min(Decimal(99), _planned(item, min(on, frozen_on))).quantize(Decimal("0.1"))
    planned = _planned(item, on) * (Decimal("0.55") if unit == SLOW else 1)
    actual = planned - BEHIND.get(unit, Decimal(0)) + Decimal(rng.randint(-20, 40)) / 10
    return min(Decimal(99), max(Decimal(0), actual)).quantize(Decimal("0.1"))


def _office_hours(due: datetime, late: bool, rng: random.Random, now: datetime) -> datetime:
    """When a liaison hands in: during office hours, on the deadline day or the day before, or days late; never
    after `now` (a late report whose days have not all passed yet was handed in this morning). Hours are the
    zone's local office hours."""
    due = timezone.localtime(due)
    day = due + timedelta(days=rng.randint(1, 3)) if late else due - timedelta(days=rng.choice((0, 0, 1)))
    moment = day.replace(hour=rng.randint(9, 16), minute=rng.randint(0, 59))
    moment = moment if late or moment < due else due - timedelta(minutes=rng.randint(5, 50))
    return min(moment, now - timedelta(minutes=rng.randint(20, 90)))


def _next_office_hour(after: datetime, rng: random.Random) -> datetime:
    """The next morning or afternoon someone at a desk deals with what came in at `after` (local time)."""
    moment = timezone.localtime(after) + timedelta(hours=rng.choice((2, 3, 18, 20, 22)))
    if not 9 <= moment.hour < 18:  # after hours: first thing the next working morning
        moment = (moment + timedelta(days=1 if moment.hour >= 18 else 0)).replace(hour=9 + rng.randint(0, 2))
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment.replace(minute=rng.randint(0, 59))


@dataclass
class People:
    """Who does what in the demo's report history: each unit's liaison hands in, the unit's head approves where
    the unit has one, and the supervision office accepts."""

    supervisor: User
    liaisons: dict[int, User]  # the demo accounts', by unit id: their units' week is left open to fill
    authors: dict[int, User]  # every unit's liaison, by unit id: who handed the reports in
    heads: dict[int, User]  # by unit id


def _periods(cycle: Cycle, today: date, now: datetime) -> tuple[list[Period], Period | None]:
    """The weeks whose deadline has passed, oldest first, and the week that holds `today` (half open for the
    units whose liaisons are demo accounts, so whatever the weekday there is a week to fill, and half handed in
    and waiting for the unit head's approval)."""
    past = list(Period.objects.filter(cycle=cycle, due_at__lt=now).order_by("starts_on"))
    current = Period.objects.filter(cycle=cycle, starts_on__lte=today, ends_on__gte=today).first()
    return past, current


def build_reports(plans: list[Plan], people: People, today: date) -> int:
    """Weekly cycles for both plans from ten weeks ago, and the reports of every week whose deadline has passed,
    handed in by the units' liaisons, approved by the unit head where there is one and accepted by the office,
    each step in the report's history at the time it happened (never after now)."""
    rng = random.Random(SEED)
    now = timezone.now()
    monday = today - timedelta(days=today.weekday(), weeks=WEEKS)
    reports: list[Report] = []
    values: list[ReportValue] = []
    waiting: set[int] = set()  # the demo liaisons' reports of this week: for the demo unit head to approve
    for plan in plans:
        cycle = save_cycle(plan, {"cadence": "weekly", "starts_on": monday}, people.supervisor)
        ensure_periods(cycle, date(plan.year, 12, 31))
        past, current = _periods(cycle, today, now)
        items = (
            list(due_items(past[-1]).select_related("lead_unit").prefetch_related("targets")) if past else []
        )
        frozen_on = past[max(0, len(past) - 5)].ends_on if past else today
        weeks = [*past, current] if current is not None and current not in past else past
        for index, period in enumerate(weeks):
            last = index >= len(past) - 1
            for n, item in enumerate(items):
                unit = item.lead_unit.name if item.lead_unit else ""
                if max(1, len(past) - index) <= SILENT.get(
                    unit, 0
                ):  # weeks back, this one counted as the last
                    continue
                mine = period == current and item.lead_unit_id in people.liaisons
                if (mine and n % 2) or (not mine and period not in past):
                    continue  # half of this week is the demo liaisons' to fill; the others' is not due yet
                report = _report(plan, item, period, people, rng, now, frozen_on)
                if mine and report.submitted_at and report.submitted_at.date() < period.starts_on:
                    continue  # built in the small hours of a Monday: the whole week is still to fill
                report.status = (
                    ReportStatus.SUBMITTED if mine or (last and rng.random() < 0.6) else ReportStatus.ACCEPTED
                )
                if mine:
                    waiting.add(id(report))
                reports.append(report)
                short = Decimal("0.45") if unit == SHORT_OF_TARGET else Decimal(1)
                for target in item.targets.all():
                    # Counts (家, 个, 件…) are whole, as people report them.
                    step = Decimal(1) if target.unit_of_measure in COUNTED else Decimal("0.01")
                    actual = (target.target_value * report.progress / 100 * short).quantize(step, ROUND_DOWN)
                    values.append(
                        ReportValue(zone_id=plan.zone_id, report=report, target=target, value=actual)
                    )
    _hand_in(reports, values, people, rng, now, waiting)
    return len(reports)


def _report(
    plan: Plan,
    item: PlanItem,
    period: Period,
    people: People,
    rng: random.Random,
    now: datetime,
    frozen_on: date,
) -> Report:
    progress = _progress(item, period.ends_on, frozen_on, rng)
    submitted = _office_hours(period.due_at, rng.random() < 0.08, rng, now)
    return Report(
        zone_id=plan.zone_id,
        item=item,
        period=period,
        unit=item.lead_unit,
        progress=progress,
        work_done=rng.choice(WORK_DONE),
        next_plan="按计划推进下一阶段工作",
        submitted_at=submitted,
        submitted_by=people.authors.get(item.lead_unit_id) if item.lead_unit_id else None,
        late=submitted > period.due_at,
    )


def _hand_in(
    reports: list[Report],
    values: list[ReportValue],
    people: People,
    rng: random.Random,
    now: datetime,
    waiting: set[int],
) -> None:
    """Write the reports as handed in, then each later step (approval, acceptance) that has happened by now,
    each with its history row by whoever took it. A report whose next step would fall after now waits there."""
    wanted = {id(r): r.status for r in reports}
    for report in reports:
        report.status = ReportStatus.SUBMITTED
        report._history_user = report.submitted_by  # type: ignore[attr-defined]
        report._history_date = report.submitted_at  # type: ignore[attr-defined]
    load_reports(reports, values, people.supervisor)
    approved: list[Report] = []
    for report in reports:
        head = people.heads.get(report.unit_id)
        at = _next_office_hour(report.submitted_at or now, rng)
        if id(report) in waiting or head is None or at > now:
            continue
        if wanted[id(report)] == ReportStatus.SUBMITTED and rng.random() < 0.5:
            continue
        report.status, report.approved_at, report.approved_by = ReportStatus.APPROVED, at, head
        report._history_user, report._history_date = head, at  # type: ignore[attr-defined]
        approved.append(report)
    _step(approved, ["status", "approved_at", "approved_by"])
    accepted: list[Report] = []
    for report in reports:
        at = _next_office_hour(report.approved_at or report.submitted_at or now, rng)
        if wanted[id(report)] != ReportStatus.ACCEPTED or at > now:
            continue
        report.status, report.reviewed_at, report.reviewed_by = ReportStatus.ACCEPTED, at, people.supervisor
        report._history_user, report._history_date = people.supervisor, at  # type: ignore[attr-defined]
        accepted.append(report)
    _step(accepted, ["status", "reviewed_at", "reviewed_by"])


def _step(reports: list[Report], fields: list[str]) -> None:
    """One review step over past reports at once, with a history row each (as simple_history's bulk helpers
    write them: by `_history_user` at `_history_date`). Loading history, not a live change: no notices."""
    if reports:
        Report.objects.bulk_update(reports, fields, batch_size=500)
        Report.history.bulk_history_create(reports, update=True, batch_size=500)
