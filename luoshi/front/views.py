"""The pages that read several apps: the home pages, the unit pages and the item page (its warnings, orders and
progress come from the apps above plans). Living on top keeps every lower app free of upward imports."""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from luoshi.alerts.queries import item_open_warnings, unit_open_orders, unit_open_warnings
from luoshi.front.ranking import SORTS, WEEKS, sort_ranking, unit_ranking
from luoshi.org.choices import Role
from luoshi.org.forms import ParkForm
from luoshi.org.queries import Access, get_unit, user_zones, visible_parks, visible_units, zone_roles
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.plans import queries
from luoshi.plans.forms import MilestoneForm, StatusForm, TargetForm
from luoshi.plans.queries import unit_item_counts
from luoshi.reporting.queries import can_see_review


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    zones = list(user_zones(request.user)[:2])
    if len(zones) == 1:
        roles = zone_roles(cast(User, request.user), zones[0])
        if Role.AUDITOR in roles:
            return redirect("security:audit_list", zones[0].code)
        if Role.ENTERPRISE in roles:
            return redirect("innovation:my_enterprise", zones[0].code)
        if Role.INSTITUTION in roles:
            return redirect("innovation:shared_lists", zones[0].code)
        return redirect("front:zone_home", zones[0].code)
    return render(request, "front/home.html", {"zones": user_zones(request.user)})


@require_safe
@zone_view
def unit_list(request: ZoneRequest, access: Access) -> HttpResponse:
    """The units ranked worst first (front.ranking), sortable by each figure, with their items and parks."""
    today = timezone.localdate()
    sort = request.GET.get("sort", "")
    ranking = sort_ranking(unit_ranking(access, today), sort)
    units = {u.pk: u for u in visible_units(access).select_related("parent", "park")}
    lead, co = unit_item_counts(access)
    rows = []
    for rank in ranking:
        unit = units[rank.unit_id]
        unit.n_lead, unit.n_co = lead.get(unit.pk, 0), co.get(unit.pk, 0)
        rows.append((rank, unit))
    context = {
        "rows": rows,
        "sort": sort if sort in SORTS else "",
        "sorts": SORTS,
        "linked": set(units) if access.zone_wide else set(access.unit_ids),
        "can_review": can_see_review(access),
        "weeks": WEEKS,
        "parks": visible_parks(access),
        "park_form": ParkForm(zone=access.zone),
        "nav": "units",
    }
    return render(request, "front/unit_list.html", context)


@require_safe
@zone_view
def unit_items(request: ZoneRequest, access: Access, unit_id: int) -> HttpResponse:
    unit = get_unit(access, unit_id)
    items = list(queries.unit_items(access, unit))
    warnings = unit_open_warnings(access, unit)
    return render(
        request,
        "front/unit_items.html",
        {
            "unit": unit,
            "items": items,
            "unit_warnings": warnings,
            "unit_orders": unit_open_orders(access, unit),
            "today": timezone.localdate(),
            "nav": "units",
        },
    )


@require_safe
@zone_view
def item_detail(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    item = queries.item_detail(access, item_id)
    context = {
        "item": item,
        "plan": item.plan,
        "level_name": item.plan.level_name(item.depth),
        "ancestors": queries.ancestors(item) if access.zone_wide else [],
        "children": queries.children(access, item),
        "history": queries.item_history(item),
        "item_warnings": item_open_warnings(access, item),
        "move_choices": queries.move_choices(item) if queries.can_edit_plans(access) else [],
        "can_update": queries.can_update_item(access, item),
        "can_delete_milestones": queries.can_delete_milestones(access),
        "status_form": StatusForm(initial={"status": item.status}),
        "target_form": TargetForm(),
        "milestone_form": MilestoneForm(),
        "today": timezone.localdate(),
        "nav": "plans",
    }
    return render(request, "front/item_detail.html", context)
