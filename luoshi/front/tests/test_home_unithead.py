"""The unit head's home page at front:zone_home: reports to approve, the unit's warnings, orders and rank."""

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.front.tests.conftest import Desk

HOME = reverse("front:zone_home", args=["alpha"])


def _body(client: Client, url: str = HOME) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _approval_step(desk: Desk) -> None:
    desk.world.zone.reports_need_approval = True
    desk.world.zone.save(update_fields=["reports_need_approval"])


def test_the_unit_head_sees_what_waits_for_approval(desk: Desk, login: Callable[[User], Client]) -> None:
    _approval_step(desk)
    body = _body(login(desk.world.user("unithead")))
    assert "单位工作台" in body and "领导驾驶舱" not in body
    assert 'data-count="approvals">1<' in body
    assert reverse("reporting:detail", args=["alpha", desk.report.pk]) in body
    assert "liaison" in body  # the submitter by name (the fixture's people are named after their role)
    assert 'data-count="orders">1<' in body and "加快高企培育进度" in body  # 区科技创新局's escalated order
    assert 'data-count="red">0<' in body  # the red warning is 区发改局's


def test_without_the_approval_step_nothing_waits_for_the_head(
    desk: Desk, login: Callable[[User], Client]
) -> None:
    """A submitted report goes straight to the office: the page says so instead of listing it as waiting."""
    body = _body(login(desk.world.user("unithead")))
    assert 'data-count="approvals"' not in body and "无需单位负责人审核" in body
    assert reverse("reporting:detail", args=["alpha", desk.report.pk]) not in body


def test_another_units_reports_and_warnings_are_not_shown(
    desk: Desk, login: Callable[[User], Client]
) -> None:
    body = _body(login(desk.world.user("unithead")))
    assert "加快创新平台建设" not in body and "扩大有效投资" not in body


def test_the_counts_equal_the_lists_they_link_to(desk: Desk, login: Callable[[User], Client]) -> None:
    _approval_step(desk)
    client = login(desk.world.user("unithead"))
    approvals = client.get(reverse("reporting:approvals", args=["alpha"]))
    assert 'data-count="approvals">1<' in _body(client)
    assert reverse("reporting:detail", args=["alpha", desk.report.pk]) in approvals.content.decode()
    unit = desk.world.tech.pk
    orders = _body(client, reverse("alerts:order_list", args=["alpha"]) + f"?unit={unit}&state=open")
    assert orders.count(reverse("alerts:order_detail", args=["alpha", desk.escalated.pk])) >= 1
    assert reverse("alerts:order_detail", args=["alpha", desk.answered.pk]) not in orders


def test_other_zones_get_nothing(desk: Desk, login: Callable[[User], Client]) -> None:
    assert login(desk.world.user("outsider")).get(HOME).status_code == 404


def test_the_unit_page_costs_a_fixed_number_of_queries(
    desk: Desk, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(desk.world.user("unithead"))
    with django_assert_max_num_queries(10):
        assert client.get(HOME).status_code == 200
