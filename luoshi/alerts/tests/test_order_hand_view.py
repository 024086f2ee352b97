"""order_hand: the leader hands an escalated order to another leader of the zone."""

from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import inbox, order_url
from luoshi.alerts.tests.test_order_instruct_view import deputy, escalated, late  # noqa: F401
from luoshi.alerts.tests.test_order_step_views import EVERYONE, messages
from luoshi.conftest import World


@pytest.mark.parametrize("persona", EVERYONE)
def test_hand_per_persona(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,  # noqa: F811
    escalated: SupervisionOrder,  # noqa: F811
    deputy: User,  # noqa: F811
    persona: str,
) -> None:
    response = login(world.user(persona)).post(order_url("order_hand", escalated), {"to": deputy.pk})
    escalated.refresh_from_db()
    if persona == "leader":
        assert response.status_code == 302 and escalated.leader == deputy
        assert inbox(deputy) == ["【转交督办】督字〔2026〕1号 加快高企培育进度"]
    else:
        assert response.status_code == 404 and escalated.leader == world.user("leader")


def test_the_new_leader_takes_over_the_page(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,  # noqa: F811
    escalated: SupervisionOrder,  # noqa: F811
    deputy: User,  # noqa: F811
) -> None:
    client = login(world.user("leader"))
    body = client.get(order_url("order_detail", escalated)).content.decode()
    assert f'<option value="{deputy.pk}">王副主任</option>' in body
    response = client.post(
        order_url("order_hand", escalated), {"to": deputy.pk, "note": "请牵头"}, follow=True
    )
    assert "已转交王副主任" in messages(response)
    body = response.content.decode()
    assert "转交王副主任：请牵头" in body and "/instruct/" not in body  # no longer the leader's to act on
    body = login(deputy).get(order_url("order_detail", escalated)).content.decode()
    assert "/instruct/" in body and "包抓领导：王副主任" in body
    # The order's former leader, posting from a stale page, is told why.
    response = login(world.user("leader")).post(
        order_url("order_instruct", escalated), {"text": "请抓紧"}, follow=True
    )
    assert "督办单督字〔2026〕1号由王副主任包抓，只有包抓领导可以批示" in messages(response)


@pytest.mark.parametrize("persona", ["supervisor", "liaison", "outsider", "leader", "nobody"])
def test_only_to_another_leader_of_the_zone(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,  # noqa: F811
    escalated: SupervisionOrder,  # noqa: F811
    persona: str,
) -> None:
    client = login(world.user("leader"))
    response = client.post(order_url("order_hand", escalated), {"to": world.user(persona).pk})
    assert response.status_code == 200 and "请选择本园区的其他领导" in response.content.decode()
    escalated.refresh_from_db()
    assert escalated.leader == world.user("leader") and not escalated.events.filter(kind="handed").exists()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"to": ""}, "请选择接手的领导"),
        ({"to": "abc"}, "请选择本园区的其他领导"),
        ({"to": "DEPUTY", "note": "说" * 501}, "附言不能超过500个字（现有501个）"),
    ],
)
def test_bad_input_is_explained_and_nothing_written(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,  # noqa: F811
    escalated: SupervisionOrder,  # noqa: F811
    deputy: User,  # noqa: F811
    data: dict[str, str],
    error: str,
) -> None:
    data = {key: str(deputy.pk) if value == "DEPUTY" else value for key, value in data.items()}
    response = login(world.user("leader")).post(order_url("order_hand", escalated), data)
    assert response.status_code == 200 and error in response.content.decode()
    escalated.refresh_from_db()
    assert escalated.leader == world.user("leader") and inbox(deputy) == []


def test_with_no_other_leader_the_page_says_so(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,  # noqa: F811
    escalated: SupervisionOrder,  # noqa: F811
) -> None:
    body = login(world.user("leader")).get(order_url("order_detail", escalated)).content.decode()
    assert "本园区没有其他领导可以接手" in body and "/hand/" not in body
