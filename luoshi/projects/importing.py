"""The ledger import between parsing and writing: units and parks matched against the zone, coordinates checked
against its boundary, names checked against the projects already in that year's ledger, and the JSON shape.

A re-import of the same year's ledger updates the projects it names (matched by name); a name already used by a
project with a different 项目编号 is an error, not an update."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.org.matching import normalise
from luoshi.org.models import Park, Zone
from luoshi.org.resolving import UnitResolver, UnknownUnit
from luoshi.projects import geo
from luoshi.projects.choices import Stage
from luoshi.projects.ledger import ParsedLedger, ParsedProject
from luoshi.projects.models import Boundary, Project
from luoshi.sheets.preview import Preview
from luoshi.sheets.problems import Problem

# China's extent, for coordinates when the zone has no boundary yet.
CHINA = (73.4, 3.8, 135.1, 53.6)


@dataclass(frozen=True)
class LinkStep:
    """A step an app above projects adds to the import for a column it owns (goals: 对应任务, read by the parser
    as text): `check` finds the problems in the preview, by row and column; `write` links the written projects
    (by their row's ref) in the import's transaction."""

    check: Callable[[Zone, int, list[ParsedProject]], list[Problem]]
    write: Callable[[Zone, int, list[ParsedProject], dict[str, Project], Any], None]


# Filled by the apps' ready(): projects cannot import what sits above it.
LINK_STEPS: list[LinkStep] = []


@dataclass
class LedgerPreview(Preview[UnknownUnit]):
    zone: Zone
    year: int
    parsed: ParsedLedger
    park_ids: dict[str, int]
    existing: dict[str, int]  # project names already in the year's ledger → their ids: updated, not added
    completed_month: int  # the month the year-to-date completion is recorded at

    @property
    def projects(self) -> list[ParsedProject]:
        return self.parsed.projects

    @property
    def n_updated(self) -> int:
        return sum(1 for p in self.parsed.projects if p.name in self.existing)

    def as_json(self) -> dict[str, Any]:
        return {
            "projects": [
                {
                    "ref": p.ref,
                    "name": p.name,
                    "owner": p.owner or None,
                    "total_investment_wan": _number(p.total_investment_wan),
                    "annual_plan_wan": _number(p.annual_plan_wan),
                    "completed_wan": _number(p.completed_wan),
                    "stage": Stage(p.stage).slug,
                    "start": p.start.isoformat() if p.start else None,
                    "finish": p.finish.isoformat() if p.finish else None,
                    "lead_unit": p.lead_unit or None,
                    "leader": p.leader or None,
                    "blockers": list(p.blockers),
                }
                for p in self.parsed.projects
            ],
            "errors": self.errors_json(),
        }


def _number(amount: Decimal | None) -> int | float | None:
    """万元 as a JSON number: whole amounts as integers."""
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def preview_ledger(
    zone: Zone,
    parsed: ParsedLedger,
    year: int | None = None,
    resolutions: dict[str, str] | None = None,
    source_name: str = "",
) -> LedgerPreview:
    """`year`: the ledger's year; without it, the year the file names, else this year."""
    today = timezone.localdate()
    problems = list(parsed.problems)
    if year and parsed.year and year != parsed.year:
        message = _("文件写的是%(file)d年，将导入到%(year)d年的台账") % {"file": parsed.year, "year": year}
        problems.append(Problem(None, None, "warning", message))
    year = year or parsed.year or today.year
    unit_ids, new_units, unknown = _units(zone, parsed, resolutions or {}, problems)
    park_ids = _parks(zone, parsed, problems)
    _check_coordinates(zone, parsed, problems)
    existing = _existing(zone, year, parsed, problems)
    for step in LINK_STEPS:
        problems.extend(step.check(zone, year, parsed.projects))
    problems.sort(key=lambda p: p.row or 0)
    month = parsed.completed_month or (today.month if year >= today.year else 12)
    return LedgerPreview(
        zone=zone,
        year=year,
        parsed=parsed,
        problems=problems,
        unit_ids=unit_ids,
        new_units=new_units,
        park_ids=park_ids,
        existing=existing,
        completed_month=month,
        unknown=unknown,
        source_name=source_name,
    )


def _units(
    zone: Zone, parsed: ParsedLedger, resolutions: dict[str, str], problems: list[Problem]
) -> tuple[dict[str, int], dict[str, str], list[UnknownUnit]]:
    """Unit names as the plan import matches them: exact, alias, normalised; else the user's answer."""
    resolver = UnitResolver(zone, resolutions)
    for project in parsed.projects:
        if project.lead_unit and (message := resolver.resolve(project.lead_unit)):
            problems.append(Problem(project.row, project.columns.get("lead_unit"), "error", message))
    return resolver.unit_ids, resolver.new_units, resolver.unknown


def _parks(zone: Zone, parsed: ParsedLedger, problems: list[Problem]) -> dict[str, int]:
    """Parks by name as written or normalised; an unknown park is left blank with a warning."""
    parks = {normalise(name): pk for pk, name in Park.objects.filter(zone=zone).values_list("id", "name")}
    found: dict[str, int] = {}
    warned: set[str] = set()
    for project in parsed.projects:
        name = project.park
        if not name or name in found:
            continue
        park_id = parks.get(normalise(name))
        if park_id is not None:
            found[name] = park_id
        elif name not in warned:
            warned.add(name)
            message = _("园区“%(name)s”不在本园区的园区名单中，这些项目的所在园区将留空") % {"name": name}
            problems.append(Problem(project.row, project.columns.get("park"), "warning", message))
    return found


def _check_coordinates(zone: Zone, parsed: ParsedLedger, problems: list[Problem]) -> None:
    """Inside the zone's boundary when one is uploaded, else inside China."""
    placed: list[ParsedProject] = []
    for p in parsed.projects:
        if (p.longitude is None) != (p.latitude is None):
            column = p.columns.get("latitude" if p.latitude is None else "longitude")
            problems.append(Problem(p.row, column, "error", _("经度和纬度要么都填，要么都不填")))
        elif p.longitude is not None:
            placed.append(p)
    if not placed:
        return
    boundary = Boundary.objects.filter(zone=zone).first()
    lons = [float(p.longitude or 0) for p in placed]
    lats = [float(p.latitude or 0) for p in placed]
    if boundary is not None:
        where = _("本园区边界")
        inside = list(geo.inside_many(boundary, lons, lats))
        swapped = list(geo.inside_many(boundary, lats, lons))
    else:
        where = _("中国境内")
        inside = [_in_china(lon, lat) for lon, lat in zip(lons, lats, strict=True)]
        swapped = [_in_china(lat, lon) for lon, lat in zip(lons, lats, strict=True)]
    for p, ok, reversed_ok in zip(placed, inside, swapped, strict=True):
        if ok:
            continue
        values = {"lon": p.longitude, "lat": p.latitude, "where": where}
        if reversed_ok:
            message = _("经度 %(lon)s、纬度 %(lat)s 不在%(where)s，可能填反了") % values
        else:
            message = _("坐标（经度 %(lon)s，纬度 %(lat)s）不在%(where)s") % values
        problems.append(Problem(p.row, p.columns.get("longitude"), "error", message))


def _in_china(lon: float, lat: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = CHINA
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def _existing(zone: Zone, year: int, parsed: ParsedLedger, problems: list[Problem]) -> dict[str, int]:
    """Projects of the year named again in the file are updated — unless their 项目编号 says otherwise. A row
    that leaves 总投资 blank keeps the project's, so its completion is checked against that."""
    names = [p.name for p in parsed.projects]
    rows = Project.objects.filter(zone=zone, year=year, name__in=names).values_list(
        "name", "id", "code", "total_investment_wan"
    )
    known = {name: (pk, code, total) for name, pk, code, total in rows}
    existing: dict[str, int] = {}
    for p in parsed.projects:
        if p.name not in known:
            continue
        pk, code, total = known[p.name]
        if code and p.code and code != p.code:
            message = _(
                "%(year)d年台账中已有同名项目“%(name)s”（编号 %(code)s），与本行编号 %(mine)s 不同"
            ) % {
                "year": year,
                "name": p.name,
                "code": code,
                "mine": p.code,
            }
            problems.append(Problem(p.row, p.columns.get("name"), "error", message))
            continue
        existing[p.name] = pk
        done = p.completed_wan
        if p.total_investment_wan is None and total and done is not None and done > total:
            message = _("完成投资 %(done)s 万元超过项目已有的总投资 %(total)s 万元") % {
                "done": f"{done:,}",
                "total": f"{total:,}",
            }
            problems.append(Problem(p.row, p.columns.get("completed_wan"), "error", message))
    return existing
