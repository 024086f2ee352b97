"""order_instruct: the leader's 批示 on an escalated order, from the order page; who sees the form and the
instruction trail, who may post it, and what bad input looks like."""

from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, inbox, new_order, order_url
from luoshi.alerts.tests.test_order_step_views import EVERYONE, messages
from luoshi.conftest import PASSWORD, World
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role

NOW = at(2026, 7, 18, 10)


@pytest.fixture
def late() -> Iterator[time_machine.Traveller]:
    """Three days after the deadline of 15 July: the order has been escalated to its leader."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def escalated(world: World) -> SupervisionOrder:
    order = new_order(world, leader=world.user("leader"))
    return orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 18, 9))


@pytest.fixture
def deputy(world: World) -> User:
    """A second leader of the zone, to hand orders to."""
    person = org_actions.create_person("deputy", PASSWORD, full_name="王副主任")
    org_actions.add_member(world.zone, person, Role.LEADER, None)
    return person


def forms_shown(body: str) -> set[str]:
    return {step for step in ("instruct", "urge", "hand") if f"/{step}/" in body}


@pytest.mark.parametrize("persona", EVERYONE)
def test_instruct_per_persona(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,
    escalated: SupervisionOrder,
    persona: str,
) -> None:
    response = login(world.user(persona)).post(order_url("order_instruct", escalated), {"text": "请抓紧办理"})
    written = escalated.events.filter(kind="instructed").count()
    if persona == "leader":
        assert response.status_code == 302 and response["Location"] == order_url("order_detail", escalated)
        assert written == 1
    else:
        assert response.status_code == 404 and written == 0


@pytest.mark.parametrize(
    "persona, status, shown",
    [
        ("leader", 200, {"instruct", "urge", "hand"}),
        ("supervisor", 200, set()),
        ("admin", 200, set()),
        ("viewer", 200, set()),
        ("liaison", 200, set()),
        ("unithead", 200, set()),
        ("liaison_dev", 404, None),
        ("outsider", 404, None),
    ],
)
def test_the_page_shows_the_trail_to_all_and_the_forms_to_the_leader(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,
    escalated: SupervisionOrder,
    deputy: User,
    persona: str,
    status: int,
    shown: set[str] | None,
) -> None:
    orders.instruct_order(escalated, "请三日内拿出整改方案", world.user("leader"), NOW)
    response = login(world.user(persona)).get(order_url("order_detail", escalated))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        trail = body[body.index('id="leader"') : body.index("办理记录")]
        assert "请三日内拿出整改方案" in trail and "leader" in trail and "2026-07-18 10:00" in trail
        assert forms_shown(body) == shown


def test_the_form_waits_for_the_escalation(
    world: World, login: Callable[[User], Client], late: time_machine.Traveller
) -> None:
    order = new_order(world, leader=world.user("leader"), deadline=at(2026, 7, 31).date())
    body = login(world.user("leader")).get(order_url("order_detail", order)).content.decode()
    assert forms_shown(body) == set() and 'id="leader"' not in body


def test_after_the_feedback_the_leader_may_instruct_but_not_urge(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,
    escalated: SupervisionOrder,
    deputy: User,
) -> None:
    orders.submit_feedback(escalated, "已整改", world.user("liaison"), NOW)
    body = login(world.user("leader")).get(order_url("order_detail", escalated)).content.decode()
    assert forms_shown(body) == {"instruct", "hand"}
    orders.close_order(escalated, "good", "", world.user("supervisor"), NOW)
    body = login(world.user("leader")).get(order_url("order_detail", escalated)).content.decode()
    assert forms_shown(body) == set() and "领导尚未批示" in body


@pytest.mark.parametrize(
    "text, error",
    [
        ("", "请填写批示内容"),
        ("   ", "请填写批示内容"),
        ("批" * 2001, "批示内容不能超过2000个字（现有2001个）"),
    ],
)
def test_bad_input_is_explained_and_nothing_written(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,
    escalated: SupervisionOrder,
    text: str,
    error: str,
) -> None:
    response = login(world.user("leader")).post(order_url("order_instruct", escalated), {"text": text})
    assert response.status_code == 200 and error in response.content.decode()
    assert not escalated.events.filter(kind="instructed").exists()
    assert inbox(world.user("liaison")) == ["【督办】督字〔2026〕1号 加快高企培育进度"]


def test_a_closed_order_refuses_with_a_message(
    world: World, login: Callable[[User], Client], late: time_machine.Traveller, escalated: SupervisionOrder
) -> None:
    orders.submit_feedback(escalated, "已整改", world.user("liaison"), NOW)
    orders.close_order(escalated, "good", "", world.user("supervisor"), NOW)
    client = login(world.user("leader"))
    response = client.post(order_url("order_instruct", escalated), {"text": "请抓紧"}, follow=True)
    assert "督办单督字〔2026〕1号当前为“已办结”，不能批示" in messages(response)
    assert not escalated.events.filter(kind="instructed").exists()


def test_only_by_post(
    world: World, login: Callable[[User], Client], late: time_machine.Traveller, escalated: SupervisionOrder
) -> None:
    client = login(world.user("leader"))
    for step in ("order_instruct", "order_urge", "order_hand"):
        assert client.get(order_url(step, escalated)).status_code == 405


def test_query_count_for_the_leader(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,
    escalated: SupervisionOrder,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(5):
        orders.instruct_order(escalated, f"批示{n}", world.user("leader"), NOW)
    client = login(world.user("leader"))
    with django_assert_max_num_queries(14):
        assert client.get(order_url("order_detail", escalated)).status_code == 200
