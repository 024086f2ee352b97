from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"zone": "alpha", **kwargs})


def test_zone_home_shows_my_items_to_units(world: World, login: Callable[[User], Client]) -> None:
    body = login(world.user("liaison")).get(_url("front:zone_home")).content.decode()
    assert "本单位待办事项" in body and "培育高新技术企业" in body and "扩大有效投资" not in body


def test_unit_list_counts_items(world: World, login: Callable[[User], Client]) -> None:
    body = login(world.user("viewer")).get(_url("front:unit_list")).content.decode()
    assert "区科技创新局" in body and "区发改局" in body  # aliases are shown


def test_home_sends_a_one_zone_person_to_the_zone_and_the_auditor_to_the_audit_trail(
    world: World, login: Callable[[User], Client]
) -> None:
    assert login(world.user("liaison")).get(reverse("home"))["Location"] == _url("front:zone_home")
    auditor = org_actions.create_person("auditor", "Audit-Pass#77", full_name="审计员")
    org_actions.add_member(world.zone, auditor, Role.AUDITOR)
    assert login(auditor).get(reverse("home"))["Location"] == _url("security:audit_list")


def test_unit_page_lists_the_units_items(world: World, login: Callable[[User], Client]) -> None:
    body = login(world.user("viewer")).get(_url("front:unit_items", unit_id=world.tech.pk)).content.decode()
    assert "培育高新技术企业" in body
