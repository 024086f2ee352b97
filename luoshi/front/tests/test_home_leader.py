"""The leader's cockpit (领导驾驶舱) at front:zone_home: its figures, the lists they link to, who sees it."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.models import Warning
from luoshi.front.cockpit import cockpit
from luoshi.front.tests.conftest import NOW, Desk
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.org.queries import access_for

HOME = reverse("front:zone_home", args=["alpha"])


def _body(client: Client, url: str = HOME) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_leader_sees_the_cockpit(desk: Desk, login: Callable[[User], Client]) -> None:
    body = _body(login(desk.world.user("leader")))
    assert "领导驾驶舱" in body and "督查工作台" not in body
    assert 'data-count="behind">2<' in body and 'data-count="overdue">1<' in body
    assert 'data-count="red">1<' in body and "近7天新增 1" in body and 'data-count="yellow">2<' in body
    # Escalated with no leader named: for every leader.
    assert "加快高企培育进度" in body and "批示 / 催办" in body
    assert "30.0%" in body and "序时进度 41.7%" in body and "滞后 1 个" in body  # 1.5 of 5 亿元, May
    assert "1.50" in body and "5.00" in body
    assert "已报送 1 / 3 项" in body and "缺 2 / 2 项" in body  # 区发改局 owes both of its items
    assert reverse("arena:ballot", args=["alpha", desk.session.pk]) in body
    assert "年度计划" in body  # the plan cards stay on their tab


def test_admins_and_viewers_see_the_cockpit_too(desk: Desk, login: Callable[[User], Client]) -> None:
    assert "领导驾驶舱" in _body(login(desk.world.user("admin")))
    body = _body(login(desk.world.user("viewer")))
    assert "领导驾驶舱" in body and 'data-count="behind">2<' in body
    assert reverse("arena:ballot", args=["alpha", desk.session.pk]) not in body  # not a judge
    assert "批示 / 催办" not in body  # a viewer reads the escalated order, does not act on it


def test_unit_people_do_not_get_the_cockpit(desk: Desk, login: Callable[[User], Client]) -> None:
    assert "领导驾驶舱" not in _body(login(desk.world.user("liaison")))
    assert "领导驾驶舱" not in _body(login(desk.world.user("unithead")))
    assert "领导驾驶舱" not in _body(login(desk.world.user("supervisor")))


def test_another_zone_does_not_exist(desk: Desk, login: Callable[[User], Client]) -> None:
    assert login(desk.world.user("outsider")).get(HOME).status_code == 404
    assert login(desk.world.user("nobody")).get(HOME).status_code == 404


def test_the_counts_equal_the_lists_they_link_to(desk: Desk, login: Callable[[User], Client]) -> None:
    client = login(desk.world.user("leader"))
    items = reverse("front:item_list", args=["alpha"])
    assert "共 2 项" in _body(client, f"{items}?pace=behind")
    assert "共 1 项" in _body(client, f"{items}?pace=overdue")
    assert "共 0 项" in _body(client, f"{items}?pace=on_pace")
    red = _body(client, reverse("alerts:warning_list", args=["alpha"]) + "?level=red")
    assert red.count(reverse("alerts:warning_detail", args=["alpha", desk.red.pk])) >= 1
    assert desk.yellow.item is not None and desk.yellow.item.title not in red
    assert "有未解决问题 1 个" in _body(client)
    ledger = reverse("projects:ledger", args=["alpha"])
    for query in ("year=2026&blocked=1", f"year=2026&blocker_unit={desk.world.tech.pk}"):
        listed = client.get(f"{ledger}?{query}")
        assert [row.project for row in listed.context["rows"]] == [desk.project]
    due = cockpit(access_for(desk.world.user("leader"), "alpha"), NOW.date(), NOW).waiting.decisions_due
    listed = client.get(reverse("projects:dispatch_list", args=["alpha"]))
    assert due == len(listed.context["due_soon"]) == 1 and "协调用地指标" in listed.content.decode()


def test_a_leader_in_charge_of_units_sees_them_first(desk: Desk, login: Callable[[User], Client]) -> None:
    """分管领导: LEADER memberships naming units; the cockpit puts those units first and tags them."""
    leader = desk.world.user("leader")
    org_actions.add_member(desk.world.zone, leader, Role.LEADER, desk.world.dev)
    data = cockpit(access_for(leader, "alpha"), NOW.date(), NOW)
    assert data.my_unit_ids == {desk.world.dev.pk}
    assert data.missing_units[0].name == "区发展和改革局" and data.missing_units[0].mine
    assert "分管" in _body(login(leader))


def test_an_order_escalated_to_another_leader_is_not_mine(
    desk: Desk, login: Callable[[User], Client]
) -> None:
    other = org_actions.create_person("leader2", "test-pass-123", full_name="王副区长")
    org_actions.add_member(desk.world.zone, other, Role.LEADER)
    desk.escalated.leader = other
    desk.escalated.save(update_fields=["leader"])
    assert "没有提请您督办的事项" in _body(login(desk.world.user("leader")))
    assert "加快高企培育进度" in _body(login(other))


def test_new_warnings_are_counted_by_opening_date(desk: Desk) -> None:
    Warning.objects.filter(pk=desk.yellow.pk).update(opened_at=NOW)
    data = cockpit(access_for(desk.world.user("leader"), "alpha"), NOW.date(), NOW)
    assert (data.warnings.yellow, data.warnings.yellow_new, data.warnings.red_new) == (2, 1, 1)


@pytest.mark.django_db
def test_the_cockpit_costs_a_fixed_number_of_queries(
    desk: Desk, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(desk.world.user("leader"))
    with django_assert_max_num_queries(10):
        assert client.get(HOME).status_code == 200
