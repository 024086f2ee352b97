"""GeoJSON documents for the map tests: a square zone around the fixture factory (120.4, 36.3)."""

import json
from typing import Any

SQUARE = [[120.3, 36.2], [120.5, 36.2], [120.5, 36.4], [120.3, 36.4], [120.3, 36.2]]


def polygon(ring: list[list[float]] | None = None) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring or SQUARE]}


def feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def zone_file() -> bytes:
    """What a GIS desk exports: a FeatureCollection with the outline and a labelled point."""
    label = feature({"type": "Point", "coordinates": [120.4, 36.3]}, name="管委会")
    return json.dumps(collection(feature(polygon(), name="甲高新区"), label), ensure_ascii=False).encode()
