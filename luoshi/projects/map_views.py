"""The ledger drawn three ways — the battle map (作战图), the stage board and the Gantt of stage dates — with the
ledger's filters, and the admin's upload of the zone outline the map is drawn on."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import Window
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from luoshi.alerts.choices import Level
from luoshi.alerts.queries import SEVERITY, visible_warnings
from luoshi.lib.htmx import render_page
from luoshi.org.models import Park, Unit
from luoshi.org.queries import Access, visible_parks, visible_units
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.projects import geo
from luoshi.projects.choices import Category, Stage
from luoshi.projects.listing import LedgerFilters, filtered_projects, read_filters
from luoshi.projects.models import Boundary, ParkBoundary, Project, StageDate
from luoshi.projects.queries import ledger_years, zone_boundary

ZERO = Decimal(0)
GANTT_PAGE = 50
BOARD_CARDS = 60  # per column; the rest are a link to the ledger
UNPLACED_SHOWN = 200
# The worst open warning as a number for the charts: 0 none, 1 blue, 2 yellow, 3 red.
LAG_RANK = {None: 0, Level.BLUE: 1, Level.YELLOW: 2, Level.RED: 3}


@dataclass(frozen=True)
class _Choices:
    """The filter form's lists, read once per request: the query string is checked against them too."""

    years: list[int]
    parks: list[Park]
    units: list[Unit]


def _filters(access: Access, params: QueryDict) -> tuple[LedgerFilters, _Choices]:
    """The ledger's filters from the query string (the ledger's links carry them here)."""
    choices = _Choices(
        ledger_years(access), list(visible_parks(access)), list(visible_units(access).only("id", "name"))
    )
    return read_filters(params, choices.years, choices.parks, choices.units), choices


def _query(params: QueryDict, filters: LedgerFilters, **overrides: str) -> str:
    """The query string of the current filters without the page, for links that keep them."""
    query = params.copy()
    query.pop("page", None)
    query["year"] = str(filters.year)
    for key, value in overrides.items():
        query[key] = value
    return query.urlencode()


def _worst_level(access: Access) -> Subquery:
    """For `annotate`: the level of the project's reddest open warning, None without any."""
    open_warnings = visible_warnings(access).filter(project=OuterRef("pk"), resolved_at__isnull=True)
    return Subquery(open_warnings.order_by(SEVERITY).values("level")[:1])


def _detail_url(access: Access) -> str:
    """The project page's URL with 0 for the id; the charts put the clicked project's id in its place."""
    return reverse("projects:project_detail", args=[access.zone.code, 0])


def _context(params: QueryDict, filters: LedgerFilters, choices: _Choices, tab: str) -> dict[str, object]:
    """What the filter form and the tabs need."""
    return {
        "filters": filters,
        "money": "yi" if params.get("money") == "yi" else "wan",
        "years": sorted({*choices.years, filters.year}, reverse=True),
        "stages": Stage.choices,
        "categories": Category.choices,
        "parks": choices.parks,
        "units": choices.units,
        "tab": tab,
        "nav": "projects",
    }


def _json_script(data: object, element_id: str) -> SafeString:
    """json_script for thousands of rows: compact, Chinese as is rather than \\uXXXX (half the bytes), and
    escaped with str.replace, which is many times faster than json_script's str.translate on such a string."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text))


def _lag_labels() -> list[str]:
    return [_("无预警"), _("蓝色预警"), _("黄色预警"), _("红色预警")]


def _map_data(access: Access, yi: bool, rows: list[Any]) -> dict[str, object]:
    """The scatter's points as arrays — [lon, lat, id, stage, lag, total, completion %, unit, name, owner] — with
    the lookup tables and the labels the script needs."""
    units: dict[str, int] = {}
    points = []
    for r in rows:
        annual = r.annual_plan_wan_f
        completion = round(100 * r.completed_wan_f / annual, 1) if annual > 0 else None
        unit = units.setdefault(r.lead_unit__name or "", len(units))
        lag = LAG_RANK[r.worst_level]
        points.append(
            [
                r.longitude_f,
                r.latitude_f,
                r.id,
                r.stage,
                lag,
                r.total_investment_wan_f,
                completion,
                unit,
                r.name,
                r.owner,
            ]
        )
    return {
        "points": points,
        "units": list(units),
        "stages": [str(label) for label in Stage.labels],
        "lags": _lag_labels(),
        "detail": _detail_url(access),
        "yi": yi,
        "labels": {
            "owner": _("建设单位"),
            "unit": _("责任单位"),
            "stage": _("所处阶段"),
            "total": _("总投资"),
            "completion": _("年度投资完成率"),
            "lag": _("预警"),
            "money": _("亿元") if yi else _("万元"),
            "lon": _("经度"),
            "lat": _("纬度"),
            "size": _("圆点大小：总投资"),
        },
    }


def _outlines(access: Access, boundary: Boundary | None, park: Park | None) -> dict[str, Any] | None:
    """The outline the map registers: the zone's as stored (checked and simplified once, at upload), with its
    parks' (一区多园) added as features named after them and marked "park" for labels. Filtered to one park
    with an outline, only that park's. None without any outline."""
    parks = ParkBoundary.objects.filter(zone=access.zone).select_related("park").order_by("park__position")
    features = [
        {
            "type": "Feature",
            "properties": {"name": outline.park.name, "kind": "park"},
            "geometry": outline.geojson["features"][0]["geometry"],
        }
        for outline in parks
        if park is None or outline.park_id == park.pk
    ]
    if park is not None and features:
        return {"type": "FeatureCollection", "features": features}
    if boundary is None:
        return {"type": "FeatureCollection", "features": features} if features else None
    if not features:
        return boundary.geojson
    return {"type": "FeatureCollection", "features": [*boundary.geojson["features"], *features]}


