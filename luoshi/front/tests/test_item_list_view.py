"""front:item_list, the items behind the cockpit's counts: its filters, who sees what, bad input."""

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.front.tests.conftest import Desk
from luoshi.plans import actions as plan_actions

ITEMS = reverse("front:item_list", args=["alpha"])


def _body(client: Client, query: str = "") -> str:
    response = client.get(f"{ITEMS}{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_items_by_pace(desk: Desk, login: Callable[[User], Client]) -> None:
    client = login(desk.world.user("leader"))
    behind = _body(client, "?pace=behind")
    assert "建设创新平台" in behind and "扩大有效投资" in behind and "培育高新技术企业" not in behind
    assert "培育高新技术企业" in _body(client, "?pace=overdue")
    assert "共 3 项" in _body(client)
    assert "科技创新" not in _body(client, "?pace=on_pace").split("<tbody>")[1]  # the task is not a leaf


def test_done_items_are_done_not_overdue(desk: Desk, login: Callable[[User], Client]) -> None:
    plan_actions.set_item_status(desk.world.item_a, "done", None)
    client = login(desk.world.user("leader"))
    assert "培育高新技术企业" in _body(client, "?pace=done")
    assert "共 0 项" in _body(client, "?pace=overdue")


def test_filtered_by_plan_and_unit(desk: Desk, login: Callable[[User], Client]) -> None:
    client = login(desk.world.user("leader"))
    body = _body(client, f"?pace=behind&unit={desk.world.tech.pk}")
    assert "建设创新平台" in body and "扩大有效投资" not in body  # tech co-operates on item_b
    assert "共 2 项" in _body(client, f"?pace=behind&plan={desk.world.plan.pk}")


def test_a_unit_sees_its_own_items_only(desk: Desk, login: Callable[[User], Client]) -> None:
    body = _body(login(desk.world.user("liaison_dev")))
    assert "扩大有效投资" in body and "培育高新技术企业" not in body


def test_bad_or_foreign_filters_are_ignored(desk: Desk, login: Callable[[User], Client]) -> None:
    client = login(desk.world.user("leader"))
    assert "共 3 项" in _body(client, "?pace=nonsense&plan=abc&unit=-1")
    assert "共 3 项" in _body(client, f"?plan={desk.world.other_plan.pk}")  # another zone's plan: no filter


def test_other_zones_get_nothing(desk: Desk, login: Callable[[User], Client]) -> None:
    assert login(desk.world.user("outsider")).get(ITEMS).status_code == 404
    assert login(desk.world.user("nobody")).get(ITEMS).status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(
    desk: Desk, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(desk.world.user("leader"))
    with django_assert_max_num_queries(8):
        assert client.get(f"{ITEMS}?pace=behind&plan={desk.world.plan.pk}").status_code == 200
