"""The zone's outline: reading an uploaded GeoJSON (WGS84 lon/lat polygons only, since the map has no tiles to
reproject onto) and telling whether project coordinates fall inside it."""

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from luoshi.projects.models import Boundary

MAX_BYTES = 5 * 1024 * 1024
MAX_FEATURES = 50_000  # features (or geometries of a collection) in a file: beyond, refused
MAX_PIECES = 2_000  # separate polygons of the merged outline
MAX_VERTICES = 20_000  # of the stored outline: beyond, simplified at upload
SIMPLIFY_STEPS = 25  # tolerance doublings: from 1e-7 of the zone's extent to all of it
MAX_DEPTH = 32  # nesting of arrays and objects; a MultiPolygon in a FeatureCollection needs 8
STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
OPENING = np.frombuffer(b"[{", dtype=np.uint8)
CLOSING = np.frombuffer(b"]}", dtype=np.uint8)
POLYGONS = ("Polygon", "MultiPolygon")
# Old-style GeoJSON may name its CRS; anything but lon/lat degrees would land the outline in the wrong place.
# CGCS2000 (EPSG:4490), which Chinese GIS desks export, is within a metre of WGS84.
LONLAT_NAMES = frozenset(
    {
        "urn:ogc:def:crs:ogc:1.3:crs84",
        "urn:ogc:def:crs:ogc::crs84",
        "urn:ogc:def:crs:epsg::4326",
        "urn:ogc:def:crs:epsg::4490",
        "http://www.opengis.net/def/crs/ogc/1.3/crs84",
        "http://www.opengis.net/def/crs/epsg/0/4326",
        "ogc:crs84",
        "crs84",
        "epsg:4326",
        "epsg:4490",
    }
)


class BoundaryError(ValueError):
    """The file is not a usable outline; the message says where and what, in the user's language."""


KM_PER_DEGREE = 111.32  # along a meridian, and along the equator


def km2(geometry: BaseGeometry) -> float:
    """The area in square kilometres, near enough for a zone (degrees of longitude shrink with the latitude)."""
    if geometry.is_empty:
        return 0.0
    middle = (geometry.bounds[1] + geometry.bounds[3]) / 2
    return float(geometry.area) * KM_PER_DEGREE**2 * math.cos(math.radians(middle))


