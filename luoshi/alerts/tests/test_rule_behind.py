from datetime import date
from decimal import Decimal

from luoshi.alerts.choices import RuleCode
from luoshi.alerts.tests.conftest import at, hand_in, item, levels, only, sweep_at, warning, week
from luoshi.conftest import World
from luoshi.plans.models import Milestone
from luoshi.reporting.models import Cycle, TrajectoryPoint
from luoshi.reporting.progress import planned_progress

BEHIND = RuleCode.BEHIND
START, DUE = date(2026, 1, 1), date(2026, 4, 11)  # 100 days: on day n, n % is planned
WEEK10 = date(2026, 3, 2)  # its week ends on Sunday 8 March, day 66
MONDAY = at(2026, 3, 9, 10)


def test_gap_in_points_yellow_red_and_clear(world: World, weekly: Cycle) -> None:
    only(world, BEHIND)
    ten, twenty, fine = (item(world, t, start_date=START, due_date=DUE) for t in ("差10", "差20", "正常"))
    hand_in(ten, week(weekly, WEEK10), 56)
    hand_in(twenty, week(weekly, WEEK10), 46)
    hand_in(fine, week(weekly, WEEK10), 60)
    sweep_at(world, MONDAY)
    found = levels(world)
    assert found[(BEHIND, ten.pk)] == "yellow"  # exactly 10 points behind meets the threshold
    assert found[(BEHIND, twenty.pk)] == "red"
    assert (BEHIND, fine.pk) not in found
    assert warning(world, BEHIND, ten).reason == "计划进度66%，实际56%，落后10个百分点"
    assert warning(world, BEHIND, twenty).numbers == {
        "planned": 66.0,
        "actual": 46.0,
        "gap_pp": 20.0,
        "shortfall_rel": 0.303,
        "basis": "linear",
        "profile": "gap_pp",
    }


def test_the_plan_is_read_at_the_end_of_the_reported_period(world: World, weekly: Cycle) -> None:
    only(world, BEHIND)
    subject = item(world, "上周报的", start_date=START, due_date=DUE)
    hand_in(subject, week(weekly, WEEK10), 58)
    sweep_at(world, at(2026, 3, 20, 10))  # day 78 by now, but the report speaks for 8 March
    assert (BEHIND, subject.pk) not in levels(world)


def test_sanya_relative_profile(world: World, weekly: Cycle) -> None:
    only(world, BEHIND, BEHIND={"profile": "shortfall_rel"})
    slight, half = (
        item(world, "略低", start_date=START, due_date=DUE),
        item(world, "过半", start_date=START, due_date=DUE),
    )
    hand_in(slight, week(weekly, WEEK10), 60)
    hand_in(half, week(weekly, WEEK10), 30)
    sweep_at(world, MONDAY)
    assert levels(world)[(BEHIND, slight.pk)] == "yellow"
    assert levels(world)[(BEHIND, half.pk)] == "red"
    assert warning(world, BEHIND, half).reason == "计划进度66%，实际30%，差距为计划的54.5%"


def test_milestones_and_trajectory_shape_the_plan(world: World, weekly: Cycle) -> None:
    only(world, BEHIND)
    staged = item(world, "按节点", start_date=START, due_date=DUE)
    Milestone.objects.create(zone=world.zone, item=staged, title="一", due_date=date(2026, 2, 28), weight=1)
    Milestone.objects.create(zone=world.zone, item=staged, title="二", due_date=date(2026, 3, 31), weight=3)
    curved = item(world, "按曲线", start_date=START, due_date=DUE)
    for on, planned in ((date(2026, 2, 1), 10), (date(2026, 4, 1), 70)):
        TrajectoryPoint.objects.create(zone=world.zone, item=curved, on=on, planned=planned)
    hand_in(staged, week(weekly, WEEK10), 10)
    hand_in(curved, week(weekly, WEEK10), 30)
    sweep_at(world, MONDAY)
    assert warning(world, BEHIND, staged).numbers["planned"] == 25.0
    assert warning(world, BEHIND, staged).reason == "计划进度25%，实际10%，落后15个百分点（按节点计划）"
    # The same curve the item's progress panel draws.
    expected = planned_progress(
        date(2026, 3, 8), START, DUE, [], [(date(2026, 2, 1), Decimal(10)), (date(2026, 4, 1), Decimal(70))]
    )
    assert warning(world, BEHIND, curved).numbers["planned"] == float(expected) == 45.6
    assert warning(world, BEHIND, curved).numbers["basis"] == "trajectory"


def test_no_dates_means_the_plan_year_and_overdue_items_are_left_to_overdue(
    world: World, weekly: Cycle
) -> None:
    only(world, BEHIND)
    undated = item(world, "无时限")
    hand_in(undated, week(weekly, WEEK10), 0)
    sweep_at(world, MONDAY)
    # 8 March is day 66 of 364 from 1 January to 31 December: 18.1 %.
    assert warning(world, BEHIND, undated).numbers["planned"] == 18.1
    hand_in(world.item_a, week(weekly, date(2026, 6, 29)), 10)
    sweep_at(world, at(2026, 7, 6, 10))
    assert (BEHIND, world.item_a.pk) not in levels(world)  # due 30 June, so OVERDUE's
