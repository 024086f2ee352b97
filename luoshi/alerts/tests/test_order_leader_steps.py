"""The leader's steps on an escalated order: 批示 (instruct_order), 催办 (urge_order) and 转交 (hand_order)."""

import pytest
from django.contrib.auth.models import User

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, group_messages, inbox, new_order, robot
from luoshi.conftest import PASSWORD, World
from luoshi.notices.models import Notification
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.org.models import Membership

ESCALATED_AT = at(2026, 7, 18, 9)  # three days after the deadline of 15 July
LATER = at(2026, 7, 18, 15)


@pytest.fixture
def escalated(world: World) -> SupervisionOrder:
    order = new_order(world, leader=world.user("leader"))
    return orders.escalate_order(order, world.user("supervisor"), ESCALATED_AT)


@pytest.fixture
def deputy(world: World) -> User:
    person = org_actions.create_person("deputy", PASSWORD, full_name="王副主任")
    org_actions.add_member(world.zone, person, Role.LEADER, None)
    return person


def test_an_instruction_goes_on_the_record_and_to_the_unit_and_the_office(
    world: World, escalated: SupervisionOrder
) -> None:
    group = robot(world.zone, world.tech)
    orders.instruct_order(escalated, "  请三日内拿出整改方案  ", world.user("leader"), LATER)
    event = escalated.events.get(kind="instructed")
    assert (event.text, event.by, event.at) == ("请三日内拿出整改方案", world.user("leader"), LATER)
    title = "【领导批示】督字〔2026〕1号 加快高企培育进度"
    for persona in ("liaison", "unithead", "supervisor"):
        assert inbox(world.user(persona))[-1] == title
    body = Notification.objects.filter(recipient=world.user("liaison")).latest("pk").body
    assert body == "leader批示：请三日内拿出整改方案"
    assert group_messages(group)[-1] == title
    assert inbox(world.user("leader")) == ["【提请督办】督字〔2026〕1号 加快高企培育进度"]
    assert inbox(world.user("liaison_dev")) == []
    escalated.refresh_from_db()
    assert escalated.state == "escalated"  # an instruction does not change the order's state


def test_each_instruction_is_told_once(world: World, escalated: SupervisionOrder) -> None:
    orders.instruct_order(escalated, "请抓紧", world.user("leader"), LATER)
    orders.instruct_order(escalated, "请督查室跟踪", world.user("leader"), at(2026, 7, 19, 9))
    assert inbox(world.user("liaison")).count("【领导批示】督字〔2026〕1号 加快高企培育进度") == 2
    assert escalated.events.filter(kind="instructed").count() == 2


@pytest.mark.parametrize("text, message", [("   ", "请填写批示内容"), ("批" * 4001, "内容不能超过4000个字")])
def test_an_instruction_needs_text(
    world: World, escalated: SupervisionOrder, text: str, message: str
) -> None:
    with pytest.raises(orders.OrderRefused, match=message):
        orders.instruct_order(escalated, text, world.user("leader"), LATER)
    assert not escalated.events.filter(kind="instructed").exists()
    assert inbox(world.user("liaison")) == ["【督办】督字〔2026〕1号 加快高企培育进度"]


def test_not_before_the_escalation(world: World) -> None:
    order = new_order(world, leader=world.user("leader"))
    with pytest.raises(orders.OrderRefused, match="督办单督字〔2026〕1号未提请领导督办，不能批示"):
        orders.instruct_order(order, "请抓紧", world.user("leader"), LATER)


def test_only_by_the_orders_leader(world: World, escalated: SupervisionOrder, deputy: User) -> None:
    with pytest.raises(orders.OrderRefused, match="督办单督字〔2026〕1号由leader包抓，只有包抓领导可以批示"):
        orders.instruct_order(escalated, "请抓紧", deputy, LATER)
    with pytest.raises(orders.OrderRefused, match="只有包抓领导可以催办"):
        orders.urge_order(escalated, "", world.user("supervisor"), LATER)
    assert not escalated.events.filter(kind__in=["instructed", "urged"]).exists()


def test_without_a_named_leader_any_zone_leader_acts(world: World, deputy: User) -> None:
    order = orders.escalate_order(new_order(world), world.user("supervisor"), ESCALATED_AT)
    orders.instruct_order(order, "请抓紧", deputy, LATER)
    assert order.events.get(kind="instructed").by == deputy
    with pytest.raises(orders.OrderRefused, match="只有本园区的领导可以批示"):
        orders.instruct_order(order, "请抓紧", world.user("admin"), LATER)


def test_instructions_stay_open_after_the_feedback_until_the_order_is_closed(
    world: World, escalated: SupervisionOrder
) -> None:
    orders.submit_feedback(escalated, "已整改", world.user("liaison"), at(2026, 7, 18, 11))
    orders.instruct_order(escalated, "请督查室严格审核", world.user("leader"), LATER)
    with pytest.raises(orders.OrderRefused, match="当前为“已反馈”，不能催办"):
        orders.urge_order(escalated, "", world.user("leader"), LATER)
    orders.close_order(escalated, "good", "", world.user("supervisor"), at(2026, 7, 19, 9))
    with pytest.raises(orders.OrderRefused, match="当前为“已办结”，不能批示"):
        orders.instruct_order(escalated, "再补充一点", world.user("leader"), at(2026, 7, 19, 10))
    assert escalated.events.filter(kind="instructed").count() == 1


