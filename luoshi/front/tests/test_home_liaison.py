"""The liaison's home page at front:zone_home: this week's items, open ones first, and the way to the form."""

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.conftest import World
from luoshi.front.tests.conftest import Desk

HOME = reverse("front:zone_home", args=["alpha"])


def _body(client: Client, url: str = HOME) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_liaison_sees_this_weeks_items(desk: Desk, login: Callable[[User], Client]) -> None:
    body = _body(login(desk.world.user("liaison_dev")))
    assert "本周填报" in body and reverse("reporting:fill", args=["alpha"]) in body
    assert "建设创新平台" in body and "扩大有效投资" in body and "培育高新技术企业" not in body
    assert "未填写" in body


def test_open_items_come_before_handed_in_ones(desk: Desk, login: Callable[[User], Client]) -> None:
    body = _body(login(desk.world.user("liaison")))
    section = body[body.index('data-testid="week-section"') :]
    assert 'data-count="handed-in">1<' in section and "已提交" in section


def test_without_a_period_the_unit_still_sees_its_items(
    world: World, login: Callable[[User], Client]
) -> None:
    body = _body(login(world.user("liaison")))
    assert "当前没有需要填报的事项" in body and "本单位待办事项" in body and "培育高新技术企业" in body


def test_other_zones_get_nothing(desk: Desk, login: Callable[[User], Client]) -> None:
    assert login(desk.world.user("outsider")).get(HOME).status_code == 404


def test_the_plan_cards_stay_on_their_tab(desk: Desk, login: Callable[[User], Client]) -> None:
    body = _body(login(desk.world.user("liaison")), f"{HOME}?tab=plans")
    assert "2026年重点工作" in body and "乙区计划" not in body


def test_the_liaison_page_costs_a_fixed_number_of_queries(
    desk: Desk, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(desk.world.user("liaison"))
    with django_assert_max_num_queries(10):
        assert client.get(HOME).status_code == 200
