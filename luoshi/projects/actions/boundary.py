"""The zone's outline on the project map."""

from typing import Any

from django.db import transaction

from luoshi.lib.history import Actor
from luoshi.org.models import Zone
from luoshi.projects import geo
from luoshi.projects.actions import ProjectError, save
from luoshi.projects.models import Boundary


@transaction.atomic
def set_boundary(zone: Zone, name: str, geojson: dict[str, Any], user: Actor) -> Boundary:
    """The zone's outline for the map, replacing the previous one (its history keeps the old outline). Any
    GeoJSON with polygons will do; it is stored as one named feature of their union, as the map registers it,
    simplified here once if it has more vertices than the map can draw quickly."""
    try:
        union = geo.outline(geojson)
        outline = geo.fit(union)
    except geo.BoundaryError as error:
        raise ProjectError(str(error)) from None
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    source, stored = geo.vertices(union), geo.vertices(outline)
    fields = {
        "name": name,
        "geojson": geo.feature_collection(outline, name),
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "vertices": stored,
        "source_vertices": source if source != stored else None,
    }
    boundary = Boundary.objects.select_for_update().filter(zone=zone).first()
    if boundary is None:
        boundary = Boundary(zone=zone, **fields)
        save(boundary, user)
        return boundary
    for field, value in fields.items():
        setattr(boundary, field, value)
    save(boundary, user, [*fields, "uploaded_at"])
    return boundary
