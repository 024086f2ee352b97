"""ORDER_OVERDUE: an order still owed feedback after its deadline is a red warning on the order, and the sweep
escalates it to the responsible leader, once."""

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.alerts import orders
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.alerts.tests.conftest import at, inbox, new_order, only, sweep_at
from luoshi.conftest import World
from luoshi.notices.models import Notification

ORDER_OVERDUE = RuleCode.ORDER_OVERDUE


@pytest.fixture
def led(world: World) -> SupervisionOrder:
    only(world, ORDER_OVERDUE)
    return new_order(world, leader=world.user("leader"))  # due 15 July


def open_warning(order: SupervisionOrder) -> Warning | None:
    return Warning.objects.filter(order=order, rule=ORDER_OVERDUE, resolved_at__isnull=True).first()


def test_red_on_the_order_the_day_after_its_deadline_and_escalated_once(
    world: World, led: SupervisionOrder
) -> None:
    assert sweep_at(world, at(2026, 7, 15, 23)).created == 0
    result = sweep_at(world, at(2026, 7, 16, 9))
    assert (result.created, result.escalated) == (1, 1)
    warning = open_warning(led)
    assert warning is not None and warning.item is None and warning.unit == world.tech
    assert (warning.level, warning.reason) == (
        "red",
        "督办单督字〔2026〕1号办理时限2026-07-15，已逾期1天未反馈",
    )
    led.refresh_from_db()
    assert led.state == "escalated" and led.escalated_at == at(2026, 7, 16, 9) and led.escalated_by is None
    event = led.events.get(kind="escalated")
    assert event.by is None
    assert inbox(world.user("leader")) == ["【提请督办】督字〔2026〕1号 加快高企培育进度"]
    # The unit hears of its red warning like of any other.
    assert inbox(world.user("liaison"), "warning") == ["【红色预警】督字〔2026〕1号加快高企培育进度"]
    # Idempotent: the same moment again writes and sends nothing; a day later only the day count moves.
    notices = Notification.objects.count()
    again = sweep_at(world, at(2026, 7, 16, 9))
    assert (again.created, again.updated, again.resolved, again.escalated) == (0, 0, 0, 0)
    later = sweep_at(world, at(2026, 7, 17, 9))
    assert (later.created, later.updated, later.escalated) == (0, 1, 0)
    current = open_warning(led)
    assert current is not None and current.numbers["days"] == 2
    assert Notification.objects.count() == notices
    assert led.events.filter(kind="escalated").count() == 1


def test_feedback_resolves_it_and_a_return_after_the_deadline_reopens_it_without_a_second_escalation(
    world: World, led: SupervisionOrder
) -> None:
    sweep_at(world, at(2026, 7, 16, 9))
    orders.submit_feedback(led, "已完成", world.user("liaison"), at(2026, 7, 16, 15))
    assert sweep_at(world, at(2026, 7, 16, 16)).resolved == 1
    assert open_warning(led) is None
    orders.return_feedback(led, "材料不全", world.user("supervisor"), at(2026, 7, 17, 9))
    result = sweep_at(world, at(2026, 7, 17, 10))
    assert (result.created, result.escalated) == (1, 0)
    assert len(inbox(world.user("leader"))) == 1


def test_escalation_waits_for_the_zones_days(world: World) -> None:
    only(world, ORDER_OVERDUE, ORDER_OVERDUE={"escalate_days": 3})
    order = new_order(world)
    assert sweep_at(world, at(2026, 7, 18, 9)).escalated == 0  # 3 days late
    assert open_warning(order) is not None
    assert sweep_at(world, at(2026, 7, 19, 9)).escalated == 1  # 4 days late
    assert inbox(world.user("leader")) == [
        "【提请督办】督字〔2026〕1号 加快高企培育进度"
    ]  # the zone's leaders


def test_an_order_escalated_by_hand_is_not_escalated_again(world: World, led: SupervisionOrder) -> None:
    orders.escalate_order(led, world.user("supervisor"), at(2026, 7, 16, 8))
    assert sweep_at(world, at(2026, 7, 16, 9)).escalated == 0
    assert open_warning(led) is not None  # still owed: still red
    assert len(inbox(world.user("leader"))) == 1


@pytest.mark.parametrize("state", ["feedback", "closed"])
def test_orders_answered_or_closed_are_not_overdue(world: World, led: SupervisionOrder, state: str) -> None:
    SupervisionOrder.objects.filter(pk=led.pk).update(state=state)
    assert sweep_at(world, at(2026, 7, 20, 9)).created == 0


def test_rule_off_means_no_warning_and_no_escalation(world: World) -> None:
    only(world)
    order = new_order(world, deadline=date(2026, 7, 2))
    result = sweep_at(world, at(2026, 7, 20, 9))
    assert (result.created, result.escalated) == (0, 0)
    order.refresh_from_db()
    assert order.state == "issued"


def test_the_warning_pages_show_the_order(
    world: World, led: SupervisionOrder, login: Callable[[User], Client]
) -> None:
    sweep_at(world, at(2026, 7, 16, 9))
    warning = open_warning(led)
    assert warning is not None
    client = login(world.user("liaison"))
    order_link = reverse("alerts:order_detail", args=["alpha", led.pk])
    listed = client.get(reverse("alerts:warning_list", args=["alpha"])).content.decode()
    assert order_link in listed and "督字〔2026〕1号" in listed
    detail = client.get(reverse("alerts:warning_detail", args=["alpha", warning.pk])).content.decode()
    assert order_link in detail and "已逾期1天未反馈" in detail
    unit_page = client.get(reverse("front:unit_items", args=["alpha", world.tech.pk])).content.decode()
    assert "督办逾期" in unit_page and order_link in unit_page
    assert (
        login(world.user("liaison_dev"))
        .get(reverse("alerts:warning_detail", args=["alpha", warning.pk]))
        .status_code
        == 404
    )
