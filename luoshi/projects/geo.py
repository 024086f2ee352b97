"""The zone's outline: reading an uploaded GeoJSON (WGS84 lon/lat polygons only, since the map has no tiles to
reproject onto) and telling whether project coordinates fall inside it."""

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from luoshi.projects.models import Boundary

MAX_BYTES = 5 * 1024 * 1024
POLYGONS = ("Polygon", "MultiPolygon")
# Old-style GeoJSON may name its CRS; anything but WGS84 lon/lat would land the outline in the wrong place.
WGS84_NAMES = ("CRS84", "EPSG::4326", "EPSG:4326", "4326")


class BoundaryError(ValueError):
    """The file is not a usable outline; the message says where and what, in the user's language."""


def _reason(geometry: BaseGeometry) -> str:
    """GEOS's validity reason ("Self-intersection[120.1 36.2]") in the user's language."""
    text = shapely.is_valid_reason(geometry)
    match = re.match(r"([A-Za-z -]+)\[([-\d.eE]+) ([-\d.eE]+)\]", text)
    kind, where = (match.group(1).strip(), f"{match.group(2)}, {match.group(3)}") if match else (text, "")
    kinds = {
        "Self-intersection": _("边界自相交"),
        "Ring Self-intersection": _("环自相交"),
        "Hole lies outside shell": _("内环在外环之外"),
        "Holes are nested": _("内环相互嵌套"),
        "Interior is disconnected": _("多边形内部不连通"),
        "Nested shells": _("多边形相互嵌套"),
        "Duplicate Rings": _("存在重复的环"),
        "Too few points": _("点数不足"),
        "Invalid Coordinate": _("坐标无效"),
        "Ring is not closed": _("环未闭合"),
    }
    label = kinds.get(kind, kind)
    return _("%(what)s（位置约 %(where)s）") % {"what": label, "where": where} if where else label


def _features(data: Any) -> list[tuple[str, Mapping[str, Any]]]:
    """(where, geometry) pairs of a FeatureCollection, a Feature or a bare geometry."""
    if not isinstance(data, dict):
        raise BoundaryError(
            _("GeoJSON 顶层应为对象（FeatureCollection、Feature 或 Polygon），实际为 %(kind)s")
            % {"kind": type(data).__name__}
        )
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise BoundaryError(_("FeatureCollection 缺少 features 数组"))
        pairs = []
        for number, feature in enumerate(features, start=1):
            where = _("第 %(n)d 个要素") % {"n": number}
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            pairs.append((where, geometry or {}))
        return pairs
    if kind == "Feature":
        return [(_("要素"), data.get("geometry") or {})]
    if kind in POLYGONS or kind == "GeometryCollection":
        return [(_("几何对象"), data)]
    raise BoundaryError(
        _("不支持的 GeoJSON 类型“%(kind)s”：应为 FeatureCollection、Feature、Polygon 或 MultiPolygon")
        % {"kind": kind}
    )


def _check_crs(data: Mapping[str, Any]) -> None:
    crs = data.get("crs")
    if not isinstance(crs, dict):
        return
    name = str((crs.get("properties") or {}).get("name", ""))
    if name and not name.upper().endswith(WGS84_NAMES):
        raise BoundaryError(
            _("文件的坐标系为 %(crs)s，请先转换为 WGS84 经纬度（EPSG:4326）后再上传") % {"crs": name}
        )


def _polygon(where: str, geometry: Mapping[str, Any]) -> BaseGeometry | None:
    """The feature's polygon, or None for a point or line (labels and roads may ride along in the file)."""
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        parts = [_polygon(where, g) for g in geometry.get("geometries") or [] if isinstance(g, dict)]
        found = [p for p in parts if p is not None]
        return shapely.union_all(found) if found else None
    if kind not in POLYGONS:
        return None
    try:
        polygon = shape(geometry)
    except (
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        IndexError,
        shapely.errors.ShapelyError,
    ) as error:
        raise BoundaryError(
            _("%(where)s的坐标无法读取：%(error)s") % {"where": where, "error": error}
        ) from None
    if polygon.is_empty:
        return None
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise BoundaryError(
            _(
                "%(where)s的坐标超出经纬度范围（经度 %(lon1).6g～%(lon2).6g，纬度 %(lat1).6g～%(lat2).6g）："
                "应为 WGS84 经纬度，经度在前"
            )
            % {"where": where, "lon1": min_lon, "lon2": max_lon, "lat1": min_lat, "lat2": max_lat}
        )
    if not polygon.is_valid:
        raise BoundaryError(
            _("%(where)s的多边形无效：%(reason)s") % {"where": where, "reason": _reason(polygon)}
        )
    return polygon


def outline(data: Any) -> BaseGeometry:
    """The union of the polygons of a GeoJSON document, checked: lon/lat, valid, at least one polygon."""
    pairs = _features(data)
    _check_crs(data)
    polygons = [p for p in (_polygon(where, g) for where, g in pairs) if p is not None]
    if not polygons:
        raise BoundaryError(_("文件中没有多边形（Polygon 或 MultiPolygon）：边界必须是闭合的面"))
    return shapely.union_all(polygons)


def load_geojson(content: bytes) -> Any:
    """An uploaded file's JSON; `outline` checks what it holds."""
    if len(content) > MAX_BYTES:
        raise BoundaryError(
            _("文件大小为 %(size).1f MB，超过 5 MB 上限") % {"size": len(content) / 1024 / 1024}
        )
    try:
        return json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BoundaryError(_("文件不是 UTF-8 编码的文本，请上传 .geojson 或 .json 文件")) from None
    except json.JSONDecodeError as error:
        raise BoundaryError(
            _("不是有效的 JSON：第 %(line)d 行第 %(col)d 列，%(msg)s")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from None


def feature_collection(geometry: BaseGeometry, name: str) -> dict[str, Any]:
    """The outline as the map registers it: one named feature, whatever shape the upload had."""
    feature = {"type": "Feature", "properties": {"name": name}, "geometry": geometry.__geo_interface__}
    return {"type": "FeatureCollection", "features": [feature]}


# Prepared outlines by (boundary id, upload time): an import checks thousands of rows against one boundary.
_PREPARED: dict[tuple[int, datetime], BaseGeometry] = {}


def _prepared(boundary: Boundary) -> BaseGeometry:
    key = (boundary.pk, boundary.uploaded_at)
    geometry = _PREPARED.get(key)
    if geometry is None:
        geometry = outline(boundary.geojson)
        shapely.prepare(geometry)
        if boundary.pk is not None:
            if len(_PREPARED) >= 16:
                _PREPARED.clear()
            _PREPARED[key] = geometry
    return geometry


def inside(boundary: Boundary, lon: float, lat: float) -> bool:
    """Whether the point lies in the zone (on the outline counts as inside). Decimals from the model are fine."""
    lon, lat = float(lon), float(lat)
    if not (boundary.min_lon <= lon <= boundary.max_lon and boundary.min_lat <= lat <= boundary.max_lat):
        return False
    return bool(shapely.intersects_xy(_prepared(boundary), lon, lat))


def inside_many(boundary: Boundary, lons: Sequence[float], lats: Sequence[float]) -> np.ndarray:
    """`inside` for arrays of coordinates at once: a boolean array."""
    if not len(lons):
        return np.zeros(0, dtype=bool)
    return np.asarray(
        shapely.intersects_xy(_prepared(boundary), np.asarray(lons, float), np.asarray(lats, float)), bool
    )
