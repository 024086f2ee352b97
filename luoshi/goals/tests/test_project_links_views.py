"""A key project's page lists the plan items it carries (goals:project_sight); the office links them there."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.goals.models import ProjectLink
from luoshi.goals.tests.conftest import National


def test_the_office_links_a_project_to_an_item(
    world: World, login: Callable[[User], Client], national: National
) -> None:
    client = login(world.user("supervisor"))
    sight = reverse("goals:project_sight", args=["alpha", national.project.pk])
    assert 'data-testid="item-choice"' in client.get(sight).content.decode()
    url = reverse("goals:project_link_items", args=["alpha", national.project.pk])
    response = client.post(url, {"item": [world.item_b.pk]})
    assert response["Location"] == reverse("projects:project_detail", args=["alpha", national.project.pk])
    link = ProjectLink.objects.get()
    assert link.item == world.item_b and "建设创新平台" in client.get(sight).content.decode()
    client.post(reverse("goals:unlink_project", args=["alpha", link.pk]), {"back": "item"})
    assert not ProjectLink.objects.exists()


@pytest.mark.parametrize("data", [{}, {"item": ["abc"]}, {"item": ["999999"]}])
def test_bad_choices_link_nothing(
    world: World, login: Callable[[User], Client], national: National, data: dict[str, list[str]]
) -> None:
    client = login(world.user("supervisor"))
    client.post(reverse("goals:project_link_items", args=["alpha", national.project.pk]), data)
    assert not ProjectLink.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "viewer", "unithead", "liaison", "outsider"])
def test_only_the_office_links(
    world: World, login: Callable[[User], Client], national: National, persona: str
) -> None:
    url = reverse("goals:project_link_items", args=["alpha", national.project.pk])
    assert login(world.user(persona)).post(url, {"item": [world.item_b.pk]}).status_code == 404
    assert not ProjectLink.objects.exists()
