"""A unit's page says which goals and indicators its lagging items and projects put at risk (goals:unit_sight)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.alerts.models import Warning
from luoshi.conftest import World
from luoshi.goals import actions
from luoshi.goals.tests.conftest import NOW, National


@pytest.fixture
def lagging(world: World, national: National) -> National:
    actions.link_indicators([world.item_b, world.item_a], [national.indicators["PAT"]], None)
    Warning.objects.create(
        zone=world.zone, rule="BEHIND", item=world.item_b, unit=world.dev, level="yellow", reason="滞后",
        opened_at=NOW, updated_at=NOW,
    )  # fmt: skip
    return national


def url(unit_id: int) -> str:
    return reverse("goals:unit_sight", args=["alpha", unit_id])


@pytest.mark.parametrize("persona", ["leader", "liaison_dev", "liaison"])
def test_the_units_lagging_items_and_what_they_risk(
    world: World, login: Callable[[User], Client], lagging: National, persona: str
) -> None:
    page = login(world.user(persona)).get(url(world.dev.pk)).content.decode()
    assert "每万人发明专利授权数" in page and "建设创新平台" in page and 'data-health="behind"' in page
    assert "培育高新技术企业" not in page  # 区科技创新局's, and not lagging


def test_nothing_at_risk_shows_nothing(
    world: World, login: Callable[[User], Client], lagging: National
) -> None:
    response = login(world.user("leader")).get(url(world.tech.pk))
    assert response.status_code == 200 and 'data-testid="unit-sight"' not in response.content.decode()


def test_other_zones_get_nothing(world: World, login: Callable[[User], Client], lagging: National) -> None:
    assert login(world.user("outsider")).get(url(world.dev.pk)).status_code == 404