@dataclass(frozen=True)
class Repair:
    """A polygon that was invalid as published (a self-intersecting ring, say) and was repaired with Shapely's
    make_valid: where, why, and its area before (as the file's rings compute it) and after, in km²."""

    where: str
    reason: str
    before_km2: float
    after_km2: float

    @property
    def change(self) -> float | None:
        """The area change in percent, None when the file's rings computed to no area (a bow tie's halves
        cancel)."""
        return 100 * (self.after_km2 - self.before_km2) / self.before_km2 if self.before_km2 > 0 else None

    def describe(self) -> str:
        if self.change is None:
            return _("%(where)s：%(reason)s，已自动修复，修复后面积约 %(after).3f 平方千米") % {
                "where": self.where,
                "reason": self.reason,
                "after": self.after_km2,
            }
        return _(
            "%(where)s：%(reason)s，已自动修复，面积由约 %(before).3f 平方千米变为 %(after).3f 平方千米"
            "（%(change)+.1f%%）"
        ) % {
            "where": self.where,
            "reason": self.reason,
            "before": self.before_km2,
            "after": self.after_km2,
            "change": self.change,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "reason": self.reason,
            "before": self.before_km2,
            "after": self.after_km2,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Repair":
        return cls(str(data["where"]), str(data["reason"]), float(data["before"]), float(data["after"]))


@dataclass
class Outline:
    """A checked upload: the union of its polygons and the repairs it needed."""

    geometry: BaseGeometry
    repairs: list[Repair] = field(default_factory=list)


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


def _kind(value: object) -> str:
    """A JSON value's kind as the user's GIS tool names it."""
    if isinstance(value, dict):
        return _("对象")
    if isinstance(value, list):
        return _("数组")
    if isinstance(value, str):
        return _("字符串")
    if isinstance(value, bool):
        return _("布尔值")
    if value is None:
        return "null"
    return _("数字")


# Where in the file a problem is: a feature's number in the collection, or a label. Put into words only for
# an error message: 25,000 features are 25,000 translations otherwise.
Where = int | str


def _at(where: Where) -> str:
    return _("第 %(n)d 个要素") % {"n": where} if isinstance(where, int) else where


def _object(where: Where, value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise BoundaryError(
            _("%(where)s的 %(what)s 应为对象，实际为%(kind)s")
            % {"where": _at(where), "what": what, "kind": _kind(value)}
        )
    return value


def _members(where: Where, value: object, what: str) -> list[Any]:
    """A member that must be an array, and not a larger one than an outline can need."""
    if not isinstance(value, list):
        raise BoundaryError(
            _("%(where)s缺少 %(what)s 数组（实际为%(kind)s）")
            % {"where": _at(where), "what": what, "kind": _kind(value)}
        )
    if len(value) > MAX_FEATURES:
        raise BoundaryError(
            _("%(where)s有 %(n)d 个 %(what)s 成员，超过 %(limit)d 个上限：请先在 GIS 软件中合并或删减")
            % {"where": _at(where), "n": len(value), "what": what, "limit": MAX_FEATURES}
        )
    return value


def _features(data: Any) -> list[tuple[Where, Mapping[str, Any]]]:
    """(where, geometry) pairs of a FeatureCollection, a Feature or a bare geometry; features without a
    geometry (null) are skipped, as GeoJSON allows. A bare JSON array of Features, as the DataV district files
    that ECharts users download are, reads as a FeatureCollection."""
    if (
        isinstance(data, list)
        and data
        and all(isinstance(f, dict) and f.get("type") == "Feature" for f in data)
    ):
        data = {"type": "FeatureCollection", "features": data}
    if isinstance(data, list):
        first = _("空数组") if not data else _("第 1 项为%(kind)s") % {"kind": _kind(data[0])}
        raise BoundaryError(
            _(
                "GeoJSON 顶层应为对象（FeatureCollection、Feature 或 Polygon）或要素（Feature）数组，实际为数组（%(first)s）"
            )
            % {"first": first}
        )
    if not isinstance(data, dict):
        raise BoundaryError(
            _("GeoJSON 顶层应为对象（FeatureCollection、Feature 或 Polygon），实际为%(kind)s")
            % {"kind": _kind(data)}
        )
    kind = data.get("type")
    if kind == "FeatureCollection":
        pairs: list[tuple[Where, Mapping[str, Any]]] = []
        for number, feature in enumerate(_members("FeatureCollection", data.get("features"), "features"), 1):
            geometry = _object(number, feature, "Feature").get("geometry")
            if geometry is not None:
                pairs.append((number, _object(number, geometry, "geometry")))
        return pairs
    if kind == "Feature":
        geometry = data.get("geometry")
        return [] if geometry is None else [(_("要素"), _object(_("要素"), geometry, "geometry"))]
    if kind in POLYGONS or kind == "GeometryCollection":
        return [(_("几何对象"), data)]
    raise BoundaryError(
        _("不支持的 GeoJSON 类型“%(kind)s”：应为 FeatureCollection、Feature、Polygon 或 MultiPolygon")
        % {"kind": kind}
    )


def _check_crs(data: Mapping[str, Any]) -> None:
    """Absent (GeoJSON's default, WGS84) or a name for lon/lat degrees; anything else is refused."""
    crs = data.get("crs")
    if crs is None:
        return
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if not isinstance(name, str) or crs.get("type") != "name":
        raise BoundaryError(
            _(
                "无法识别文件的 crs（坐标系）成员：应省略，或写为 "
                '{"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}'
            )
        )
    if name.strip().lower() not in LONLAT_NAMES:
        raise BoundaryError(
            _("文件的坐标系为 %(crs)s，请先转换为 WGS84 经纬度（EPSG:4326）后再上传") % {"crs": name[:100]}
        )


def _check_coordinates(where: Where, value: object, levels: int) -> None:
    """Arrays nested `levels` deep around positions of finite numbers, before Shapely reads them."""
    if not isinstance(value, list):
        raise BoundaryError(
            _("%(where)s的坐标结构不对：应为数组，实际为%(kind)s")
            % {"where": _at(where), "kind": _kind(value)}
        )
    if levels:
        for item in value:
            _check_coordinates(where, item, levels - 1)
        return
    for number in value:
        if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
            raise BoundaryError(
                _("%(where)s的坐标 %(value)s 不是有效数字")
                % {"where": _at(where), "value": json.dumps(number, ensure_ascii=False)[:40]}
            )


def _polygon(where: Where, geometry: Mapping[str, Any], repairs: list[Repair]) -> BaseGeometry | None:
    """The feature's polygon, or None for a point or line (labels and roads may ride along in the file). An
    invalid polygon is repaired (noted in `repairs`) when make_valid leaves an area."""
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        parts = [
            _polygon(where, _object(where, g, "geometries"), repairs)
            for g in _members(where, geometry.get("geometries"), "geometries")
        ]
        found = [p for p in parts if p is not None]
        return shapely.union_all(found) if found else None
    if kind not in POLYGONS:
        return None
    _check_coordinates(where, geometry.get("coordinates"), 2 if kind == "Polygon" else 3)
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
            _("%(where)s的坐标无法读取：%(error)s") % {"where": _at(where), "error": error}
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
            % {"where": _at(where), "lon1": min_lon, "lon2": max_lon, "lat1": min_lat, "lat2": max_lat}
        )
    if not polygon.is_valid:
        return _repaired(where, polygon, repairs)
    return polygon


def _repaired(where: Where, polygon: BaseGeometry, repairs: list[Repair]) -> BaseGeometry:
    """make_valid's polygonal part of an invalid polygon; refused when nothing with an area is left (a ring
    folded onto a line, say)."""
    reason = _reason(polygon)
    try:
        valid = shapely.make_valid(polygon)
    except shapely.errors.ShapelyError:
        valid = shapely.Polygon()
    parts = [g for g in shapely.get_parts(valid) if g.geom_type in POLYGONS and not g.is_empty]
    if not parts:
        raise BoundaryError(
            _("%(where)s的多边形无效且无法自动修复：%(reason)s（修复后不再是面）")
            % {"where": _at(where), "reason": reason}
        )
    fixed = shapely.union_all(parts)
    repairs.append(Repair(_at(where), reason, abs(km2(polygon)), km2(fixed)))
    return fixed


def outline(data: Any) -> BaseGeometry:
    """The union of the polygons of a GeoJSON document, checked (see `checked_outline`)."""
    return checked_outline(data).geometry


def checked_outline(data: Any) -> Outline:
    """The union of the polygons of a GeoJSON document, checked: lon/lat, valid or repaired, at least one
    polygon, not more separate pieces than the map can draw; with the repairs made."""
    pairs = _features(data)
    if isinstance(data, dict):
        _check_crs(data)
    repairs: list[Repair] = []
    polygons = [p for p in (_polygon(where, g, repairs) for where, g in pairs) if p is not None]
    if not polygons:
        raise BoundaryError(_("文件中没有多边形（Polygon 或 MultiPolygon）：边界必须是闭合的面"))
    union = shapely.union_all(polygons)
    pieces = shapely.get_num_geometries(union)
    if pieces > MAX_PIECES:
        raise BoundaryError(
            _(
                "合并后的边界由 %(n)d 块互不相连的区域组成，超过 %(limit)d 块上限：请先在 GIS 软件中合并地块、删除碎片"
            )
            % {"n": pieces, "limit": MAX_PIECES}
        )
    return Outline(union, repairs)


def vertices(geometry: BaseGeometry) -> int:
    return int(shapely.get_num_coordinates(geometry))


def fit(geometry: BaseGeometry) -> BaseGeometry:
    """The outline with at most MAX_VERTICES vertices: simplified (topology kept) with a growing tolerance,
    from about a centimetre, until it fits. The map is a sketch; the projects' coordinates are what matter."""
    if vertices(geometry) <= MAX_VERTICES:
        return geometry
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    tolerance = max(max_lon - min_lon, max_lat - min_lat, 1e-6) * 1e-7
    for _step in range(SIMPLIFY_STEPS):
        simpler = geometry.simplify(tolerance, preserve_topology=True)
        if vertices(simpler) <= MAX_VERTICES and simpler.is_valid and not simpler.is_empty:
            return simpler
        tolerance *= 2
    raise BoundaryError(
        _("边界有 %(n)d 个顶点，简化后仍超过 %(limit)d 个上限：请先在 GIS 软件中简化或删减")
        % {"n": vertices(geometry), "limit": MAX_VERTICES}
    )


def _depth_error(content: bytes) -> BoundaryError | None:
    """Arrays and objects nested deeper than any outline needs, found before json.loads and the checks below
    recurse into them (100,000 "[" exhaust Python's stack: RecursionError). Brackets in strings do not count."""
    bare = np.frombuffer(STRING.sub(b'""', content), dtype=np.uint8)
    steps = np.isin(bare, OPENING).astype(np.int32) - np.isin(bare, CLOSING).astype(np.int32)
    depth = np.cumsum(steps)
    if not len(depth) or depth.max() <= MAX_DEPTH:
        return None
    line = int(np.count_nonzero(bare[: int(np.argmax(depth > MAX_DEPTH))] == ord("\n"))) + 1
    return BoundaryError(
        _("JSON 在第 %(line)d 行嵌套超过 %(limit)d 层，不是有效的边界文件")
        % {"line": line, "limit": MAX_DEPTH}
    )


def _constant(name: str) -> float:
    raise ValueError(name)


def load_geojson(content: bytes) -> Any:
    """An uploaded file's JSON; `outline` checks what it holds. NaN and Infinity are not JSON: refused."""
    if len(content) > MAX_BYTES:
        raise BoundaryError(
            _("文件大小为 %(size).1f MB，超过 5 MB 上限") % {"size": len(content) / 1024 / 1024}
        )
    if too_deep := _depth_error(content):
        raise too_deep
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BoundaryError(_("文件不是 UTF-8 编码的文本，请上传 .geojson 或 .json 文件")) from None
    try:
        return json.loads(text, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise BoundaryError(
            _("不是有效的 JSON：第 %(line)d 行第 %(col)d 列，%(msg)s")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from None
    except ValueError as error:
        raise BoundaryError(_("不是有效的 JSON：%(value)s 不是数字") % {"value": error}) from None


def feature_collection(geometry: BaseGeometry, name: str) -> dict[str, Any]:
    """The outline as the map registers it: one named feature, whatever shape the upload had."""
    feature = {"type": "Feature", "properties": {"name": name}, "geometry": geometry.__geo_interface__}
    return {"type": "FeatureCollection", "features": [feature]}


def stored_outline(geojson: Mapping[str, Any]) -> BaseGeometry:
    """The outline as `set_boundary` stored it (checked and simplified then): read as is, never redone."""
    return shape(geojson["features"][0]["geometry"])


# Prepared outlines by (boundary id, upload time): an import checks thousands of rows against one boundary.
_PREPARED: dict[tuple[int, datetime], BaseGeometry] = {}


def _prepared(boundary: Boundary) -> BaseGeometry:
    key = (boundary.pk, boundary.uploaded_at)
    geometry = _PREPARED.get(key)
    if geometry is None:
        geometry = stored_outline(boundary.geojson)
        shapely.prepare(geometry)
        if boundary.pk is not None:
            if len(_PREPARED) >= 16:
                _PREPARED.clear()
            _PREPARED[key] = geometry
    return geometry


def inside(boundary: Boundary, lon: float | Decimal, lat: float | Decimal) -> bool:
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
