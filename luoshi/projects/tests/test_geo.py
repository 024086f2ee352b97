"""projects.geo: reading an uploaded outline and telling whether coordinates fall inside it."""

import json
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from luoshi.projects import geo
from luoshi.projects.models import Boundary
from luoshi.projects.tests.geojson import SQUARE, collection, feature, polygon, zone_file


def boundary_of(data: dict[str, Any]) -> Boundary:
    """A boundary as set_boundary stores it: the checked outline as one named feature."""
    outline = geo.outline(data)
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    return Boundary(
        name="b",
        geojson=geo.feature_collection(outline, "b"),
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
    )


def test_the_stored_outline_keeps_only_the_polygons_under_the_given_name() -> None:
    data = geo.feature_collection(geo.outline(geo.load_geojson(zone_file())), "甲高新区边界")
    assert data["type"] == "FeatureCollection"
    [only] = data["features"]
    assert only["properties"] == {"name": "甲高新区边界"}
    assert only["geometry"]["type"] == "Polygon"


@pytest.mark.parametrize(
    "document",
    [
        polygon(),
        feature(polygon()),
        collection(feature(polygon())),
        {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
    ],
)
def test_every_kind_of_document_gives_the_outline(document: dict[str, Any]) -> None:
    assert geo.outline(document).bounds == (120.3, 36.2, 120.5, 36.4)


def test_inside_outside_and_on_the_outline() -> None:
    square = boundary_of(polygon())
    assert geo.inside(square, 120.4, 36.3)
    assert geo.inside(square, 120.3, 36.3)  # on the edge counts
    assert not geo.inside(square, 120.6, 36.3)
    assert not geo.inside(square, 36.3, 120.4)  # swapped
    assert geo.inside(square, Decimal("120.400000"), Decimal("36.300000"))  # as the model stores them


def test_inside_a_concave_outline_is_more_than_its_box() -> None:
    # An L shape: the box's top-right corner is not in the zone.
    ell = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]
    zone = boundary_of(polygon(ell))
    assert geo.inside(zone, 0.5, 1.5) and not geo.inside(zone, 1.5, 1.5)


def test_inside_many_matches_inside() -> None:
    zone = boundary_of(
        collection(feature(polygon()), feature(polygon([[121, 37], [121.1, 37], [121.1, 37.1], [121, 37]])))
    )
    lons, lats = [120.4, 120.6, 121.08, 121.01], [36.3, 36.3, 37.01, 37.09]
    flags = geo.inside_many(zone, lons, lats)
    assert flags.tolist() == [True, False, True, False]
    assert flags.tolist() == [geo.inside(zone, x, y) for x, y in zip(lons, lats, strict=True)]
    assert geo.inside_many(zone, [], []).dtype == np.bool_


def refusal(content: object) -> str:
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    with pytest.raises(geo.BoundaryError) as caught:
        geo.outline(geo.load_geojson(raw))
    return str(caught.value)


def test_refusals_say_what_and_where() -> None:
    assert "不是有效的 JSON：第 1 行第 2 列" in refusal(b"{oops")
    assert "不是 UTF-8" in refusal("边界".encode("gbk"))
    assert "超过 5 MB" in refusal(b" " * (geo.MAX_BYTES + 1))
    assert "没有多边形" in refusal(collection(feature({"type": "Point", "coordinates": [120, 36]})))
    assert "不支持的 GeoJSON 类型“LineString”" in refusal(
        {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    )
    assert "顶层应为对象" in refusal([1, 2])
    folded = [[0, 0], [1, 1], [2, 2], [0, 0]]
    message = refusal(collection(feature(polygon()), feature(polygon(folded))))
    assert message.startswith("第 2 个要素的多边形无效且无法自动修复：边界自相交（位置约 1, 1）")
    metres = [[13400000, 4300000], [13410000, 4300000], [13410000, 4310000], [13400000, 4300000]]
    assert "第 1 个要素的坐标超出经纬度范围" in refusal(collection(feature(polygon(metres))))
    assert "坐标无法读取" in refusal(feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]}))
    crs = {**collection(feature(polygon())), "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}
    assert "坐标系为 EPSG:3857" in refusal(crs)


def test_wgs84_crs_names_are_accepted() -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert geo.outline({**collection(feature(polygon())), "crs": crs}).area > 0
