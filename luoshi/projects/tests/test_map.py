"""The battle map (projects:map): who sees which points, the compact chart data, filters, the outline."""

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.tests.conftest import at, sweep_at
from luoshi.conftest import World
from luoshi.projects import geo
from luoshi.projects.actions import boundary as boundary_actions
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.choices import Stage
from luoshi.projects.models import Boundary
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.geojson import jagged, zone_file

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

# [lon, lat, id, stage, lag, total, completion %, unit, name, owner]
LON, LAT, ID, STAGE, LAG, TOTAL, COMPLETION, UNIT, NAME, OWNER = range(10)


def url(world: World, **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"year": 2026, **params}.items())
    return reverse("projects:map", args=[world.zone.code]) + "?" + query


def chart(response: "Response") -> dict[str, Any]:
    """The chart's data as the page's script reads it, from the json_script element."""
    html = response.content.decode()
    start = html.index('id="project-map-data" type="application/json">') + len(
        'id="project-map-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def names(response: "Response") -> set[str]:
    return {p[NAME] for p in chart(response)["points"]}


def unplaced(response: "Response") -> set[str]:
    return {p["name"] for p in response.context["unplaced"]}


def test_the_office_sees_every_project_as_compact_arrays(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("supervisor")).get(url(world))
    assert response.status_code == 200
    data = chart(response)
    [point] = data["points"]
    assert point == [
        120.4,
        36.3,
        ledger.factory.pk,
        Stage.STARTED,
        0,
        50000.0,
        16.7,
        0,
        "智能装备产业园",
        "青岛智造科技有限公司",
    ]
    assert data["units"] == ["区科技创新局"]
    assert data["stages"][0] == "谋划" and len(data["stages"]) == 8
    assert data["detail"] == reverse("projects:project_detail", args=[world.zone.code, 0])
    # Projects without coordinates are listed below the map, linked to their pages.
    assert unplaced(response) == {"科创中心", "科创中心一期"}
    html = response.content.decode()
    assert "未标注位置的项目" in html
    assert reverse("projects:project_detail", args=[world.zone.code, ledger.hub.pk]) in html
    assert "乙区项目" not in html


@pytest.mark.parametrize(
    ("persona", "on_map", "below"),
    [
        ("liaison", {"智能装备产业园"}, set()),  # the tech bureau's own project
        ("unithead", {"智能装备产业园"}, set()),
        (
            "liaison_dev",
            {"智能装备产业园"},
            {"科创中心", "科创中心一期"},
        ),  # its own, and the blocker asked of it
        ("viewer", {"智能装备产业园"}, {"科创中心", "科创中心一期"}),  # read-only, zone-wide
    ],
)
def test_units_see_their_projects_and_read_only_users_see_all(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    persona: str,
    on_map: set[str],
    below: set[str],
) -> None:
    response = login(world.user(persona)).get(url(world))
    assert names(response) == on_map and unplaced(response) == below


def test_outsiders_and_strangers_get_not_found(
    world: World, ledger: Ledger, login: Callable[[User], Client], client: Client
) -> None:
    assert login(world.user("outsider")).get(url(world)).status_code == 404
    assert login(world.user("nobody")).get(url(world)).status_code == 404
    client.logout()
    assert client.get(url(world)).status_code == 302


def test_without_an_outline_the_page_says_so_and_only_the_admin_gets_the_link(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    upload = reverse("projects:boundary_upload", args=[world.zone.code])
    admin_page = login(world.user("admin")).get(url(world)).content.decode()
    assert "尚未上传园区边界" in admin_page and upload in admin_page
    viewer_page = login(world.user("viewer")).get(url(world)).content.decode()
    assert "请联系管理员上传园区边界" in viewer_page and upload not in viewer_page
    assert "project-map-boundary" not in viewer_page


def test_with_an_outline_the_page_carries_it_and_flags_points_outside(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    boundary_actions.set_boundary(world.zone, "甲高新区", geo.load_geojson(zone_file()), None)
    coordinates = {"longitude": Decimal("121.2"), "latitude": Decimal("36.3")}
    ledger_actions.update_project(ledger.hub, coordinates, None)
    response = login(world.user("viewer")).get(url(world))
    html = response.content.decode()
    assert 'id="project-map-boundary"' in html and "尚未上传园区边界" not in html
    assert names(response) == {"智能装备产业园", "科创中心"}
    assert response.context["outside"] == [{"id": ledger.hub.pk, "name": "科创中心"}]
    assert "位于园区边界外的项目" in html


def test_the_map_serves_the_stored_outline_as_it_is(
    world: World, ledger: Ledger, login: Callable[[User], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue defect 8: the outline is checked and simplified once, at upload; the map never redoes it."""
    boundary_actions.set_boundary(world.zone, "甲高新区", jagged(30_000), None)
    stored = Boundary.objects.get(zone=world.zone).geojson

    def redone(*args: object) -> None:
        raise AssertionError("the map view must not re-read or re-simplify the outline")

    monkeypatch.setattr(geo, "outline", redone)
    monkeypatch.setattr(geo, "fit", redone)
    html = login(world.user("viewer")).get(url(world)).content.decode()
    start = html.index('id="project-map-boundary" type="application/json">') + len(
        'id="project-map-boundary" type="application/json">'
    )
    assert json.loads(html[start : html.index("</script>", start)]) == stored


def test_lag_is_the_worst_open_warning_and_the_lagging_filter_keeps_yellow_and_red(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    sweep_at(world, at(2026, 12, 3, 9))  # the factory's investment is red behind 序时进度
    ledger_actions.update_project(
        ledger.hub_phase, {"longitude": Decimal("120.41"), "latitude": Decimal("36.31")}, None
    )
    client = login(world.user("supervisor"))
    points = {p[NAME]: p for p in chart(client.get(url(world)))["points"]}
    assert points["智能装备产业园"][LAG] == 3 and points["科创中心一期"][LAG] == 0
    assert names(client.get(url(world, lagging=1))) == {"智能装备产业园"}


def test_filters_by_stage_category_unit_and_year(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    ledger_actions.update_project(
        ledger.hub_phase, {"longitude": Decimal("120.41"), "latitude": Decimal("36.31")}, None
    )
    client = login(world.user("supervisor"))
    assert names(client.get(url(world, stage=int(Stage.STARTED)))) == {"智能装备产业园"}
    assert names(client.get(url(world, stage=int(Stage.PLANNING)))) == {"科创中心一期"}
    assert names(client.get(url(world, category="industrial"))) == {"智能装备产业园", "科创中心一期"}
    assert names(client.get(url(world, unit=world.dev.pk))) == {"科创中心一期"}
    assert names(client.get(url(world, year=2025))) == set()
    # Nonsense and other zones' ids are ignored rather than failing.
    assert len(names(client.get(url(world, stage="x", unit=999999, category="nope")))) == 2


def test_money_in_yi_changes_the_tooltip_unit(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    data = chart(login(world.user("supervisor")).get(url(world, money="yi")))
    assert data["yi"] is True and data["labels"]["money"] == "亿元"


def test_the_year_defaults_to_the_current_one(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    for today in (date(2026, 6, 1), date(2027, 6, 1)):  # in 2027 there is no ledger yet: the latest year
        with time_machine.travel(today):
            client = login(world.user("supervisor"))
            assert names(client.get(reverse("projects:map", args=[world.zone.code]))) == {"智能装备产业园"}


def test_htmx_gets_the_results_fragment(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("supervisor")).get(url(world), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">') and "project-map-data" in html
    assert "<form" not in html


def test_the_number_of_queries_does_not_grow_with_the_projects(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    boundary_actions.set_boundary(world.zone, "甲高新区", geo.load_geojson(zone_file()), None)
    for i in range(60):
        lon, lat = Decimal("120.3") + Decimal(i) / 200, Decimal("36.3")
        ledger_actions.create_project(
            world.zone,
            2026,
            {"name": f"项目{i}", "longitude": lon, "latitude": lat, "lead_unit": world.tech},
            None,
        )
    sweep_at(world, at(2026, 12, 3, 9))
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(12):
        response = client.get(url(world, lagging=0, unit=world.tech.pk))
    assert len(chart(response)["points"]) == 61


def test_names_cannot_break_out_of_the_chart_data(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    fields = {
        "name": "</script><script>alert(1)</script>",
        "longitude": Decimal("120.4"),
        "latitude": Decimal("36.3"),
    }
    ledger_actions.create_project(world.zone, 2026, fields, None)
    response = login(world.user("supervisor")).get(url(world))
    assert "<script>alert(1)" not in response.content.decode()
    assert "</script><script>alert(1)</script>" in names(response)
