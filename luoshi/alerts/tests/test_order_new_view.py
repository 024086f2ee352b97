"""The "new order" page: by hand, or prefilled from a warning or an item; only the office issues."""

from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.alerts.tests.conftest import at, inbox, only, sweep_at
from luoshi.conftest import World
from luoshi.org import actions as org_actions

URL = "/z/alpha/orders/new/"


def good(world: World, **changes: object) -> dict[str, object]:
    return {
        "subject": "推进创新平台建设",
        "unit": world.dev.pk,
        "leader": world.user("leader").pk,
        "requirement": "请于7月20日前报送推进情况",
        "deadline": "2026-07-20",
        **changes,
    }


def test_url() -> None:
    assert reverse("alerts:order_new", args=["alpha"]) == URL


def test_issue_by_hand(world: World, login: Callable[[User], Client], clock: time_machine.Traveller) -> None:
    response = login(world.user("supervisor")).post(URL, good(world))
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/z/alpha/orders/{order.pk}/"
    assert (order.unit, order.leader, order.item, order.warning) == (
        world.dev,
        world.user("leader"),
        None,
        None,
    )
    assert order.issued_by == world.user("supervisor") and order.display_number == "督字〔2026〕1号"
    assert inbox(world.user("liaison_dev")) == ["【督办】督字〔2026〕1号 推进创新平台建设"]


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"deadline": "2026-07-01"}, "办理时限不能早于今天"),
        ({"deadline": "明天"}, "请按 2026-07-31 的格式填写日期"),
        ({"requirement": "   "}, "请填写督办要求"),
        ({"subject": ""}, "请填写督办事项"),
        ({"unit": ""}, "请选择责任单位"),
        ({"leader": "999999"}, "请选择本园区的领导"),
    ],
)
def test_bad_input_is_explained(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    changes: dict[str, str],
    error: str,
) -> None:
    response = login(world.user("admin")).post(URL, good(world, **changes))
    assert response.status_code == 200 and error in response.content.decode()
    assert not SupervisionOrder.objects.exists()


def test_a_unit_an_item_or_a_leader_from_another_zone_is_refused(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller
) -> None:
    client = login(world.user("supervisor"))
    other_unit = org_actions.create_unit(world.other_zone, "乙区发改局")
    body = client.post(URL, good(world, unit=other_unit.pk)).content.decode()
    assert "请选择本园区的责任单位" in body
    assert client.post(URL, good(world, leader=world.user("outsider").pk)).status_code == 200
    assert client.post(URL, good(world, item=world.other_plan.items.get().pk)).status_code == 200
    assert client.post(URL, good(world, leader=world.user("viewer").pk)).status_code == 200  # not a leader
    assert not SupervisionOrder.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "viewer", "liaison", "unithead", "outsider", "nobody"])
def test_only_the_office_issues(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, good(world)).status_code == 404
    assert not SupervisionOrder.objects.exists()


def test_from_a_warning(world: World, login: Callable[[User], Client]) -> None:
    only(world, RuleCode.OVERDUE)
    sweep_at(world, at(2026, 7, 8, 10))
    warning = Warning.objects.get(item=world.item_a)
    client = login(world.user("supervisor"))
    with time_machine.travel(at(2026, 7, 8, 11), tick=False):
        detail = client.get(reverse("alerts:warning_detail", args=["alpha", warning.pk])).content.decode()
        assert f"{URL}?warning={warning.pk}" in detail
        form = client.get(f"{URL}?warning={warning.pk}").context["form"]
        assert form.initial["subject"] == "培育高新技术企业：完成时限2026-06-30，已逾期8天"
        assert (form.initial["unit"], form.initial["item"]) == (world.tech.pk, world.item_a.pk)
        assert "完成时限2026-06-30，已逾期8天" in form.initial["requirement"]
        assert str(form.initial["deadline"]) == "2026-07-23"  # 15 days
        data = {**form.initial, "deadline": "2026-07-23", "leader": ""}
        response = client.post(URL, data)
        assert response.status_code == 302
        order = SupervisionOrder.objects.get()
        assert (order.warning, order.item, order.unit) == (warning, world.item_a, world.tech)
        detail = client.get(reverse("alerts:warning_detail", args=["alpha", warning.pk])).content.decode()
        assert "督字〔2026〕1号" in detail  # the warning lists the orders made from it
    # A unit's people see the warning but issue nothing.
    liaison_page = login(world.user("liaison")).get(
        reverse("alerts:warning_detail", args=["alpha", warning.pk])
    )
    assert f"{URL}?warning=" not in liaison_page.content.decode()


def test_from_an_item_or_a_warning_of_another_zone(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller
) -> None:
    client = login(world.user("supervisor"))
    form = client.get(f"{URL}?item={world.item_c.pk}").context["form"]
    assert (form.initial["subject"], form.initial["unit"]) == ("3.扩大有效投资", world.dev.pk)
    assert (
        "subject" not in client.get(f"{URL}?item={world.other_plan.items.get().pk}").context["form"].initial
    )
    assert client.get(f"{URL}?warning=999999").status_code == 404