def _empty_reason(filters: LedgerFilters, count: int) -> str:
    """Why the map shows no point: no project matches, or none of them has coordinates."""
    if count:
        return _("这 %(n)d 个项目都没有填写经纬度，无法标注在作战图上，请在项目台账中补录坐标。") % {
            "n": count
        }
    if filters.unit is not None:
        return _("%(unit)s在 %(year)d 年没有牵头的重点项目%(more)s。") % {
            "unit": filters.unit.name,
            "year": filters.year,
            "more": _("（且符合其他筛选条件）")
            if filters.stage or filters.category or filters.park or filters.lagging
            else "",
        }
    if filters.active:
        return _("%(year)d 年没有符合当前筛选条件的重点项目。") % {"year": filters.year}
    return _("%(year)d 年还没有录入重点项目。") % {"year": filters.year}


def _totals(placed: list[Any]) -> dict[str, object]:
    """What is on the map: projects, their total investment in 亿元 (a major project's figure includes its
    sub-projects, so a sub-project counts only when its major project is not on the map too) and the lagging."""
    ids = {r.id for r in placed}
    wan = sum((r.total_investment_wan_f or 0.0) for r in placed if r.parent_id not in ids)
    lagging = sum(1 for r in placed if r.worst_level in (Level.YELLOW, Level.RED))
    return {"count": len(placed), "investment_yi": wan / 10000, "lagging": lagging}


def _map_context(access: Access, params: QueryDict) -> dict[str, Any]:
    filters, choices = _filters(access, params)
    context = _context(params, filters, choices, "map")
    # Floats straight from SQL: turning 25,000 decimals into Decimal objects costs more than the query.
    floats = {
        f"{name}_f": Cast(name, FloatField())
        for name in ("longitude", "latitude", "total_investment_wan", "annual_plan_wan", "completed_wan")
    }
    rows = list(
        filtered_projects(access, filters)
        .annotate(worst_level=_worst_level(access), **floats)
        .values_list(
            "id", "name", "owner", "parent_id", *floats, "stage", "worst_level", "lead_unit__name", named=True
        )
    )
    placed: list[Any] = [r for r in rows if r.longitude_f is not None and r.latitude_f is not None]
    unplaced = [r for r in rows if r.longitude_f is None or r.latitude_f is None]
    boundary = zone_boundary(access)
    outside: list[Any] = []
    if boundary is not None and placed:
        flags = geo.inside_many(boundary, [r.longitude_f for r in placed], [r.latitude_f for r in placed])
        outside = [r for r, ok in zip(placed, flags, strict=True) if not ok]
    outlines = _outlines(access, boundary, filters.park)
    return context | {
        "boundary": boundary,
        "outline": _json_script(outlines, "project-map-boundary") if outlines else "",
        "chart": _json_script(_map_data(access, context["money"] == "yi", placed), "project-map-data"),
        "placed": len(placed),
        "totals": _totals(placed),
        "empty": "" if placed else _empty_reason(filters, len(rows)),
        "unplaced": [
            {"id": r.id, "name": r.name, "unit": r.lead_unit__name, "stage": Stage(r.stage).label}
            for r in unplaced[:UNPLACED_SHOWN]
        ],
        "unplaced_count": len(unplaced),
        "outside": [{"id": r.id, "name": r.name} for r in outside],
    }


@require_safe
@zone_view
def project_map(request: ZoneRequest, access: Access) -> HttpResponse:
    return render_page(request, "projects/map.html", _map_context(access, request.GET), partial="results")


@require_safe
@zone_view
def map_screen(request: ZoneRequest, access: Access) -> HttpResponse:
    """The battle map for a wall display (大屏): dark, full screen, titled, with the totals and the legend;
    the ledger's filters carry over from the map's address."""
    params = request.GET.copy()
    params.setdefault("money", "yi")  # a wall display counts in 亿元
    context = _map_context(access, params)
    context["map_url"] = reverse("projects:map", args=[access.zone.code]) + (
        "?" + request.GET.urlencode() if request.GET else ""
    )
    return render(request, "projects/map_screen.html", context)


