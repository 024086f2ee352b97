"""Every view against every persona: who gets the page, who gets 404 (not found and not allowed look alike)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World

UrlKwargs = Callable[[World], dict[str, int]]

ZONE_WIDE = {"admin", "supervisor", "leader", "viewer"}
EDITORS = {"admin", "supervisor"}
MEMBERS = ZONE_WIDE | {"unithead", "liaison", "liaison_dev"}
TECH = {"unithead", "liaison"}
PERSONAS = sorted(MEMBERS | {"outsider", "nobody"})

# (name, method, url kwargs from the world, personas allowed, status when allowed)
CASES: list[tuple[str, str, UrlKwargs, set[str], int]] = [
    ("front:zone_home", "get", lambda w: {}, MEMBERS, 200),
    ("plans:plan_detail", "get", lambda w: {"plan_id": w.plan.pk}, MEMBERS, 200),
    ("plans:plan_detail", "get", lambda w: {"plan_id": w.other_plan.pk}, set(), 200),
    ("plans:plan_export", "get", lambda w: {"plan_id": w.plan.pk}, MEMBERS, 200),
    ("plans:plan_children", "get", lambda w: {"plan_id": w.plan.pk, "item_id": w.task.pk}, MEMBERS, 200),
    ("plans:plan_create", "get", lambda w: {}, EDITORS, 200),
    ("plans:plan_edit", "get", lambda w: {"plan_id": w.plan.pk}, EDITORS, 200),
    ("plans:plan_issue", "post", lambda w: {"plan_id": w.plan.pk}, EDITORS, 302),
    ("plans:plan_delete", "post", lambda w: {"plan_id": w.plan.pk}, EDITORS, 302),
    ("plans:item_create", "get", lambda w: {"plan_id": w.plan.pk}, EDITORS, 200),
    ("front:item_detail", "get", lambda w: {"item_id": w.item_a.pk}, ZONE_WIDE | TECH, 200),
    ("front:item_detail", "get", lambda w: {"item_id": w.item_b.pk}, MEMBERS, 200),
    ("front:item_detail", "get", lambda w: {"item_id": w.item_c.pk}, ZONE_WIDE | {"liaison_dev"}, 200),
    ("plans:item_edit", "get", lambda w: {"item_id": w.item_a.pk}, EDITORS, 200),
    ("plans:item_move", "post", lambda w: {"item_id": w.item_c.pk}, EDITORS, 302),
    ("plans:item_delete", "post", lambda w: {"item_id": w.item_c.pk}, EDITORS, 302),
    ("plans:item_status", "post", lambda w: {"item_id": w.item_a.pk}, EDITORS | TECH, 302),
    ("plans:item_status", "post", lambda w: {"item_id": w.item_c.pk}, EDITORS | {"liaison_dev"}, 302),
    ("plans:target_create", "get", lambda w: {"item_id": w.item_a.pk}, EDITORS, 200),
    (
        "plans:milestone_create",
        "post",
        lambda w: {"item_id": w.item_b.pk},
        EDITORS | TECH | {"liaison_dev"},
        302,
    ),
    ("plans:import_upload", "get", lambda w: {}, EDITORS, 200),
    ("front:unit_items", "get", lambda w: {"unit_id": w.tech.pk}, MEMBERS, 200),
    ("front:unit_list", "get", lambda w: {}, MEMBERS, 200),
    ("org:unit_create", "get", lambda w: {}, EDITORS, 200),
    ("org:unit_edit", "get", lambda w: {"unit_id": w.tech.pk}, EDITORS, 200),
    ("org:park_create", "post", lambda w: {}, EDITORS, 302),
    ("org:person_list", "get", lambda w: {}, {"admin"}, 200),
    ("org:person_create", "get", lambda w: {}, {"admin"}, 200),
    ("org:person_detail", "get", lambda w: {"user_id": w.user("liaison").pk}, {"admin"}, 200),
    ("org:person_detail", "get", lambda w: {"user_id": w.user("outsider").pk}, set(), 200),
    ("org:membership_add", "post", lambda w: {"user_id": w.user("liaison").pk}, {"admin"}, 302),
    ("org:person_password", "post", lambda w: {"user_id": w.user("liaison").pk}, {"admin"}, 302),
    ("org:person_active", "post", lambda w: {"user_id": w.user("liaison").pk}, {"admin"}, 302),
    (
        "org:membership_remove",
        "post",
        lambda w: {"membership_id": w.user("viewer").memberships.get().pk},
        {"admin"},
        302,
    ),
]


@pytest.mark.parametrize(
    "name,method,kwargs,allowed,ok_status", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_view_access(
    world: World,
    login: Callable[[User], Client],
    persona: str,
    name: str,
    method: str,
    kwargs: UrlKwargs,
    allowed: set[str],
    ok_status: int,
) -> None:
    client = login(world.user(persona))
    url = reverse(name, kwargs={"zone": "alpha", **kwargs(world)})
    data = (
        {"status": "in_progress", "title": "节点", "weight": "1", "parent": ""} if method == "post" else None
    )
    response = getattr(client, method)(url, data)
    expected = ok_status if persona in allowed else 404
    assert response.status_code == expected, f"{persona} {method} {url}"


@pytest.mark.parametrize("name,method,kwargs", [(c[0], c[1], c[2]) for c in CASES])
def test_anonymous_is_sent_to_login(
    world: World, client: Client, name: str, method: str, kwargs: UrlKwargs
) -> None:
    url = reverse(name, kwargs={"zone": "alpha", **kwargs(world)})
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsider_cannot_reach_other_zone_objects_through_own_zone(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("outsider"))
    url = reverse("front:item_detail", kwargs={"zone": "beta", "item_id": world.item_a.pk})
    assert client.get(url).status_code == 404


def test_liaison_plan_page_lists_only_own_units_items(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("liaison"))
    body = client.get(
        reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": world.plan.pk})
    ).content.decode()
    assert "培育高新技术企业" in body and "建设创新平台" in body
    assert "扩大有效投资" not in body
    assert f'data-path="{world.task.path}"' not in body  # the task row itself has no unit of theirs


def test_draft_plan_is_invisible_to_units(world: World, login: Callable[[User], Client]) -> None:
    from luoshi.plans.actions import withdraw_plan

    withdraw_plan(world.plan, None)
    client = login(world.user("liaison"))
    assert (
        client.get(
            reverse("front:item_detail", kwargs={"zone": "alpha", "item_id": world.item_a.pk})
        ).status_code
        == 404
    )
    supervisor = login(world.user("supervisor"))
    assert (
        supervisor.get(
            reverse("front:item_detail", kwargs={"zone": "alpha", "item_id": world.item_a.pk})
        ).status_code
        == 200
    )
