from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.alerts import actions
from luoshi.alerts.models import Warning
from luoshi.alerts.tests.conftest import at, sweep_at
from luoshi.conftest import World

GOOD = {"explanation": "土地指标未落实", "rectification": "7月底前完成用地报批"}


def url(warning: Warning) -> str:
    return reverse("alerts:warning_acknowledge", args=["alpha", warning.pk])


def test_the_owner_unit_explains(world: World, login: Callable[[User], Client], red: Warning) -> None:
    response = login(world.user("liaison")).post(url(red), GOOD)
    assert response.status_code == 302 and response["Location"].endswith(f"/warnings/{red.pk}/")
    red.refresh_from_db()
    assert (red.explanation, red.rectification) == (GOOD["explanation"], GOOD["rectification"])
    assert red.acknowledged_by == world.user("liaison") and red.acknowledged_at is not None
    event = red.events.get(kind="acknowledged")
    assert event.by == world.user("liaison") and event.rectification == GOOD["rectification"]


@pytest.mark.parametrize(
    "data, error",
    [
        ({"explanation": "", "rectification": "x"}, "请说明出现预警的原因"),
        ({"explanation": "  ", "rectification": "x"}, "请说明出现预警的原因"),
        ({"explanation": "x"}, "请填写整改措施和完成时间"),
        ({"explanation": "x" * 2001, "rectification": "x"}, "2000"),
    ],
)
def test_both_fields_are_required(
    world: World, login: Callable[[User], Client], red: Warning, data: dict[str, str], error: str
) -> None:
    response = login(world.user("unithead")).post(url(red), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    red.refresh_from_db()
    assert red.acknowledged_at is None


@pytest.mark.parametrize("persona", ["liaison_dev", "viewer", "supervisor", "outsider"])
def test_no_one_else_may(world: World, login: Callable[[User], Client], red: Warning, persona: str) -> None:
    assert login(world.user(persona)).post(url(red), GOOD).status_code == 404


def test_only_by_post_and_only_while_open(
    world: World, login: Callable[[User], Client], red: Warning
) -> None:
    client = login(world.user("liaison"))
    assert client.get(url(red)).status_code == 405
    world.item_a.status = "done"
    world.item_a.save(update_fields=["status"])
    sweep_at(world, at(2026, 7, 8, 11))
    assert client.post(url(red), GOOD).status_code == 404


def test_a_warning_that_resolved_meanwhile_is_refused(world: World, red: Warning) -> None:
    Warning.objects.filter(pk=red.pk).update(resolved_at=at(2026, 7, 8, 11))
    with pytest.raises(actions.AcknowledgeRefused, match="已解除"):
        actions.acknowledge_warning(red, "a", "b", world.user("liaison"), at(2026, 7, 8, 12))
    with pytest.raises(actions.AcknowledgeRefused):
        actions.acknowledge_warning(red, " ", "b", world.user("liaison"), at(2026, 7, 8, 12))