@dataclass
class Column:
    stage: int
    label: str
    more_url: str
    count: int = 0
    total: Decimal = ZERO
    annual: Decimal = ZERO
    done: Decimal = ZERO
    cards: list[Project] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


@require_safe
@zone_view
def stage_board(request: ZoneRequest, access: Access) -> HttpResponse:
    filters, choices = _filters(access, request.GET)
    projects = filtered_projects(access, filters)
    ledger = reverse("projects:ledger", args=[access.zone.code])
    columns = {
        stage: Column(stage, str(label), f"{ledger}?{_query(request.GET, filters, stage=str(stage))}")
        for stage, label in Stage.choices
    }
    for row in projects.order_by().values("stage").annotate(n=Count("id")):
        columns[row["stage"]].count = row["n"]
    # Money as the ledger's 合计 counts it: a major project's figures include its sub-projects, so a
    # sub-project adds to its column only when its major project is filtered out.
    counted = projects.filter(Q(parent__isnull=True) | ~Q(parent_id__in=projects.values("pk")))
    sums = counted.order_by().values("stage")
    for row in sums.annotate(t=Sum("total_investment_wan"), a=Sum("annual_plan_wan"), d=Sum("completed_wan")):
        column = columns[row["stage"]]
        column.total, column.annual, column.done = row["t"], row["a"], row["d"]
    # The first cards of every column in one query: number each stage's projects and keep the first ones.
    place = Window(RowNumber(), partition_by=[F("stage")], order_by=[F("position").asc(), F("id").asc()])
    cards = (
        projects.annotate(worst_level=_worst_level(access))
        .select_related("lead_unit")
        .annotate(place=place)
        .filter(place__lte=BOARD_CARDS)
        .order_by("stage", "place")
    )
    for card in cards:
        columns[card.stage].cards.append(card)
    context = _context(request.GET, filters, choices, "board") | {
        "columns": list(columns.values()),
        "count": sum(c.count for c in columns.values()),
    }
    return render_page(request, "projects/board.html", context, partial="results")


def _segments(
    row: int, dates: dict[int, tuple[date | None, date | None]], today: date
) -> Iterable[list[int | str]]:
    """A project's bars, [row, start, end, stage, lane]: lane 0 the plan, lane 1 what happened. A stage runs
    from its date to the next stage's; the last planned stage is a milestone, the stage reached runs to today."""
    for lane in (0, 1):
        known = sorted((stage, when) for stage, pair in dates.items() if (when := pair[lane]) is not None)
        for i, (stage, start) in enumerate(known):
            if i + 1 < len(known):
                end = known[i + 1][1]
            elif lane == 1 and stage < Stage.FULL_PRODUCTION and start < today:
                end = today
            else:
                end = start
            yield [row, start.isoformat(), max(start, end).isoformat(), stage, lane]


def _gantt_order(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Major projects each followed by their sub-projects, in ledger order."""
    return projects.order_by(
        Coalesce("parent__position", "position"),
        Coalesce("parent_id", "id"),
        F("parent_id").asc(nulls_first=True),
        "position",
        "id",
    )


@require_safe
@zone_view
def gantt(request: ZoneRequest, access: Access) -> HttpResponse:
    filters, choices = _filters(access, request.GET)
    projects = _gantt_order(filtered_projects(access, filters).annotate(worst_level=_worst_level(access)))
    page = Paginator(projects, GANTT_PAGE).get_page(request.GET.get("page"))
    on_page = list(page.object_list)
    dates: dict[int, dict[int, tuple[date | None, date | None]]] = {p.pk: {} for p in on_page}
    stage_rows = StageDate.objects.filter(project_id__in=list(dates)).values_list(
        "project_id", "stage", "planned", "actual"
    )
    for project_id, stage, planned, actual in stage_rows:
        dates[project_id][stage] = (planned, actual)
    today = timezone.localdate()
    segments: list[list[int | str]] = []
    for index, project in enumerate(on_page):
        segments.extend(_segments(index, dates[project.pk], today))
    chart = {
        "rows": [[p.pk, p.name, 1 if p.parent_id else 0, LAG_RANK[p.worst_level]] for p in on_page],
        "segments": segments,
        "today": today.isoformat(),
        "stages": [str(label) for label in Stage.labels],
        "detail": _detail_url(access),
        "labels": {"planned": _("计划"), "actual": _("实际"), "today": _("今天")},
    }
    milestones = (Stage.STARTED, Stage.COMPLETED)
    context = _context(request.GET, filters, choices, "gantt") | {
        "page": page,
        "chart": chart,
        "table": [(p, [dates[p.pk].get(s, (None, None)) for s in milestones]) for p in on_page],
        "query": _query(request.GET, filters),
    }
    return render_page(request, "projects/gantt.html", context, partial="results")
