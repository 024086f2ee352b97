"""issue_order: numbered, recorded, and the responsible unit told (inboxes and its group robot), once."""

from datetime import date
from typing import Any

import pytest

from luoshi.alerts import orders
from luoshi.alerts.models import OrderEvent
from luoshi.alerts.tests.conftest import ISSUED_AT, group_messages, inbox, new_order, robot
from luoshi.conftest import World
from luoshi.org import actions as org_actions


def test_issue_records_the_order_and_tells_the_unit(world: World) -> None:
    tech_group, dev_group = robot(world.zone, world.tech), robot(world.zone, world.dev)
    order = new_order(world, leader=world.user("leader"))
    assert order.state == "issued" and order.unit == world.tech and order.item == world.item_a
    assert (order.issued_at, order.issued_by) == (ISSUED_AT, world.user("supervisor"))
    event = OrderEvent.objects.get(order=order)
    assert (event.kind, event.by, event.text) == ("issued", world.user("supervisor"), order.requirement)
    title = "【督办】督字〔2026〕1号 加快高企培育进度"
    assert inbox(world.user("liaison")) == inbox(world.user("unithead")) == [title]
    assert inbox(world.user("liaison_dev")) == inbox(world.user("supervisor")) == []
    assert group_messages(tech_group) == [title] and group_messages(dev_group) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"deadline": date(2026, 6, 30)}, "办理时限不能早于今天"),
        ({"requirement": "  "}, "请填写督办要求"),
        ({"subject": ""}, "请填写督办事项"),
    ],
)
def test_bad_input_is_refused(world: World, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(orders.OrderRefused, match=message):
        new_order(world, **changes)


def test_unit_item_and_leader_must_be_of_the_zone(world: World) -> None:
    other_unit = org_actions.create_unit(world.other_zone, "乙区发改局")
    with pytest.raises(orders.OrderRefused, match="须属于本园区"):
        new_order(world, unit=other_unit)
    other_item = world.other_plan.items.get()
    with pytest.raises(orders.OrderRefused, match="须属于本园区"):
        new_order(world, item=other_item)
    with pytest.raises(orders.OrderRefused, match="包抓领导"):
        new_order(world, leader=world.user("outsider"))


def test_a_deadline_today_is_fine(world: World) -> None:
    assert new_order(world, deadline=date(2026, 7, 1)).deadline == date(2026, 7, 1)
