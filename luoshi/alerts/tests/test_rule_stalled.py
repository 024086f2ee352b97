from collections.abc import Sequence
from datetime import date, timedelta

from luoshi.alerts.choices import RuleCode
from luoshi.alerts.tests.conftest import at, hand_in, item, levels, only, sweep_at, warning, week
from luoshi.conftest import World
from luoshi.plans.models import PlanItem
from luoshi.reporting.models import Cycle

STALLED = RuleCode.STALLED
FIRST = date(2026, 2, 2)  # reports from this Monday's week on, one a week


def report_weeks(
    world: World, weekly: Cycle, subject: PlanItem, progresses: Sequence[float], first: date = FIRST
) -> None:
    for n, progress in enumerate(progresses):
        hand_in(subject, week(weekly, first + timedelta(weeks=n)), progress)


def test_three_reports_without_a_rise_yellow_six_red_a_rise_clears(world: World, weekly: Cycle) -> None:
    only(world, STALLED)
    subject = item(world, "停滞")
    report_weeks(world, weekly, subject, [20, 30, 40, 40, 40])
    sweep_at(world, at(2026, 3, 9, 10))
    assert levels(world)[(STALLED, subject.pk)] == "yellow"
    assert warning(world, STALLED, subject).reason == "连续3次报送进度没有提高（最新40%）"
    report_weeks(world, weekly, subject, [40, 40, 40], first=FIRST + timedelta(weeks=5))
    sweep_at(world, at(2026, 3, 30, 10))
    assert levels(world)[(STALLED, subject.pk)] == "red"
    hand_in(subject, week(weekly, date(2026, 3, 30)), 45)
    sweep_at(world, at(2026, 4, 1, 10))  # handed in early for the current week: it counts
    assert (STALLED, subject.pk) not in levels(world)


def test_a_dip_is_no_progress_and_a_finished_item_is_not_stalled(world: World, weekly: Cycle) -> None:
    only(world, STALLED)
    dipped, finished = item(world, "回退"), item(world, "已到100%")
    report_weeks(world, weekly, dipped, [40, 35, 40])
    report_weeks(world, weekly, finished, [100, 100, 100])
    sweep_at(world, at(2026, 2, 23, 10))
    assert levels(world)[(STALLED, dipped.pk)] == "yellow"
    assert (STALLED, finished.pk) not in levels(world)


def test_a_corrected_report_counts_in_its_corrected_version(world: World, weekly: Cycle) -> None:
    only(world, STALLED)
    subject = item(world, "更正")
    report_weeks(world, weekly, subject, [40, 40])
    wrong = hand_in(subject, week(weekly, FIRST + timedelta(weeks=2)), 40)
    hand_in(subject, wrong.period, 55, status="submitted", version=2, corrects=wrong)
    sweep_at(world, at(2026, 2, 23, 10))
    assert (STALLED, subject.pk) not in levels(world)
