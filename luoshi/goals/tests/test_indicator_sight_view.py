"""An indicator's line of sight (goals:indicator_sight): the points at stake on it, what moves it, and the
office's bulk linking of many measures at once."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.goals import actions
from luoshi.goals.models import IndicatorLink
from luoshi.goals.tests.conftest import National
from luoshi.plans import actions as plan_actions


def url(national: National) -> str:
    return reverse("goals:indicator_sight", args=["alpha", national.indicators["PAT"].pk])


@pytest.mark.parametrize("persona", ["leader", "viewer", "supervisor"])
def test_what_moves_it_and_what_is_at_stake(
    world: World, login: Callable[[User], Client], national: National, persona: str
) -> None:
    actions.link_indicators([world.item_b], [national.indicators["PAT"]], None)
    page = login(world.user(persona)).get(url(national)).content.decode()
    assert "本区 80，现第 2 名 100，失分 <strong>10.91</strong>" in page
    assert 'data-testid="movers"' in page and "建设创新平台" in page
    assert ('data-testid="bulk-link"' in page) == (persona == "supervisor")


def test_the_office_links_many_at_once_and_unlinks(
    world: World, login: Callable[[User], Client], national: National
) -> None:
    client = login(world.user("supervisor"))
    response = client.post(url(national), {"item": [world.item_a.pk, world.item_b.pk]})
    assert response.status_code == 302 and response["Location"] == url(national)
    assert set(IndicatorLink.objects.values_list("item_id", flat=True)) == {world.item_a.pk, world.item_b.pk}
    link = IndicatorLink.objects.get(item=world.item_a)
    response = client.post(reverse("goals:unlink_indicator", args=["alpha", link.pk]), {"back": "indicator"})
    assert response["Location"] == url(national) and IndicatorLink.objects.count() == 1


@pytest.mark.parametrize("data", [{}, {"item": ["x"]}, {"item": ["999999"]}])
def test_nothing_ticked_links_nothing(
    world: World, login: Callable[[User], Client], national: National, data: dict[str, list[str]]
) -> None:
    client = login(world.user("supervisor"))
    client.post(url(national), data)
    assert not IndicatorLink.objects.exists()
    assert "请勾选要关联的事项" in client.get(url(national)).content.decode()


def test_another_zones_items_are_not_linked(
    world: World, login: Callable[[User], Client], national: National
) -> None:
    theirs = plan_actions.add_item(world.other_plan, None, {"title": "乙区措施"}, [], None)
    login(world.user("supervisor")).post(url(national), {"item": [theirs.pk]})
    assert not IndicatorLink.objects.exists()


@pytest.mark.parametrize("persona, get, post", [
    ("leader", 200, 404), ("viewer", 200, 404), ("unithead", 404, 404), ("liaison", 404, 404), ("outsider", 404, 404),
])  # fmt: skip
def test_who_may(
    world: World, login: Callable[[User], Client], national: National, persona: str, get: int, post: int
) -> None:
    client = login(world.user(persona))
    assert client.get(url(national)).status_code == get
    assert client.post(url(national), {"item": [world.item_a.pk]}).status_code == post
    assert not IndicatorLink.objects.exists()


def test_other_methods_are_refused(world: World, login: Callable[[User], Client], national: National) -> None:
    assert login(world.user("supervisor")).put(url(national)).status_code == 405
