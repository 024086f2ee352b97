"""Uploading the zone outline (projects:boundary_upload) and the set_boundary action behind it."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.projects import actions, geo
from luoshi.projects.models import Boundary
from luoshi.projects.tests.geojson import collection, feature, polygon, zone_file


def url(world) -> str:
    return reverse("projects:boundary_upload", args=[world.zone.code])


def upload(content: bytes, name: str = "zone.geojson") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/geo+json")


def test_the_admin_uploads_the_outline_and_the_map_uses_it(world, login):
    client = login(world.user("admin"))
    page = client.get(url(world))
    assert page.status_code == 200 and "甲高新区边界" in page.content.decode()
    response = client.post(url(world), {"name": "甲高新区", "file": upload(zone_file())})
    assert response.status_code == 302 and response.url == reverse("projects:map", args=[world.zone.code])
    boundary = Boundary.objects.get(zone=world.zone)
    assert (boundary.min_lon, boundary.min_lat, boundary.max_lon, boundary.max_lat) == (
        120.3,
        36.2,
        120.5,
        36.4,
    )
    assert boundary.geojson["features"][0]["properties"] == {"name": "甲高新区"}
    assert boundary.history.get().history_user == world.user("admin")
    assert geo.inside(boundary, 120.4, 36.3)


@pytest.mark.parametrize("persona", ["supervisor", "leader", "viewer", "unithead", "liaison_dev", "outsider"])
def test_only_the_admin_may_upload(world, login, persona):
    client = login(world.user(persona))
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {"name": "x", "file": upload(zone_file())}).status_code == 404
    assert not Boundary.objects.exists()


def test_anonymous_users_are_sent_to_log_in(world, client):
    assert client.get(url(world)).status_code == 302


BOW_TIE = [[120.3, 36.2], [120.5, 36.4], [120.5, 36.2], [120.3, 36.4], [120.3, 36.2]]
METRES = [[13400000, 4300000], [13410000, 4300000], [13410000, 4310000], [13400000, 4300000]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<kml></kml>", "不是有效的 JSON：第 1 行第 1 列"),
        (
            json.dumps(collection(feature({"type": "Point", "coordinates": [120.4, 36.3]}))).encode(),
            "没有多边形",
        ),
        (json.dumps(collection(feature(polygon(BOW_TIE)))).encode(), "第 1 个要素的多边形无效：边界自相交"),
        (json.dumps(polygon(METRES)).encode(), "坐标超出经纬度范围"),
        (b" " * (geo.MAX_BYTES + 1), "超过 5 MB 上限"),
    ],
    ids=["not-json", "no-polygon", "invalid", "not-lonlat", "too-large"],
)
def test_bad_files_are_refused_with_the_reason_and_nothing_is_stored(world, login, content, message):
    client = login(world.user("admin"))
    response = client.post(url(world), {"name": "甲高新区", "file": upload(content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Boundary.objects.exists()


def test_a_new_upload_replaces_the_outline_and_history_keeps_the_old_one(world, login):
    first = actions.set_boundary(world.zone, "旧边界", geo.load_geojson(zone_file()), None)
    moved = [[121.3, 36.2], [121.5, 36.2], [121.5, 36.4], [121.3, 36.4], [121.3, 36.2]]
    client = login(world.user("admin"))
    client.post(url(world), {"name": "新边界", "file": upload(json.dumps(polygon(moved)).encode())})
    boundary = Boundary.objects.get(zone=world.zone)
    assert boundary.pk == first.pk and boundary.name == "新边界" and boundary.min_lon == 121.3
    assert geo.inside(boundary, 121.4, 36.3) and not geo.inside(boundary, 120.4, 36.3)
    assert [h.name for h in boundary.history.order_by("history_date")] == ["旧边界", "新边界"]
    assert boundary.uploaded_at > first.uploaded_at


def test_the_action_refuses_a_bad_outline(world):
    with pytest.raises(actions.ProjectError, match="没有多边形"):
        actions.set_boundary(world.zone, "x", collection(), None)
    assert not Boundary.objects.exists()


def test_any_polygon_document_is_stored_as_one_named_feature(world):
    boundary = actions.set_boundary(world.zone, "甲高新区", polygon(), None)
    [only] = boundary.geojson["features"]
    assert boundary.geojson["type"] == "FeatureCollection" and only["properties"] == {"name": "甲高新区"}
    assert only["geometry"]["type"] == "Polygon"
