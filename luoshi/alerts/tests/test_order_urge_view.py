"""order_urge: the leader's 催办 from the order page."""

from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import inbox, order_url
from luoshi.alerts.tests.test_order_instruct_view import escalated, late  # noqa: F401
from luoshi.alerts.tests.test_order_step_views import EVERYONE, messages
from luoshi.conftest import World

URGED = "【领导催办】督字〔2026〕1号 加快高企培育进度"


@pytest.mark.parametrize("persona", EVERYONE)
def test_urge_per_persona(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,  # noqa: F811
    escalated: SupervisionOrder,  # noqa: F811
    persona: str,
) -> None:
    response = login(world.user(persona)).post(order_url("order_urge", escalated), {"note": ""})
    urged = escalated.events.filter(kind="urged").count()
    if persona == "leader":
        assert response.status_code == 302 and urged == 1 and inbox(world.user("liaison"))[-1] == URGED
    else:
        assert response.status_code == 404 and urged == 0


def test_a_second_urge_today_is_refused_with_a_message(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,  # noqa: F811
    escalated: SupervisionOrder,  # noqa: F811
) -> None:
    client = login(world.user("leader"))
    response = client.post(order_url("order_urge", escalated), {"note": "请周五前反馈"}, follow=True)
    assert "已催办，责任单位已收到" in messages(response)
    response = client.post(order_url("order_urge", escalated), {"note": ""}, follow=True)
    assert "今天已催办过督办单督字〔2026〕1号，请勿重复催办" in messages(response)
    assert inbox(world.user("liaison")).count(URGED) == 1


def test_a_too_long_note_is_explained_and_nothing_written(
    world: World,
    login: Callable[[User], Client],
    late: time_machine.Traveller,  # noqa: F811
    escalated: SupervisionOrder,  # noqa: F811
) -> None:
    response = login(world.user("leader")).post(order_url("order_urge", escalated), {"note": "催" * 501})
    assert response.status_code == 200 and "附言不能超过500个字（现有501个）" in response.content.decode()
    assert not escalated.events.filter(kind="urged").exists() and URGED not in inbox(world.user("liaison"))
