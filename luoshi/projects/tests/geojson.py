"""GeoJSON documents for the map tests: a square zone around the fixture factory (120.4, 36.3)."""

import json
import math
from collections.abc import Sequence
from typing import Any

SQUARE = [[120.3, 36.2], [120.5, 36.2], [120.5, 36.4], [120.3, 36.4], [120.3, 36.2]]


def polygon(ring: Sequence[Sequence[float]] | None = None) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring or SQUARE]}


def feature(geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def zone_file() -> bytes:
    """What a GIS desk exports: a FeatureCollection with the outline and a labelled point."""
    label = feature({"type": "Point", "coordinates": [120.4, 36.3]}, name="管委会")
    return json.dumps(collection(feature(polygon(), name="甲高新区"), label), ensure_ascii=False).encode()


def squares(count: int, gap: int = 0) -> bytes:
    """`count` squares of 0.001° in rows from (120.3, 36.2), like a parcel map: touching (gap 0), they merge
    into one outline; apart (gap in thousandths), they stay separate pieces. Integer thousandths keep shared
    edges exactly equal."""
    side = int(count**0.5) + 1
    step = 1 + gap
    features = []
    for i in range(count):
        x, y = 120_300 + (i % side) * step, 36_200 + (i // side) * step
        corners = [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1), (x, y)]
        features.append(feature(polygon([[a / 1000, b / 1000] for a, b in corners])))
    return json.dumps(collection(*features), separators=(",", ":")).encode()


def jagged(vertices: int) -> dict[str, Any]:
    """A round zone with a finely jagged edge: `vertices` points, as a surveyed outline may have."""
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        radius = 0.1 * (1 + 0.002 * (i % 2))
        ring.append([120.4 + radius * math.cos(angle), 36.3 + radius * math.sin(angle)])
    return polygon([*ring, ring[0]])
