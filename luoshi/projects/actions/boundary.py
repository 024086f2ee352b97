"""The zone's outline on the project map, and its parks' outlines (一区多园)."""

from typing import Any, TypeVar

from django.db import transaction

from luoshi.lib.history import Actor
from luoshi.org.models import Park, Zone
from luoshi.projects import geo
from luoshi.projects.actions import ProjectError, save
from luoshi.projects.models import Boundary, Outline, ParkBoundary

AnOutline = TypeVar("AnOutline", bound=Outline)


def _fields(geojson: dict[str, Any], name: str) -> dict[str, Any]:
    """What an outline stores: one named feature of the polygons' union (invalid rings repaired with
    make_valid), its box and vertex counts, simplified once if it has more vertices than the map draws quickly."""
    try:
        checked = geo.checked_outline(geojson)
        outline = geo.fit(checked.geometry)
    except geo.BoundaryError as error:
        raise ProjectError(str(error)) from None
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    source, stored = geo.vertices(checked.geometry), geo.vertices(outline)
    return {
        "geojson": geo.feature_collection(outline, name),
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "vertices": stored,
        "source_vertices": source if source != stored else None,
        "repairs": [r.as_json() for r in checked.repairs],
    }


def _replace(kept: AnOutline | None, new: AnOutline, fields: dict[str, Any], user: Actor) -> AnOutline:
    """Store `new`, or update the outline `kept` in place with `fields` (its history keeps the old one)."""
    if kept is None:
        save(new, user)
        return new
    for field, value in fields.items():
        setattr(kept, field, value)
    save(kept, user, [*fields, "uploaded_at"])
    return kept


@transaction.atomic
def set_boundary(zone: Zone, name: str, geojson: dict[str, Any], user: Actor) -> Boundary:
    """The zone's outline for the map, replacing the previous one. Any GeoJSON with polygons will do (a bare
    array of Features too); it is stored as one named feature of their union, as the map registers it."""
    fields = {"name": name, **_fields(geojson, name)}
    kept = Boundary.objects.select_for_update().filter(zone=zone).first()
    return _replace(kept, Boundary(zone=zone, **fields), fields, user)


@transaction.atomic
def set_park_boundary(park: Park, geojson: dict[str, Any], user: Actor) -> ParkBoundary:
    """A park's outline, named after the park on the map, replacing its previous one."""
    fields = _fields(geojson, park.name)
    kept = ParkBoundary.objects.select_for_update().filter(park=park).first()
    return _replace(kept, ParkBoundary(zone_id=park.zone_id, park=park, **fields), fields, user)
