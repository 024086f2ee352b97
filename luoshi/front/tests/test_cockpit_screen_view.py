"""The cockpit's big screen (front:cockpit_screen): the cockpit's figures on a dark page for a wall display,
for those who read the whole zone."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.front.tests.conftest import Desk

SCREEN = reverse("front:cockpit_screen", args=["alpha"])


def _body(client: Client) -> str:
    response = client.get(SCREEN)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["leader", "admin", "supervisor", "viewer"])
def test_the_zone_wide_roles_see_the_screen(
    desk: Desk, login: Callable[[User], Client], persona: str
) -> None:
    body = _body(login(desk.world.user(persona)))
    assert 'class="screen big-screen"' in body and "领导驾驶舱" in body and "data-clock" in body
    assert 'http-equiv="refresh"' in body and "data-rotate" in body


def test_the_screen_shows_the_cockpits_figures(desk: Desk, login: Callable[[User], Client]) -> None:
    body = _body(login(desk.world.user("leader")))
    # The same figures as the home page (test_home_leader): 2 behind, 1 overdue, 1 red (new), 2 yellow.
    for label, figure in (("进度滞后", 2), ("逾期未完成", 1), ("红色预警", 1), ("黄色预警", 2)):
        assert f"{figure}<small>" in body and label in body
    assert "近7天新增 1 条" in body
    assert "30.0" in body and "序时进度 41.7%" in body and "1.50" in body and "计划 5.00 亿元" in body
    assert "33.3" in body and "已报 1 / 应报 3" in body  # this week's reporting rate
    assert "区发展和改革局" in body  # owes both of its items
    assert "加快高企培育进度" in body  # the escalated order, in the rotating panel
    assert reverse("front:item_list", args=["alpha"]) + "?pace=behind" in body


def test_the_home_page_links_to_the_screen(desk: Desk, login: Callable[[User], Client]) -> None:
    body = login(desk.world.user("leader")).get(reverse("front:zone_home", args=["alpha"])).content.decode()
    assert f'href="{SCREEN}"' in body


@pytest.mark.parametrize("persona", ["unithead", "liaison", "outsider", "nobody"])
def test_unit_people_and_other_zones_get_404(
    desk: Desk, login: Callable[[User], Client], persona: str
) -> None:
    assert login(desk.world.user(persona)).get(SCREEN).status_code == 404


def test_anonymous_users_are_sent_to_log_in(desk: Desk, client: Client) -> None:
    response = client.get(SCREEN)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_screen_costs_a_fixed_number_of_queries(
    desk: Desk, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(desk.world.user("leader"))
    with django_assert_max_num_queries(10):
        assert client.get(SCREEN).status_code == 200
