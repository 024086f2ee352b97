"""Outlines as public sources publish them: a DataV district file is a bare JSON array of Features, and a
self-intersecting ring is repaired with make_valid (and said so, with the area change); a ring that leaves no
area is refused. Parks (一区多园) get their own outlines through the same upload."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.models import Park
from luoshi.projects import geo
from luoshi.projects.actions import ProjectError
from luoshi.projects.actions import boundary as boundary_actions
from luoshi.projects.models import Boundary, ParkBoundary
from luoshi.projects.tests.geojson import SQUARE, collection, feature, polygon

# A DataV district file: a bare array of Features with adcode/name properties, as ECharts users download it.
DATAV: list[dict[str, Any]] = [
    feature(polygon(), adcode=370212, name="崂山区", center=[120.4, 36.3]),
    feature({"type": "Point", "coordinates": [120.4, 36.3]}, name="区政府"),
]
# A bow tie: the ring crosses itself at (120.4, 36.3); make_valid turns it into two triangles.
BOW_TIE = [[120.3, 36.2], [120.5, 36.4], [120.5, 36.2], [120.3, 36.4], [120.3, 36.2]]
# A ring folded onto a line: nothing with an area is left to repair.
FOLDED = [[120.0, 36.0], [120.25, 36.25], [120.5, 36.5], [120.0, 36.0]]
EAST = [[120.3, 36.2], [120.4, 36.2], [120.4, 36.3], [120.3, 36.3], [120.3, 36.2]]


def url(world: World) -> str:
    return reverse("projects:boundary_upload", args=[world.zone.code])


def upload(data: object) -> SimpleUploadedFile:
    return SimpleUploadedFile("zone.json", json.dumps(data).encode(), content_type="application/json")


def test_a_datav_array_of_features_is_accepted() -> None:
    checked = geo.checked_outline(DATAV)
    assert checked.repairs == []
    assert checked.geometry.equals(geo.outline(collection(feature(polygon()))))


def test_an_array_of_anything_else_is_still_refused_with_what_was_found() -> None:
    with pytest.raises(
        geo.BoundaryError, match="顶层应为对象.*或要素（Feature）数组，实际为数组（第 1 项为数字）"
    ):
        geo.checked_outline([1, 2])
    with pytest.raises(geo.BoundaryError, match="实际为数组（空数组）"):
        geo.checked_outline([])


def test_a_self_intersecting_ring_is_repaired_and_the_area_change_reported() -> None:
    checked = geo.checked_outline(collection(feature(polygon(SQUARE)), feature(polygon(BOW_TIE))))
    [repair] = checked.repairs
    assert repair.where == "第 2 个要素" and repair.reason.startswith("边界自相交（位置约 120.4, 36.3）")
    assert repair.before_km2 == 0 and repair.after_km2 > 0 and repair.change is None  # the halves cancel
    assert checked.geometry.is_valid
    text = repair.describe()
    assert "已自动修复" in text and "平方千米" in text


def test_a_repair_that_changes_a_known_area_says_by_how_much() -> None:
    # A square with a spike that folds back over it: valid as a square, invalid as drawn.
    spiked = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]]
    checked = geo.checked_outline(polygon(spiked))
    [repair] = checked.repairs
    assert repair.before_km2 > 0 and repair.change is not None
    assert f"{repair.change:+.1f}%" in repair.describe()


def test_a_ring_folded_onto_a_line_cannot_be_repaired() -> None:
    with pytest.raises(geo.BoundaryError, match="第 1 个要素的多边形无效且无法自动修复"):
        geo.checked_outline(collection(feature(polygon(FOLDED))))


def test_the_upload_stores_the_repair_and_says_so_on_the_page(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("admin"))
    response = client.post(
        url(world), {"name": "甲高新区", "file": upload(collection(feature(polygon(BOW_TIE))))}
    )
    assert response.status_code == 302
    boundary = Boundary.objects.get(zone=world.zone)
    assert len(boundary.repairs) == 1 and boundary.repairs[0]["where"] == "第 1 个要素"
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("边界自相交" in m and "已自动修复" in m for m in shown)
    page = client.get(url(world)).content.decode()
    assert "上传时已自动修复的多边形" in page and "边界自相交" in page


def test_the_upload_accepts_a_datav_file(world: World, login: Callable[[User], Client]) -> None:
    response = login(world.user("admin")).post(url(world), {"name": "崂山区", "file": upload(DATAV)})
    assert response.status_code == 302
    boundary = Boundary.objects.get(zone=world.zone)
    assert boundary.name == "崂山区" and geo.inside(boundary, 120.4, 36.3) and boundary.repairs == []


@pytest.fixture
def east(world: World) -> Park:
    return org_actions.create_park(world.zone, "东区")


def test_the_admin_uploads_a_parks_outline_and_the_map_labels_it(
    world: World, login: Callable[[User], Client], east: Park
) -> None:
    boundary_actions.set_boundary(world.zone, "甲高新区", polygon(), None)
    client = login(world.user("admin"))
    response = client.post(url(world), {"park": east.pk, "name": "", "file": upload(polygon(EAST))})
    assert response.status_code == 302
    outline = ParkBoundary.objects.get(park=east)
    assert outline.geojson["features"][0]["properties"] == {"name": "东区"}
    assert Boundary.objects.get(zone=world.zone).name == "甲高新区"  # the zone's outline is untouched
    html = client.get(reverse("projects:map", args=[world.zone.code]) + "?year=2026").content.decode()
    start = html.index('id="project-map-boundary" type="application/json">') + len(
        'id="project-map-boundary" type="application/json">'
    )
    features = json.loads(html[start : html.index("</script>", start)])["features"]
    assert [f["properties"] for f in features] == [{"name": "甲高新区"}, {"name": "东区", "kind": "park"}]
    # A second upload replaces the park's outline; its history keeps the first.
    client.post(url(world), {"park": east.pk, "file": upload(polygon())})
    assert ParkBoundary.objects.get(park=east).history.count() == 2


def test_a_zone_outline_needs_a_name_and_bad_park_files_write_nothing(
    world: World, login: Callable[[User], Client], east: Park
) -> None:
    client = login(world.user("admin"))
    response = client.post(url(world), {"name": " ", "file": upload(polygon())})
    assert response.status_code == 200 and "请填写总边界的名称" in response.content.decode()
    response = client.post(url(world), {"park": east.pk, "file": upload(polygon(FOLDED))})
    assert response.status_code == 200 and "无法自动修复" in response.content.decode()
    other_park = org_actions.create_park(world.other_zone, "外区")
    response = client.post(url(world), {"park": other_park.pk, "file": upload(polygon())})
    assert response.status_code == 200 and "park" in response.context["form"].errors
    assert not Boundary.objects.exists() and not ParkBoundary.objects.exists()


@pytest.mark.parametrize("persona", ["supervisor", "leader", "viewer", "unithead", "liaison", "outsider"])
def test_only_the_admin_uploads_park_outlines(
    world: World, login: Callable[[User], Client], east: Park, persona: str
) -> None:
    response = login(world.user(persona)).post(url(world), {"park": east.pk, "file": upload(polygon())})
    assert response.status_code == 404
    assert not ParkBoundary.objects.exists()


def test_the_action_refuses_what_cannot_be_repaired(world: World, east: Park) -> None:
    with pytest.raises(ProjectError, match="无法自动修复"):
        boundary_actions.set_park_boundary(east, polygon(FOLDED), None)
    assert not ParkBoundary.objects.exists()
