"""The line of sight on an item's page (goals:item_sight) and the office's links made there."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.assessment import actions as assessment
from luoshi.conftest import World
from luoshi.goals import actions
from luoshi.goals.models import IndicatorLink
from luoshi.goals.tests.conftest import National


def sight_url(world: World) -> str:
    return reverse("goals:item_sight", args=["alpha", world.item_b.pk])


def link_url(world: World) -> str:
    return reverse("goals:item_link_indicators", args=["alpha", world.item_b.pk])


def test_the_office_links_and_unlinks(
    world: World, login: Callable[[User], Client], national: National
) -> None:
    client = login(world.user("supervisor"))
    assert 'data-testid="indicator-choice"' in client.get(sight_url(world)).content.decode()
    response = client.post(link_url(world), {"indicator": [national.indicators["PAT"].pk]})
    assert response["Location"] == reverse("front:item_detail", args=["alpha", world.item_b.pk])
    link = IndicatorLink.objects.get(item=world.item_b)
    assert "每万人发明专利授权数" in client.get(sight_url(world)).content.decode()
    client.post(reverse("goals:unlink_indicator", args=["alpha", link.pk]))
    assert not IndicatorLink.objects.exists()


@pytest.mark.parametrize("data", [{}, {"indicator": ["x"]}, {"indicator": ["999999"]}])
def test_nothing_chosen_links_nothing(
    world: World, login: Callable[[User], Client], national: National, data: dict[str, list[str]]
) -> None:
    client = login(world.user("supervisor"))
    client.post(link_url(world), data)
    assert not IndicatorLink.objects.exists()
    assert (
        "请选择要关联的指标"
        in client.get(reverse("front:item_detail", args=["alpha", world.item_b.pk])).content.decode()
    )


def test_another_zones_indicator_is_not_linked(
    world: World, login: Callable[[User], Client], national: National
) -> None:
    theirs = assessment.save_indicator(world.other_zone, {"code": "RD", "name": "乙区指标"}, None)
    login(world.user("supervisor")).post(link_url(world), {"indicator": [theirs.pk]})
    assert not IndicatorLink.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "viewer", "unithead", "liaison", "liaison_dev"])
def test_only_the_office_links(
    world: World, login: Callable[[User], Client], national: National, persona: str
) -> None:
    actions.link_indicators([world.item_b], [national.indicators["RD"]], None)
    client = login(world.user(persona))
    assert client.post(link_url(world), {"indicator": [national.indicators["PAT"].pk]}).status_code == 404
    link = IndicatorLink.objects.get()
    assert client.post(reverse("goals:unlink_indicator", args=["alpha", link.pk])).status_code == 404
    assert IndicatorLink.objects.count() == 1


@pytest.mark.parametrize(
    "persona, status", [("leader", 200), ("liaison_dev", 200), ("liaison", 200), ("outsider", 404)]
)
def test_who_reads_the_fragment(
    world: World, login: Callable[[User], Client], national: National, persona: str, status: int
) -> None:
    response = login(world.user(persona)).get(sight_url(world))
    assert response.status_code == status  # item_b is led by 区发改局 with 区科技局 co-operating
    if status == 200:
        assert 'data-testid="indicator-choice"' not in response.content.decode()
