from datetime import date

from luoshi.alerts.choices import RuleCode
from luoshi.alerts.tests.conftest import at, hand_in, item, levels, only, sweep_at, warning, week
from luoshi.conftest import World
from luoshi.plans import actions as plan_actions
from luoshi.reporting.models import Cycle

MISSING = RuleCode.MISSING
MONDAY = at(2026, 3, 23, 10)  # weeks 11 (9–15 March) and 12 (16–22 March) are past their Friday deadlines


def test_latest_period_missed_is_yellow_two_in_a_row_red(world: World, weekly: Cycle) -> None:
    only(world, MISSING)
    one, two = item(world, "报了上周"), item(world, "两周都没报")
    hand_in(one, week(weekly, date(2026, 3, 9)), 30)
    sweep_at(world, MONDAY)
    assert levels(world)[(MISSING, one.pk)] == "yellow"
    assert warning(world, MISSING, one).reason == "2026年第12周报告逾期未报"
    assert levels(world)[(MISSING, two.pk)] == "red"
    assert warning(world, MISSING, two).reason == "连续2期未报送：2026年第11周、2026年第12周"
    assert warning(world, MISSING, two).numbers == {"missed": 2, "periods": ["2026年第11周", "2026年第12周"]}


def test_a_returned_report_is_not_handed_in_and_a_late_one_clears(world: World, weekly: Cycle) -> None:
    only(world, MISSING)
    subject = item(world, "被退回")
    hand_in(subject, week(weekly, date(2026, 3, 9)), 30)
    returned = hand_in(subject, week(weekly, date(2026, 3, 16)), 40, status="returned")
    sweep_at(world, MONDAY)
    assert levels(world)[(MISSING, subject.pk)] == "yellow"
    returned.status = "submitted"
    returned.save(update_fields=["status"])
    result = sweep_at(world, at(2026, 3, 23, 11))
    assert (MISSING, subject.pk) not in levels(world)
    assert result.resolved >= 1


def test_only_periods_the_item_owed(world: World, weekly: Cycle) -> None:
    only(world, MISSING)
    late_start = item(world, "3月16日才开始", start_date=date(2026, 3, 16))
    future = item(world, "下月开始", start_date=date(2026, 4, 1))
    sweep_at(world, MONDAY)
    assert levels(world)[(MISSING, late_start.pk)] == "yellow"  # week 11 ended before it started
    assert (MISSING, future.pk) not in levels(world)


def test_tasks_done_items_and_draft_plans_owe_nothing(world: World, weekly: Cycle) -> None:
    only(world, MISSING)
    done = item(world, "已完成")
    plan_actions.set_item_status(done, "done", None)
    draft = plan_actions.create_plan(world.zone, 2026, "草稿计划", ["任务"], None)
    in_draft = plan_actions.add_item(draft, None, {"title": "草稿事项", "lead_unit": world.dev}, [], None)
    sweep_at(world, MONDAY)
    found = levels(world)
    assert (MISSING, world.task.pk) not in found and (MISSING, done.pk) not in found
    assert (MISSING, in_draft.pk) not in found
    assert found[(MISSING, world.item_a.pk)] == "red"  # the world's own measures never reported


def test_red_after_is_the_zones_choice(world: World, weekly: Cycle) -> None:
    only(world, MISSING, MISSING={"red_consecutive": 3})
    subject = item(world, "两周没报")
    hand_in(subject, week(weekly, date(2026, 3, 2)), 30)
    sweep_at(world, MONDAY)
    assert levels(world)[(MISSING, subject.pk)] == "yellow"
    assert levels(world)[(MISSING, world.item_a.pk)] == "red"


def test_only_a_red_missing_warning_is_announced(world: World, weekly: Cycle) -> None:
    """The reminder command already chases a late report; the warning speaks up when it turns red."""
    from luoshi.alerts.tests.conftest import inbox

    only(world, MISSING)
    one = item(world, "报了上周")
    item(world, "两周都没报")
    hand_in(one, week(weekly, date(2026, 3, 9)), 30)
    sweep_at(world, MONDAY)
    titles = inbox(world.user("liaison"), kind="warning")
    assert any("两周都没报" in title for title in titles)  # red: announced
    assert not any("报了上周" in title for title in titles)  # yellow: left to the reminders
