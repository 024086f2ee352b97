from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, order_url
from luoshi.conftest import World


def actions_shown(body: str) -> set[str]:
    return {step for step in ("sign", "feedback", "return", "close", "escalate") if f"/{step}/" in body}


@pytest.mark.parametrize(
    "persona, status, steps",
    [
        ("liaison", 200, {"sign"}),
        ("unithead", 200, {"sign"}),
        ("supervisor", 200, set()),
        ("admin", 200, set()),
        ("leader", 200, set()),
        ("viewer", 200, set()),
        ("liaison_dev", 404, None),
        ("outsider", 404, None),
        ("nobody", 404, None),
    ],
)
def test_detail_per_persona(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    persona: str,
    status: int,
    steps: set[str] | None,
) -> None:
    response = login(world.user(persona)).get(order_url("order_detail", order))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "督字〔2026〕1号" in body and "请于7月15日前报送高企申报推进情况" in body
        assert "交办" in body  # the history's first step
        assert actions_shown(body) == steps


def test_steps_follow_the_state(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, order: SupervisionOrder
) -> None:
    liaison = login(world.user("liaison"))
    orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))
    assert actions_shown(liaison.get(order_url("order_detail", order)).content.decode()) == {"feedback"}
    orders.submit_feedback(order, "已完成申报", world.user("liaison"), at(2026, 7, 2, 9))
    body = liaison.get(order_url("order_detail", order)).content.decode()
    assert actions_shown(body) == set() and "已完成申报" in body
    supervisor = login(world.user("supervisor"))
    assert actions_shown(supervisor.get(order_url("order_detail", order)).content.decode()) == {
        "return",
        "close",
    }
    orders.return_feedback(order, "补充佐证", world.user("supervisor"), at(2026, 7, 2, 9))
    assert actions_shown(supervisor.get(order_url("order_detail", order)).content.decode()) == set()
    clock.move_to(at(2026, 7, 16, 9))
    supervisor = login(world.user("supervisor"))  # a fortnight on: the earlier session has timed out
    body = supervisor.get(order_url("order_detail", order)).content.decode()
    assert actions_shown(body) == {"escalate"} and "逾期未反馈" in body and "补充佐证" in body


def test_the_history_names_who_did_what(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, order: SupervisionOrder
) -> None:
    orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))
    body = login(world.user("viewer")).get(order_url("order_detail", order)).content.decode()
    history = body[body.index("办理记录") :]
    assert history.index("交办") < history.index("签收") < history.index("liaison")


def test_query_count(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(12):
        assert client.get(order_url("order_detail", order)).status_code == 200


def test_links_to_its_item_and_warning(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, order: SupervisionOrder
) -> None:
    body = login(world.user("viewer")).get(order_url("order_detail", order)).content.decode()
    assert reverse("front:item_detail", args=["alpha", world.item_a.pk]) in body
