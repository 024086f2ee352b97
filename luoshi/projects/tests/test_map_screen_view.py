"""The battle map's totals, empty state and big screen (projects:map_screen): what is on the map in numbers
(projects, investment in 亿元, lagging), why nothing is shown when nothing is, and the same on a dark
1920×1080 page."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.tests.conftest import at, sweep_at
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.projects import geo
from luoshi.projects.actions import boundary as boundary_actions
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.geojson import zone_file


def url(world: World, name: str = "map_screen", **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"year": 2026, **params}.items())
    return reverse(f"projects:{name}", args=[world.zone.code]) + "?" + query


@pytest.mark.parametrize("persona", ["admin", "supervisor", "leader", "viewer", "unithead", "liaison"])
def test_everyone_in_the_zone_sees_the_screen_of_what_they_may_see(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    response = login(world.user(persona)).get(url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="screen big-screen"' in html and "重点项目作战图" in html and "data-clock" in html
    assert 'http-equiv="refresh"' in html


def test_another_zone_and_strangers_see_nothing(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    assert login(world.user("outsider")).get(url(world)).status_code == 404
    assert login(world.user("nobody")).get(url(world)).status_code == 404


def test_totals_count_what_is_on_the_map(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    """The factory (50,000 万元, red behind 序时进度) is placed; the hub and its phase have no coordinates until
    the phase gets some: a sub-project counts its own money only when its major project is not on the map."""
    sweep_at(world, at(2026, 12, 3, 9))
    client = login(world.user("supervisor"))
    totals = client.get(url(world)).context["totals"]
    assert totals == {"count": 1, "investment_yi": 5.0, "lagging": 1}
    ledger_actions.update_project(
        ledger.hub_phase,
        {
            "longitude": Decimal("120.41"),
            "latitude": Decimal("36.31"),
            "total_investment_wan": Decimal("8000"),
        },
        None,
    )
    response = client.get(url(world, name="map"))
    assert response.context["totals"] == {"count": 2, "investment_yi": 5.8, "lagging": 1}
    html = response.content.decode()
    assert "5.80" in html and "亿元总投资" in html and "个滞后" in html and "data-size-legend" in html


def test_a_unit_without_projects_gets_a_reason_not_a_blank_outline(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    boundary_actions.set_boundary(world.zone, "甲高新区", geo.load_geojson(zone_file()), None)
    office = world.office
    client = login(world.user("supervisor"))
    for name in ("map", "map_screen"):
        response = client.get(url(world, name=name, unit=office.pk))
        html = response.content.decode()
        assert response.context["empty"] == f"{office.name}在 2026 年没有牵头的重点项目。"
        assert 'data-testid="map-empty"' in html and 'data-project-chart="map"' not in html
        assert "0 个项目" not in html


def test_projects_without_coordinates_are_the_reason_when_none_is_placed(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("supervisor")).get(url(world, name="map", unit=world.dev.pk))
    assert response.context["empty"].startswith("这 2 个项目都没有填写经纬度")
    assert "科创中心" in response.content.decode()  # listed among the unplaced


def test_filters_that_match_nothing_say_so(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    assert (
        client.get(url(world, name="map", stage=8)).context["empty"]
        == "2026 年没有符合当前筛选条件的重点项目。"
    )
    assert client.get(url(world, name="map", year=2025)).context["empty"] == "2025 年还没有录入重点项目。"


def test_the_screen_reads_a_bounded_number_of_queries(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    boundary_actions.set_boundary(world.zone, "甲高新区", geo.load_geojson(zone_file()), None)
    park = org_actions.create_park(world.zone, "西区")
    boundary_actions.set_park_boundary(park, geo.load_geojson(zone_file()), None)
    for i in range(40):
        lon = Decimal("120.3") + Decimal(i) / 200
        values = {"name": f"项目{i}", "longitude": lon, "latitude": Decimal("36.3"), "lead_unit": world.tech}
        ledger_actions.create_project(world.zone, 2026, values, None)
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(12):
        response = client.get(url(world))
    assert response.context["totals"]["count"] == 41
