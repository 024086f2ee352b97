"""The supervision office's workbench (督查工作台) at front:zone_home."""

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts import triage
from luoshi.alerts.models import Warning
from luoshi.front.tests.conftest import NOW, Desk

HOME = reverse("front:zone_home", args=["alpha"])


def _body(client: Client, url: str = HOME) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_supervisor_sees_the_workbench(desk: Desk, login: Callable[[User], Client]) -> None:
    body = _body(login(desk.world.user("supervisor")))
    assert "督查工作台" in body and "领导驾驶舱" not in body
    assert 'data-count="review">1<' in body  # item_a's report: no approval step in this zone
    assert reverse("reporting:review_period", args=["alpha", desk.period.pk]) in body
    assert 'data-count="new-warnings">1<' in body  # the red one; the office took the yellow one up in May
    assert reverse("alerts:order_new", args=["alpha"]) + f"?warning={desk.red.pk}" in body
    assert 'data-count="feedback">1<' in body and 'data-count="orders-overdue">1<' in body
    assert "加快创新平台建设" in body and "加快高企培育进度" in body
    assert 'data-count="missing-units">1<' in body and "缺 2 / 2 项" in body
    assert 'data-count="problems">1<' in body and "高企认定材料需税务部门协调" in body


def test_an_explained_warning_still_waits_for_triage(desk: Desk, login: Callable[[User], Client]) -> None:
    Warning.objects.filter(pk=desk.red.pk).update(acknowledged_at=NOW)
    body = _body(login(desk.world.user("supervisor")))
    assert 'data-count="new-warnings">1<' in body and "单位已说明" in body


def test_a_triaged_warning_leaves_the_triage_list(desk: Desk, login: Callable[[User], Client]) -> None:
    triage.note_warning(desk.red, "已电话督促", desk.world.user("supervisor"), NOW)
    body = _body(login(desk.world.user("supervisor")))
    assert 'data-count="new-warnings">0<' in body and "所有预警均已研判" in body


def test_each_triage_row_can_note_or_dismiss_and_come_back(
    desk: Desk, login: Callable[[User], Client]
) -> None:
    body = _body(login(desk.world.user("supervisor")))
    assert reverse("alerts:warning_note", args=["alpha", desk.red.pk]) in body
    assert reverse("alerts:warning_dismiss", args=["alpha", desk.red.pk]) in body
    assert f'name="next" value="{HOME}#triage"' in body


def test_with_an_approval_step_the_office_waits_for_approved_reports(
    desk: Desk, login: Callable[[User], Client]
) -> None:
    desk.world.zone.reports_need_approval = True
    desk.world.zone.save(update_fields=["reports_need_approval"])
    assert 'data-count="review">0<' in _body(login(desk.world.user("supervisor")))


def test_the_counts_equal_the_lists_they_link_to(desk: Desk, login: Callable[[User], Client]) -> None:
    client = login(desk.world.user("supervisor"))
    orders = reverse("alerts:order_list", args=["alpha"])
    feedback = _body(client, f"{orders}?state=feedback")
    assert "加快创新平台建设" in feedback and "加快高企培育进度" not in feedback
    overdue = _body(client, f"{orders}?overdue=1")
    assert "加快高企培育进度" in overdue and "加快创新平台建设" not in overdue
    assert "高企认定材料需税务部门协调" in _body(client, reverse("reporting:problems", args=["alpha"]))
    triage_list = _body(client, reverse("alerts:warning_list", args=["alpha"]) + "?state=triage")
    assert f"/warnings/{desk.red.pk}/" in triage_list and f"/warnings/{desk.yellow.pk}/" not in triage_list


def test_other_zones_and_strangers_get_nothing(desk: Desk, login: Callable[[User], Client]) -> None:
    assert login(desk.world.user("outsider")).get(HOME).status_code == 404
    assert "督查工作台" not in _body(login(desk.world.user("leader")))


def test_the_workbench_costs_a_fixed_number_of_queries(
    desk: Desk, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(desk.world.user("supervisor"))
    with django_assert_max_num_queries(10):
        assert client.get(HOME).status_code == 200
