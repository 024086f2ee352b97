"""The line of sight on the item and project pages (fragments they load), and the office's links made there:
an item to the indicators it moves, a project to the items it carries, and their removal."""

from collections.abc import Callable, Sequence
from functools import partial

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.assessment.models import Indicator
from luoshi.goals import actions, queries
from luoshi.goals.choices import BindingSource
from luoshi.goals.health import LABELS
from luoshi.goals.models import IndicatorLink, ProjectLink
from luoshi.goals.sight import sight
from luoshi.goals.trace import at_risk, trace
from luoshi.org.queries import Access, get_unit
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.plans.models import PlanItem
from luoshi.plans.queries import get_item
from luoshi.projects.queries import get_project


def _ids(request: ZoneRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


def _link(
    request: ZoneRequest, chosen: Sequence[object], link: Callable[[], int], empty: str, done: str
) -> None:
    """Link what was chosen and say how many links are new, or say that nothing was chosen."""
    if not chosen:
        messages.error(request, empty)
    else:
        messages.success(request, done % {"n": link()})


@require_safe
@zone_view
def item_sight(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    """The item's rolled-up health with its reasons, the indicators it moves and the projects carrying it."""
    item = get_item(access, item_id)
    linked = list(queries.item_indicator_links(item))
    bindings = queries.item_bindings(item)
    context = {
        "item": item,
        "subject": sight(access.zone, under=item).items.get(item.pk),
        "indicator_links": linked,
        "project_links": list(queries.item_project_links(item)),
        "choices": (
            Indicator.objects.filter(zone=access.zone).exclude(pk__in=[x.indicator_id for x in linked])
            if access.edits_plans
            else []
        ),
        "labels": LABELS,
        "targets": [(t, bindings.get(t.pk)) for t in item.targets.all()],
        "indicators": Indicator.objects.filter(zone=access.zone) if access.edits_plans else [],
        "sources": BindingSource.choices,
    }
    return render(request, "goals/_item_sight.html", context)


@require_safe
@zone_view
def unit_sight(request: ZoneRequest, access: Access, unit_id: int) -> HttpResponse:
    """Which goals and indicators the unit's lagging items and projects put at risk."""
    unit = get_unit(access, unit_id)
    risks = at_risk(trace(access.zone), unit.pk)
    return render(request, "goals/_unit_sight.html", {"unit": unit, "risks": risks, "labels": LABELS})


@require_http_methods(["GET", "HEAD", "POST"])
@zone_view
def indicator_sight(request: ZoneRequest, access: Access, indicator_id: int) -> HttpResponse:
    """What moves an indicator and how those are doing, the points at stake on it for each goal, and for the
    office the measures to link, many at once."""
    indicator = queries.get_indicator(access, indicator_id)
    if request.method == "POST":
        if not access.edits_plans:
            raise Http404
        items = list(PlanItem.objects.filter(zone=access.zone, pk__in=_ids(request, "item")))
        link = partial(actions.link_indicators, items, [indicator], request.user)
        _link(request, items, link, _("请勾选要关联的事项"), _("已关联 %(n)d 项事项"))
        return redirect("goals:indicator_sight", access.zone.code, indicator.pk)
    seen = sight(access.zone)
    lines = [(g, t) for g in trace(access.zone, seen=seen) for t in g.indicators if t.code == indicator.code]
    links = dict(IndicatorLink.objects.filter(indicator=indicator).values_list("item_id", "pk"))
    linked = list(links)
    context = {
        "indicator": indicator,
        "lines": lines,
        "items": [seen.items[pk] for pk in linked if pk in seen.items],
        "projects": [
            seen.projects[p] for p in dict.fromkeys(p for i in linked for p in seen.projects_of.get(i, []))
        ],
        "links": links,
        "choices": queries.linkable_items(access, linked) if access.edits_plans else [],
        "labels": LABELS,
        "nav": "goals",
    }
    return render(request, "goals/indicator_sight.html", context)


@require_POST
@zone_view
def item_link_indicators(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    if not access.edits_plans:
        raise Http404
    item = get_item(access, item_id)
    indicators = list(Indicator.objects.filter(zone=access.zone, pk__in=_ids(request, "indicator")))
    link = partial(actions.link_indicators, [item], indicators, request.user)
    _link(request, indicators, link, _("请选择要关联的指标"), _("已关联 %(n)d 项指标"))
    return redirect("front:item_detail", access.zone.code, item.pk)


@require_safe
@zone_view
def project_sight(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    """The items a project carries, and for the office the items it could carry."""
    project = get_project(access, project_id)
    linked = list(queries.project_item_links(project))
    choices = (
        queries.linkable_items(access, [x.item_id for x in linked], project.year)
        if access.edits_plans
        else []
    )
    context = {"project": project, "item_links": linked, "choices": choices}
    return render(request, "goals/_project_sight.html", context)


@require_POST
@zone_view
def project_link_items(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    if not access.edits_plans:
        raise Http404
    project = get_project(access, project_id)
    items = list(PlanItem.objects.filter(zone=access.zone, pk__in=_ids(request, "item")))
    link = partial(actions.link_projects, [project], items, request.user)
    _link(request, items, link, _("请选择项目承载的任务"), _("已关联 %(n)d 项任务"))
    return redirect("projects:project_detail", access.zone.code, project.pk)


@require_POST
@zone_view
def unlink_indicator(request: ZoneRequest, access: Access, link_id: int) -> HttpResponse:
    link: IndicatorLink = queries.get_link_for_edit(access, IndicatorLink, link_id)
    actions.unlink(link, request.user)
    messages.success(request, _("已取消关联"))
    if request.POST.get("back") == "indicator":
        return redirect("goals:indicator_sight", access.zone.code, link.indicator_id)
    return redirect("front:item_detail", access.zone.code, link.item_id)


@require_POST
@zone_view
def unlink_project(request: ZoneRequest, access: Access, link_id: int) -> HttpResponse:
    link: ProjectLink = queries.get_link_for_edit(access, ProjectLink, link_id)
    actions.unlink(link, request.user)
    messages.success(request, _("已取消关联"))
    back = request.POST.get("back")
    if back == "item":
        return redirect("front:item_detail", access.zone.code, link.item_id)
    return redirect("projects:project_detail", access.zone.code, link.project_id)
