"""The demo's report history: ten weeks of weekly reports that read like a real supervision office's week.

Most units report on time and on pace. A few do not, each in its own way, so the warning sweep has something
true to say: 区住房和城乡建设局 is far behind, 区商务局 somewhat behind, 区交通运输局 has gone silent for two
weeks, 区文化和旅游局 missed last week, 区人力资源和社会保障局 has reported the same progress for a month,
区自然资源局 moves too slowly to finish in time, and 区工业和信息化局's numbers lag its targets."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from luoshi.plans.models import Plan, PlanItem
from luoshi.reporting.actions import ensure_periods, load_reports, save_cycle
from luoshi.reporting.choices import ReportStatus
from luoshi.reporting.models import Period, Report, ReportValue
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


def _office_hours(due: datetime, late: bool, rng: random.Random) -> datetime:
    """When a liaison hands in: during office hours, on the deadline day or the day before, or days late."""
    day = due + timedelta(days=rng.randint(1, 3)) if late else due - timedelta(days=rng.choice((0, 0, 1)))
    moment = day.replace(hour=rng.randint(9, 16), minute=rng.randint(0, 59))
    return moment if late or moment < due else due - timedelta(minutes=rng.randint(5, 50))


def build_reports(plans: list[Plan], supervisor: User, liaisons: dict[int, User], today: date) -> int:
    """Weekly cycles for both plans from ten weeks ago, and the reports of every past week."""
    rng = random.Random(SEED)
    now = timezone.now()
    monday = today - timedelta(days=today.weekday(), weeks=WEEKS)
    reports: list[Report] = []
    values: list[ReportValue] = []
    for plan in plans:
        cycle = save_cycle(plan, {"cadence": "weekly", "starts_on": monday}, supervisor)
        ensure_periods(cycle, date(plan.year, 12, 31))
        past = list(Period.objects.filter(cycle=cycle, due_at__lt=now).order_by("starts_on"))
        items = (
            list(due_items(past[-1]).select_related("lead_unit").prefetch_related("targets")) if past else []
        )
        frozen_on = past[max(0, len(past) - 5)].ends_on if past else today
        for index, period in enumerate(past):
            last = index == len(past) - 1
            for item in items:
                unit = item.lead_unit.name if item.lead_unit else ""
                if len(past) - index <= SILENT.get(unit, 0):
                    continue
                progress = _progress(item, period.ends_on, frozen_on, rng)
                late = rng.random() < 0.08
                submitted = _office_hours(period.due_at, late, rng)
                report = Report(
                    zone_id=plan.zone_id,
                    item=item,
                    period=period,
                    unit=item.lead_unit,
                    status=ReportStatus.SUBMITTED if last and rng.random() < 0.6 else ReportStatus.ACCEPTED,
                    progress=progress,
                    work_done=rng.choice(WORK_DONE),
                    next_plan="按计划推进下一阶段工作",
                    submitted_at=submitted,
                    submitted_by=liaisons.get(item.lead_unit_id) if item.lead_unit_id else None,
                    late=late,
                )
                if report.status == ReportStatus.ACCEPTED:
                    report.reviewed_at = min(now, submitted + timedelta(days=1))
                    report.reviewed_by = supervisor
                reports.append(report)
                short = Decimal("0.45") if unit == SHORT_OF_TARGET else Decimal(1)
                for target in item.targets.all():
                    actual = (target.target_value * progress / 100 * short).quantize(Decimal("0.01"))
                    values.append(
                        ReportValue(zone_id=plan.zone_id, report=report, target=target, value=actual)
                    )
    load_reports(reports, values, supervisor)
    return len(reports)
