"""The three date rules: MILESTONE, OVERDUE and DUE_SOON."""

from datetime import date

from luoshi.alerts.choices import RuleCode
from luoshi.alerts.tests.conftest import at, item, levels, only, sweep_at, warning
from luoshi.conftest import World
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import Milestone
from luoshi.reporting import calendars

MILESTONE, OVERDUE, DUE_SOON = RuleCode.MILESTONE, RuleCode.OVERDUE, RuleCode.DUE_SOON


def test_milestone_late_is_yellow_then_red_after_30_days_and_clears_when_done(world: World) -> None:
    only(world, MILESTONE)
    subject = item(world, "有节点")
    first = Milestone.objects.create(
        zone=world.zone, item=subject, title="完成选址", due_date=date(2026, 3, 1)
    )
    Milestone.objects.create(zone=world.zone, item=subject, title="签约", due_date=date(2026, 3, 5))
    Milestone.objects.create(zone=world.zone, item=subject, title="开工", due_date=date(2026, 6, 1))
    sweep_at(world, at(2026, 3, 9, 10))
    assert levels(world)[(MILESTONE, subject.pk)] == "yellow"
    assert (
        warning(world, MILESTONE, subject).reason
        == "节点“完成选址”应于2026-03-01完成，已逾期8天，另有1个节点逾期"
    )
    sweep_at(world, at(2026, 4, 1, 10))
    assert levels(world)[(MILESTONE, subject.pk)] == "red"  # 31 days
    plan_actions.set_milestone_done(first, True, date(2026, 4, 1), None)
    sweep_at(world, at(2026, 4, 2, 10))
    assert levels(world)[(MILESTONE, subject.pk)] == "yellow"  # 签约 is 28 days late
    assert warning(world, MILESTONE, subject).numbers["title"] == "签约"


def test_overdue_until_done(world: World) -> None:
    only(world, OVERDUE)
    sweep_at(world, at(2026, 7, 8, 10))
    assert levels(world) == {(OVERDUE, world.item_a.pk): "red"}  # due 30 June
    assert warning(world, OVERDUE, world.item_a).reason == "完成时限2026-06-30，已逾期8天"
    plan_actions.set_item_status(world.item_a, "done", None)
    sweep_at(world, at(2026, 7, 8, 11))
    assert levels(world) == {}


def test_due_soon_counts_working_days(world: World) -> None:
    only(world, DUE_SOON)
    friday = item(world, "清明节后", due_date=date(2026, 4, 10))
    sweep_at(world, at(2026, 4, 2, 10))  # Thursday: 3, 7, 8 April are the next 3 working days (4–6 off)
    assert (DUE_SOON, friday.pk) not in levels(world)
    sweep_at(world, at(2026, 4, 3, 10))  # 7, 8, 9
    assert (DUE_SOON, friday.pk) not in levels(world)
    sweep_at(world, at(2026, 4, 7, 10))
    assert levels(world)[(DUE_SOON, friday.pk)] == "blue"
    assert warning(world, DUE_SOON, friday).reason == "距完成时限2026-04-10还有3个工作日"
    sweep_at(world, at(2026, 4, 10, 10))
    assert warning(world, DUE_SOON, friday).reason == "今天（2026-04-10）是完成时限"
    sweep_at(world, at(2026, 4, 11, 10))  # overdue now: not "soon" any more
    assert (DUE_SOON, friday.pk) not in levels(world)


def test_due_soon_reads_the_zones_own_calendar(world: World) -> None:
    """Security issue, defect 5: a zone's local holiday counts in that zone's working days only."""
    only(world, DUE_SOON)
    friday = item(world, "清明节后", due_date=date(2026, 4, 10))
    calendars.set_zone_day(world.other_zone, date(2026, 4, 8), False, "乙区假日", None)
    sweep_at(world, at(2026, 4, 7, 10))
    assert warning(world, DUE_SOON, friday).reason == "距完成时限2026-04-10还有3个工作日"
    calendars.set_zone_day(world.zone, date(2026, 4, 8), False, "甲区假日", None)
    sweep_at(world, at(2026, 4, 7, 11))
    assert warning(world, DUE_SOON, friday).reason == "距完成时限2026-04-10还有2个工作日"


def test_due_soon_off_or_wider_per_zone(world: World) -> None:
    only(world, DUE_SOON, DUE_SOON={"workdays": 5})
    subject = item(world, "五天内", due_date=date(2026, 4, 10))
    sweep_at(world, at(2026, 4, 2, 10))
    assert levels(world)[(DUE_SOON, subject.pk)] == "blue"
    only(world)
    sweep_at(world, at(2026, 4, 2, 11))
    assert levels(world) == {}
