"""The step buttons and forms of the order page: who may post them, and what a refusal looks like."""

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, order_url
from luoshi.conftest import World

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

UNIT = ["liaison", "unithead"]
OFFICE = ["supervisor", "admin"]
EVERYONE = [
    "liaison",
    "unithead",
    "liaison_dev",
    "supervisor",
    "admin",
    "leader",
    "viewer",
    "outsider",
    "nobody",
]


def messages(response: "Response") -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def signed(world: World, order: SupervisionOrder) -> SupervisionOrder:
    return orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))


def answered(world: World, order: SupervisionOrder) -> SupervisionOrder:
    signed(world, order)
    return orders.submit_feedback(order, "已完成", world.user("liaison"), at(2026, 7, 2, 9))


@pytest.mark.parametrize("persona", EVERYONE)
def test_sign(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    persona: str,
) -> None:
    client = login(world.user(persona))
    response = client.post(order_url("order_sign", order))
    order.refresh_from_db()
    if persona in UNIT:
        assert response.status_code == 302 and order.state == "signed"
        assert response["Location"] == order_url("order_detail", order)
    else:
        assert response.status_code == 404 and order.state == "issued"


def test_a_double_click_shows_why(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, order: SupervisionOrder
) -> None:
    client = login(world.user("liaison"))
    client.post(order_url("order_sign", order))
    response = client.post(order_url("order_sign", order), follow=True)
    assert "督办单督字〔2026〕1号当前为“已签收”，不能签收" in messages(response)
    assert order.events.filter(kind="signed").count() == 1


@pytest.mark.parametrize("persona", EVERYONE)
def test_feedback(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    persona: str,
) -> None:
    signed(world, order)
    response = login(world.user(persona)).post(order_url("order_feedback", order), {"feedback": "已完成"})
    order.refresh_from_db()
    assert (response.status_code, order.state) == ((302, "feedback") if persona in UNIT else (404, "signed"))


def test_feedback_form_errors_and_order(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, order: SupervisionOrder
) -> None:
    client = login(world.user("liaison"))
    response = client.post(order_url("order_feedback", order), {"feedback": "已完成"}, follow=True)
    assert "请先签收督办单，再反馈办理情况" in messages(response)
    signed(world, order)
    response = client.post(order_url("order_feedback", order), {"feedback": "  "})
    assert response.status_code == 200 and "请填写办理情况" in response.content.decode()


@pytest.mark.parametrize("persona", EVERYONE)
def test_return(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    persona: str,
) -> None:
    answered(world, order)
    response = login(world.user(persona)).post(order_url("order_return", order), {"reason": "材料不全"})
    order.refresh_from_db()
    assert (response.status_code, order.state) == (
        (302, "returned") if persona in OFFICE else (404, "feedback")
    )


@pytest.mark.parametrize("persona", EVERYONE)
def test_close(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    persona: str,
) -> None:
    answered(world, order)
    data = {"evaluation": "good", "comment": "按时完成"}
    response = login(world.user(persona)).post(order_url("order_close", order), data)
    order.refresh_from_db()
    assert (response.status_code, order.state) == (
        (302, "closed") if persona in OFFICE else (404, "feedback")
    )


def test_review_form_errors(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, order: SupervisionOrder
) -> None:
    answered(world, order)
    client = login(world.user("supervisor"))
    response = client.post(order_url("order_close", order), {"evaluation": "great"})
    assert response.status_code == 200 and "请选择评价等级" in response.content.decode()
    response = client.post(order_url("order_return", order), {"reason": ""})
    assert response.status_code == 200 and "请填写退回理由" in response.content.decode()
    assert SupervisionOrder.objects.get(pk=order.pk).state == "feedback"


@pytest.mark.parametrize("persona", EVERYONE)
def test_escalate(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    persona: str,
) -> None:
    clock.move_to(at(2026, 7, 16, 9))
    response = login(world.user(persona)).post(order_url("order_escalate", order))
    order.refresh_from_db()
    assert (response.status_code, order.state) == (
        (302, "escalated") if persona in OFFICE else (404, "issued")
    )


def test_escalate_too_early_is_explained(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, order: SupervisionOrder
) -> None:
    response = login(world.user("supervisor")).post(order_url("order_escalate", order), follow=True)
    assert "办理时限未到，不能提请领导督办" in messages(response)


@pytest.mark.parametrize(
    "step", ["order_sign", "order_feedback", "order_return", "order_close", "order_escalate"]
)
def test_steps_only_by_post(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    step: str,
) -> None:
    assert login(world.user("supervisor")).get(order_url(step, order)).status_code == 405
