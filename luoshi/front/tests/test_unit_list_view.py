"""The units page (front:unit_list): units ranked worst first, sortable, each figure linking to its list."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.conftest import World
from luoshi.front.tests.conftest import Desk
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.plans import actions as plan_actions

URL = reverse("front:unit_list", args=["alpha"])


def _order(body: str) -> list[str]:
    """The unit names in the table's order."""
    table = body[body.index('data-testid="unit-ranking"') :]
    return re.findall(
        r'<tr data-unit="\d+"[^>]*>\s*<td[^>]*>\d+</td>\s*<td><a href="[^"]+">([^<]+)</a>', table
    )


@pytest.mark.parametrize("persona", ["admin", "supervisor", "leader", "viewer", "unithead", "liaison"])
def test_every_member_sees_the_ranking(desk: Desk, login: Callable[[User], Client], persona: str) -> None:
    response = login(desk.world.user(persona)).get(URL)
    assert response.status_code == 200
    assert _order(response.content.decode()) == ["区发展和改革局", "区科技创新局", "督查室"]


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_others_get_404(world: World, login: Callable[[User], Client], persona: str) -> None:
    assert login(world.user(persona)).get(URL).status_code == 404


def test_the_auditor_is_kept_out(world: World, login: Callable[[User], Client]) -> None:
    auditor = org_actions.create_person("auditor", "Audit-Pass#77", full_name="审计员")
    org_actions.add_member(world.zone, auditor, Role.AUDITOR)
    assert login(auditor).get(URL).status_code in (403, 404)


def test_anonymous_is_sent_to_login(client: Client, world: World) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_figures_link_to_their_lists_for_the_office(desk: Desk, login: Callable[[User], Client]) -> None:
    world = desk.world
    body = login(world.user("supervisor")).get(URL).content.decode()
    dev, tech = world.dev.pk, world.tech.pk
    assert f"/z/alpha/warnings/?unit={dev}&level=red" in body
    assert f"/z/alpha/items/?unit={tech}&pace=overdue" in body
    assert f"/z/alpha/items/?unit={dev}&pace=behind" in body
    assert f"/z/alpha/items/?unit={tech}&pace=behind" in body
    assert "100%" in body and "50%" in body and "1/2" in body  # 区发改局 all behind, 区科技局 one of two
    assert "区发改局" in body  # aliases still shown


def test_the_counts_match_the_lists_they_link_to(desk: Desk, login: Callable[[User], Client]) -> None:
    world = desk.world
    client = login(world.user("supervisor"))
    overdue = client.get(
        reverse("front:item_list", args=["alpha"]), {"unit": str(world.tech.pk), "pace": "overdue"}
    )
    assert overdue.context["count"] == 1
    behind = client.get(
        reverse("front:item_list", args=["alpha"]), {"unit": str(world.dev.pk), "pace": "behind"}
    )
    assert behind.context["count"] == 2
    red = client.get(
        reverse("alerts:warning_list", args=["alpha"]), {"unit": str(world.dev.pk), "level": "red"}
    )
    assert red.context["page"].paginator.count == 1


def test_a_unit_head_has_links_for_their_own_unit_only(desk: Desk, login: Callable[[User], Client]) -> None:
    world = desk.world
    body = login(world.user("unithead")).get(URL).content.decode()
    assert f"?unit={world.tech.pk}&pace=overdue" in body
    assert f"?unit={world.dev.pk}&level=red" not in body  # the figure is shown, not linked
    assert f"?unit={world.dev.pk}&pace=behind" not in body
    assert 'class="mine"' in body and "本单位" in body


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("red", ["区发展和改革局", "区科技创新局", "督查室"]),
        ("overdue", ["区科技创新局", "区发展和改革局", "督查室"]),
        ("behind", ["区发展和改革局", "区科技创新局", "督查室"]),
        ("rate", ["区发展和改革局", "区科技创新局", "督查室"]),
        ("nonsense", ["区发展和改革局", "区科技创新局", "督查室"]),
    ],
)
def test_sortable(desk: Desk, login: Callable[[User], Client], sort: str, order: list[str]) -> None:
    response = login(desk.world.user("leader")).get(URL, {"sort": sort})
    assert response.status_code == 200
    assert _order(response.content.decode()) == order


def test_queries_do_not_grow_with_units(
    desk: Desk, login: Callable[[User], Client], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    world = desk.world
    client = login(world.user("supervisor"))
    client.get(URL)  # session and zone caches warm

    def count() -> int:
        with django_assert_num_queries(12) as captured:
            client.get(URL)
        return len(captured.captured_queries)

    before = count()
    for n in range(12):
        unit = org_actions.create_unit(world.zone, f"测试单位{n}")
        plan_actions.add_item(
            world.plan, world.task, {"title": f"事项{n}", "lead_unit": unit}, [world.dev], None
        )
    assert count() == before
