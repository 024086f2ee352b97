"""escalate_order: the office escalates an overdue order to its responsible leader, once."""

import pytest

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, inbox, new_order
from luoshi.conftest import World
from luoshi.notices.models import Notification
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role


def test_escalate_tells_the_leader(world: World) -> None:
    order = new_order(world, leader=world.user("leader"))
    done = orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 18, 9))
    assert done.state == "escalated"
    assert (done.escalated_at, done.escalated_by) == (at(2026, 7, 18, 9), world.user("supervisor"))
    assert done.events.get(kind="escalated").by == world.user("supervisor")
    assert inbox(world.user("leader")) == ["【提请督办】督字〔2026〕1号 加快高企培育进度"]
    body = Notification.objects.get(recipient=world.user("leader")).body
    assert (
        body
        == "责任单位区科技创新局未在办理时限2026-07-15前反馈，已逾期3天，提请领导督办：可在督办单上批示、催办或转交其他领导。"
    )
    assert inbox(world.user("admin")) == [] and inbox(world.user("liaison"))[-1].startswith("【督办】")


def test_without_a_named_leader_the_zone_leaders_hear(world: World, order: SupervisionOrder) -> None:
    second = org_actions.create_person("leader2", "x", full_name="副主任")
    org_actions.add_member(world.zone, second, Role.LEADER, None)
    orders.escalate_order(order, world.user("admin"), at(2026, 7, 18, 9))
    assert len(inbox(world.user("leader"))) == len(inbox(second)) == 1


def test_not_before_the_deadline_has_passed(world: World, order: SupervisionOrder) -> None:
    with pytest.raises(orders.OrderRefused, match="办理时限未到"):
        orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 15, 17))


def test_only_once(world: World, order: SupervisionOrder) -> None:
    orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 18, 9))
    with pytest.raises(orders.OrderRefused, match="已提请领导督办，不能重复提请"):
        orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 18, 9))
    assert len(inbox(world.user("leader"))) == 1


def test_not_once_the_feedback_is_in(world: World, order: SupervisionOrder) -> None:
    orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))
    orders.submit_feedback(order, "完成", world.user("liaison"), at(2026, 7, 15, 10))
    with pytest.raises(orders.OrderRefused, match="当前为“已反馈”，不能提请领导督办"):
        orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 18, 9))


def test_inactive_leaders_are_skipped(world: World, order: SupervisionOrder) -> None:
    org_actions.set_person_active(world.user("leader"), False)
    orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 18, 9))
    assert inbox(world.user("leader")) == []
