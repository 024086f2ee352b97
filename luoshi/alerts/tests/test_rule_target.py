from datetime import date

from luoshi.alerts.choices import RuleCode
from luoshi.alerts.tests.conftest import at, hand_in, item, levels, only, sweep_at, warning, week
from luoshi.conftest import World
from luoshi.plans.models import PlanItem, Target
from luoshi.reporting.models import Cycle

TARGET = RuleCode.TARGET
START, DUE = date(2026, 1, 1), date(2026, 4, 11)  # 100 days; the week of 2 March ends on day 66
MONDAY = at(2026, 3, 9, 10)


def reported(world: World, weekly: Cycle, title: str, value: float, **target: object) -> PlanItem:
    subject = item(world, title, start_date=START, due_date=DUE)
    goal = Target.objects.create(
        zone=world.zone, item=subject, indicator="新增企业", unit_of_measure="家", **target
    )
    hand_in(subject, week(weekly, date(2026, 3, 2)), 50, values={goal: value})
    return subject


def test_against_the_elapsed_share_from_the_baseline(world: World, weekly: Cycle) -> None:
    only(world, TARGET)
    yellow = reported(world, weekly, "黄", 150, baseline=100, target_value=200)  # 66 % of the way: 166
    red = reported(world, weekly, "红", 140, baseline=100, target_value=200)
    fine = reported(world, weekly, "好", 170, baseline=100, target_value=200)
    from_zero = reported(world, weekly, "无基数", 40, target_value=100)  # 40 % done, 66 % due
    sweep_at(world, MONDAY)
    found = levels(world)
    assert found[(TARGET, yellow.pk)] == "yellow" and found[(TARGET, red.pk)] == "red"
    assert (TARGET, fine.pk) not in found
    assert found[(TARGET, from_zero.pk)] == "red"
    assert (
        warning(world, TARGET, yellow).reason
        == "新增企业目标200家，按时间进度应达166家，实际150家，落后16个百分点"
    )


def test_lower_is_better_needs_a_baseline(world: World, weekly: Cycle) -> None:
    only(world, TARGET)
    down = reported(world, weekly, "降耗", 8, baseline=10, target_value=5, direction="decrease")
    blind = reported(world, weekly, "无基数降耗", 8, target_value=5, direction="decrease")
    sweep_at(world, MONDAY)
    assert levels(world)[(TARGET, down.pk)] == "red"  # 2 of 5 down (40 %), 66 % due
    assert warning(world, TARGET, down).numbers["expected"] == "6.7"
    assert (TARGET, blind.pk) not in levels(world)


def test_the_latest_reported_value_counts(world: World, weekly: Cycle) -> None:
    only(world, TARGET)
    subject = reported(world, weekly, "后来赶上", 150, baseline=100, target_value=200)
    hand_in(subject, week(weekly, date(2026, 3, 9)), 60, values={subject.targets.get(): 180})
    sweep_at(world, at(2026, 3, 16, 10))
    assert (TARGET, subject.pk) not in levels(world)
