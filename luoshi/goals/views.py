"""The goal page (目标贯通图) and the goal settings: where the zone stands, the indicators by points at stake with
what moves them, where to push, and a what-if."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.goals import actions, queries
from luoshi.goals.chart import sankey
from luoshi.goals.forms import GoalForm
from luoshi.goals.health import LABELS
from luoshi.goals.models import Goal
from luoshi.goals.trace import trace, what_if
from luoshi.lib.htmx import render_page
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view


def _ticked(request: ZoneRequest, name: str) -> set[int]:
    return {int(v) for v in request.GET.getlist(name) if v.isdigit()}


@require_safe
@zone_view
def goal_list(request: ZoneRequest, access: Access) -> HttpResponse:
    if not queries.can_see_goals(access):
        raise Http404
    goals = list(queries.visible_goals(access))
    if len(goals) == 1 and "all" not in request.GET:
        return redirect("goals:goal_detail", access.zone.code, goals[0].item_id)
    return _goal_list(request, access, GoalForm(access) if access.edits_plans else None, goals)


def _goal_list(
    request: ZoneRequest, access: Access, form: GoalForm | None, goals: list[Goal] | None = None
) -> HttpResponse:
    goals = list(queries.visible_goals(access)) if goals is None else goals
    return render(request, "goals/goal_list.html", {"goals": goals, "form": form, "nav": "goals"})


@require_POST
@zone_view
def goal_set(request: ZoneRequest, access: Access) -> HttpResponse:
    if not access.edits_plans:
        raise Http404
    form = GoalForm(access, request.POST)
    if not form.is_valid():
        return _goal_list(request, access, form)
    data = form.cleaned_data
    try:
        goal = actions.set_goal(data["item"], data["scheme"], data["target_rank"], request.user)
    except actions.LinkRefused as refused:
        form.add_error(None, str(refused))
        return _goal_list(request, access, form)
    messages.success(request, _("已设定目标：%(title)s") % {"title": goal.item.title})
    return redirect("goals:goal_detail", access.zone.code, goal.item_id)


@require_safe
@zone_view
def goal_detail(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    """The goal, its standing and line of sight; htmx asks for the what-if alone when a box is ticked."""
    goal = queries.get_goal(access, item_id)
    found = trace(access.zone, goal.item_id)[0]
    items, projects = _ticked(request, "item"), _ticked(request, "project")
    context = {
        "goal": found,
        "chart": sankey(found),
        "ticked_items": items,
        "ticked_projects": projects,
        "whatif": what_if(found, items, projects) if items or projects else None,
        "labels": LABELS,
        "nav": "goals",
    }
    return render_page(request, "goals/goal_detail.html", context, partial="whatif")
