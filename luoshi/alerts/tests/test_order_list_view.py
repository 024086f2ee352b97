from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, new_order
from luoshi.conftest import World


@pytest.fixture
def two(world: World) -> tuple[SupervisionOrder, SupervisionOrder]:
    """区科技创新局's 督字〔2026〕1号 (due 15 July) and 区发展和改革局's 2号 (due 31 July, signed)."""
    tech = new_order(world)
    dev = new_order(
        world, unit=world.dev, subject="推进重大项目开工", item=world.item_c, deadline=date(2026, 7, 31)
    )
    orders.sign_order(dev, world.user("liaison_dev"), at(2026, 7, 1, 11))
    return tech, dev


def url(**query: object) -> str:
    base = reverse("alerts:order_list", args=["alpha"])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("admin", {"tech", "dev"}),
        ("supervisor", {"tech", "dev"}),
        ("leader", {"tech", "dev"}),
        ("viewer", {"tech", "dev"}),
        ("unithead", {"tech"}),
        ("liaison", {"tech"}),
        ("liaison_dev", {"dev"}),
    ],
)
def test_each_role_sees_its_orders(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    two: tuple[SupervisionOrder, SupervisionOrder],
    persona: str,
    sees: set[str],
) -> None:
    body = login(world.user(persona)).get(url()).content.decode()
    shown = {name for name, o in zip(("tech", "dev"), two, strict=True) if f"/z/alpha/orders/{o.pk}/" in body}
    assert shown == sees
    assert ("新建督办单" in body) is (persona in ("admin", "supervisor"))


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_outsiders_find_nothing(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    two: tuple[SupervisionOrder, SupervisionOrder],
    persona: str,
) -> None:
    assert login(world.user(persona)).get(url()).status_code == 404


def test_anonymous_is_sent_to_log_in(client: Client, world: World) -> None:
    assert client.get(url()).status_code == 302


def test_filters(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    two: tuple[SupervisionOrder, SupervisionOrder],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("supervisor"))
    for _ in range(10):
        new_order(world)
    with django_assert_max_num_queries(8):
        assert len(client.get(url()).context["page"]) == 12
    assert [o.number for o in client.get(url(state="signed")).context["page"]] == [2]
    assert len(client.get(url(state="open")).context["page"]) == 12
    assert len(client.get(url(state="closed")).context["page"]) == 0
    assert [o.number for o in client.get(url(unit=world.dev.pk)).context["page"]] == [2]
    assert len(client.get(url(state="bogus", unit="x")).context["page"]) == 12
    assert len(client.get(url(overdue=1)).context["page"]) == 0
    clock.move_to(at(2026, 7, 16, 9))
    client = login(world.user("supervisor"))  # a fortnight on: the earlier session has timed out
    overdue = client.get(url(overdue=1))
    assert 2 not in [o.number for o in overdue.context["page"]] and len(overdue.context["page"]) == 11
    assert "逾期" in overdue.content.decode()


def test_htmx_gets_the_results_fragment(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    two: tuple[SupervisionOrder, SupervisionOrder],
) -> None:
    response = login(world.user("supervisor")).get(url(state="issued"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.strip().startswith('<div id="results">') and "<html" not in body


def test_the_nav_links_to_orders(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller
) -> None:
    body = login(world.user("liaison")).get(reverse("alerts:warning_list", args=["alpha"])).content.decode()
    assert f'href="{url()}"' in body and "督办" in body
