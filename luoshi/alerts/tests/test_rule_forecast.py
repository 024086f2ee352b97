from collections.abc import Sequence
from datetime import date, timedelta

from luoshi.alerts.choices import RuleCode
from luoshi.alerts.tests.conftest import at, hand_in, item, levels, only, sweep_at, warning, week
from luoshi.conftest import World
from luoshi.plans.models import PlanItem
from luoshi.reporting.models import Cycle

FORECAST = RuleCode.FORECAST
FIRST = date(2026, 2, 9)  # four weekly reports: the weeks ending 15 February … 8 March
MONDAY = at(2026, 3, 9, 10)


def four_reports(weekly: Cycle, subject: PlanItem, progresses: Sequence[float]) -> None:
    for n, progress in enumerate(progresses):
        hand_in(subject, week(weekly, FIRST + timedelta(weeks=n)), progress)


def test_a_slow_rate_projects_past_the_due_date(world: World, weekly: Cycle) -> None:
    only(world, FORECAST)
    slow = item(world, "慢", due_date=date(2026, 6, 30))
    quick = item(world, "快", due_date=date(2026, 6, 30))
    four_reports(weekly, slow, [10, 12, 14, 16])
    four_reports(weekly, quick, [10, 20, 30, 40])
    sweep_at(world, MONDAY)
    assert levels(world)[(FORECAST, slow.pk)] == "yellow"
    assert (FORECAST, quick.pk) not in levels(world)
    numbers = warning(world, FORECAST, slow).numbers
    # 6 points in 21 days: 84 points more take 294 days from 8 March.
    assert numbers == {
        "reports": 4,
        "rate": 2.0,
        "projected": "2026-12-27",
        "due": "2026-06-30",
        "progress": 16.0,
    }
    assert warning(world, FORECAST, slow).reason == (
        "按最近4次报送的进度（每周约2个百分点），预计2026-12-27完成，晚于完成时限2026-06-30"
    )


def test_no_rise_never_finishes_and_a_few_days_late_is_within_slack(world: World, weekly: Cycle) -> None:
    only(world, FORECAST)
    flat = item(world, "不动", due_date=date(2026, 6, 30))
    close = item(world, "差几天", due_date=date(2026, 4, 4))
    four_reports(weekly, flat, [20, 20, 20, 20])
    four_reports(weekly, close, [27, 37, 47, 57])  # 30 points in 21 days: 100 % about 7 April
    sweep_at(world, MONDAY)
    assert (
        warning(world, FORECAST, flat).reason == "最近4次报送进度没有提高，按此无法在完成时限2026-06-30前完成"
    )
    assert (FORECAST, close.pk) not in levels(world)  # 3 days late is within the 7 days' slack
    only(world, FORECAST, FORECAST={"grace_days": 0})
    sweep_at(world, at(2026, 3, 9, 11))
    assert warning(world, FORECAST, close).numbers["projected"] == "2026-04-08"


def test_needs_the_reports_and_a_future_due_date(world: World, weekly: Cycle) -> None:
    only(world, FORECAST)
    few = item(world, "只报三次", due_date=date(2026, 6, 30))
    undated = item(world, "无时限")
    for n, progress in enumerate([10, 11, 12]):
        hand_in(few, week(weekly, FIRST + timedelta(weeks=n + 1)), progress)
    four_reports(weekly, undated, [10, 11, 12, 13])
    sweep_at(world, MONDAY)
    assert (FORECAST, few.pk) not in levels(world)
    assert (FORECAST, undated.pk) not in levels(world)
