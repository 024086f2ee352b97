"""The pages that read several apps: the home pages, the unit pages and the item page (its warnings, orders and
progress come from the apps above plans). Living on top keeps every lower app free of upward imports."""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from luoshi.alerts.queries import item_open_warnings, unit_open_orders, unit_open_warnings
from luoshi.org.choices import Role
from luoshi.org.forms import ParkForm
from luoshi.org.queries import Access, get_unit, user_zones, visible_parks, visible_units, zone_roles
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.plans import queries
from luoshi.plans.choices import ItemStatus
from luoshi.plans.forms import MilestoneForm, StatusForm, TargetForm
from luoshi.plans.queries import unit_item_counts


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    zones = list(user_zones(request.user)[:2])
    if len(zones) == 1:
        if Role.AUDITOR in zone_roles(cast(User, request.user), zones[0]):
            return redirect("security:audit_list", zones[0].code)
        return redirect("front:zone_home", zones[0].code)
    return render(request, "front/home.html", {"zones": user_zones(request.user)})


@require_safe
@zone_view
def zone_home(request: ZoneRequest, access: Access) -> HttpResponse:
    today = timezone.localdate()
    items = queries.visible_items(access)
    open_items = ~Q(items__status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
    plans = queries.visible_plans(access).annotate(
        n_items=Count("items", filter=Q(items__in=items)),
        n_done=Count("items", filter=Q(items__in=items, items__status=ItemStatus.DONE)),
        n_overdue=Count("items", filter=Q(items__in=items, items__due_date__lt=today) & open_items),
    )
    mine = None
    if access.unit_ids:
        mine = (
            items.filter(queries.unit_items_q(access.unit_ids))
            .exclude(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
            .select_related("plan", "lead_unit")
            .order_by("due_date", "path")[:50]
        )
    return render(
        request, "front/zone_home.html", {"plans": plans, "mine": mine, "today": today, "nav": "plans"}
    )


@require_safe
@zone_view
def unit_list(request: ZoneRequest, access: Access) -> HttpResponse:
    units = list(visible_units(access).select_related("parent", "park"))
    lead, co = unit_item_counts(access)
    for unit in units:
        unit.n_lead, unit.n_co = lead.get(unit.pk, 0), co.get(unit.pk, 0)
    context = {
        "units": units,
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