def test_an_urge_names_the_leader_and_the_days_late(world: World, escalated: SupervisionOrder) -> None:
    group = robot(world.zone, world.tech)
    orders.urge_order(escalated, "周五前必须反馈", world.user("leader"), LATER)
    title = "【领导催办】督字〔2026〕1号 加快高企培育进度"
    assert inbox(world.user("liaison"))[-1] == inbox(world.user("unithead"))[-1] == title
    body = Notification.objects.filter(recipient=world.user("unithead")).latest("pk").body
    assert body == "leader催办：办理时限2026-07-15已过3天，请抓紧办理并反馈。\n周五前必须反馈"
    assert group_messages(group) == [title]
    event = escalated.events.get(kind="urged")
    assert (event.by, event.text) == (world.user("leader"), "周五前必须反馈")


def test_one_urge_a_day(world: World, escalated: SupervisionOrder) -> None:
    orders.urge_order(escalated, "", world.user("leader"), LATER)
    with pytest.raises(orders.OrderRefused, match="今天已催办过督办单督字〔2026〕1号，请勿重复催办"):
        orders.urge_order(escalated, "", world.user("leader"), at(2026, 7, 18, 23, 59))
    orders.urge_order(escalated, "", world.user("leader"), at(2026, 7, 19, 0, 1))
    assert escalated.events.filter(kind="urged").count() == 2
    assert inbox(world.user("liaison")).count("【领导催办】督字〔2026〕1号 加快高企培育进度") == 2


def test_an_urge_note_is_short(world: World, escalated: SupervisionOrder) -> None:
    with pytest.raises(orders.OrderRefused, match="附言不能超过500个字"):
        orders.urge_order(escalated, "催" * 501, world.user("leader"), LATER)
    assert not escalated.events.filter(kind="urged").exists()


def test_handing_to_another_leader(world: World, escalated: SupervisionOrder, deputy: User) -> None:
    orders.hand_order(escalated, deputy, "请王主任牵头协调", world.user("leader"), LATER)
    escalated.refresh_from_db()
    assert escalated.leader == deputy and escalated.state == "escalated"
    event = escalated.events.get(kind="handed")
    assert (event.by, event.text) == (world.user("leader"), "转交王副主任：请王主任牵头协调")
    assert inbox(deputy) == ["【转交督办】督字〔2026〕1号 加快高企培育进度"]
    assert (
        Notification.objects.get(recipient=deputy).body == "leader将督办单转交您包抓督办。\n请王主任牵头协调"
    )
    assert inbox(world.user("supervisor"))[-1] == "【转交督办】督字〔2026〕1号 加快高企培育进度"
    # The new leader now acts; the former one no longer does.
    orders.instruct_order(escalated, "请抓紧", deputy, LATER)
    with pytest.raises(orders.OrderRefused, match="由王副主任包抓"):
        orders.urge_order(escalated, "", world.user("leader"), LATER)


@pytest.mark.parametrize("persona", ["supervisor", "liaison", "outsider", "leader"])
def test_handing_only_to_another_leader_of_the_zone(
    world: World, escalated: SupervisionOrder, persona: str
) -> None:
    message = "已是包抓领导" if persona == "leader" else "只能转交给本园区的领导"
    with pytest.raises(orders.OrderRefused, match=message):
        orders.hand_order(escalated, world.user(persona), "", world.user("leader"), LATER)
    escalated.refresh_from_db()
    assert escalated.leader == world.user("leader")
    assert not escalated.events.filter(kind="handed").exists()


def test_a_leader_of_another_zone_is_not_a_leader_here(world: World, escalated: SupervisionOrder) -> None:
    stranger = org_actions.create_person("beta_leader", PASSWORD, full_name="乙区领导")
    org_actions.add_member(world.other_zone, stranger, Role.LEADER, None)
    with pytest.raises(orders.OrderRefused, match="只能转交给本园区的领导"):
        orders.hand_order(escalated, stranger, "", world.user("leader"), LATER)
    assert inbox(stranger) == []


def test_when_the_named_leader_has_left_any_zone_leader_steps_in(
    world: World, escalated: SupervisionOrder, deputy: User
) -> None:
    org_actions.set_person_active(world.user("leader"), False)
    orders.instruct_order(escalated, "由我接手督办", deputy, LATER)
    orders.hand_order(escalated, deputy, "", deputy, LATER)
    escalated.refresh_from_db()
    assert (
        escalated.leader == deputy and escalated.events.filter(kind__in=["instructed", "handed"]).count() == 2
    )


def test_a_named_leader_who_is_no_longer_a_leader_here_cannot_act(
    world: World, escalated: SupervisionOrder
) -> None:
    membership = Membership.objects.get(zone=world.zone, user=world.user("leader"), role=Role.LEADER)
    org_actions.remove_member(membership, None)
    with pytest.raises(orders.OrderRefused, match="只有包抓领导可以批示"):
        orders.instruct_order(escalated, "请抓紧", world.user("leader"), LATER)
