"""The zone's home page, one per role (领导驾驶舱, 督查工作台, the unit head's and the liaison's), and the item
list behind the cockpit's counts. The plan cards every role had stay on the 年度计划 tab."""

from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from luoshi.front import cockpit as cockpit_reads
from luoshi.front import desks
from luoshi.front.pace import PACE_LABELS, PACE_RULES, PACES, PaceFilters, paced_items
from luoshi.front.ranking import rank_of, unit_ranking
from luoshi.org.choices import Role
from luoshi.org.queries import Access, visible_units
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.plans import queries
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import PlanItem

ITEM_ROWS = 500


def home_role(access: Access) -> str:
    """Which home page: the highest of the person's roles (a viewer reads the cockpit)."""
    roles = access.roles
    if roles & {Role.ADMIN, Role.LEADER}:
        return "cockpit"
    if Role.SUPERVISOR in roles:
        return "workbench"
    if Role.UNIT_HEAD in roles:
        return "unit"
    if Role.LIAISON in roles:
        return "liaison"
    return "cockpit"


@require_safe
@zone_view
def zone_home(request: ZoneRequest, access: Access) -> HttpResponse:
    if request.GET.get("tab") == "plans":
        return _plan_cards(request, access)
    today, now, role = timezone.localdate(), timezone.now(), home_role(access)
    context: dict[str, object] = {"role": role, "today": today, "nav": "plans", "tab": "home"}
    if role == "cockpit":
        context["c"] = cockpit_reads.cockpit(access, today, now)
        context["rules"] = PACE_RULES
        # 批示 and 催办 are the leaders'; the others read the order.
        context["instructs"] = Role.LEADER in access.roles
    elif role == "workbench":
        context["w"] = desks.workbench(access, today, now)
    elif role == "unit":
        ranking = unit_ranking(access, today, now)
        context["u"] = desks.unit_desk(access, today)
        context["rank"] = next(iter(rank_of(ranking, access.unit_ids)), None)
        context["units_ranked"] = len(ranking)
    else:
        weeks = desks.liaison_week(access, now)
        handed = sum(s.handed_in for s in weeks)
        context |= {"weeks": weeks, "now": now, "handed_count": handed}
        context["open_count"] = sum(len(s.items) for s in weeks) - handed
        context["mine"] = _my_items(access)
    return render(request, f"front/home_{role}.html", context)


def _plan_cards(request: ZoneRequest, access: Access) -> HttpResponse:
    """The plans as cards (done and overdue per plan) and the unit's open items: the page every role had."""
    today = timezone.localdate()
    items = queries.visible_items(access)
    open_items = ~Q(items__status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
    plans = queries.visible_plans(access).annotate(
        n_items=Count("items", filter=Q(items__in=items)),
        n_done=Count("items", filter=Q(items__in=items, items__status=ItemStatus.DONE)),
        n_overdue=Count("items", filter=Q(items__in=items, items__due_date__lt=today) & open_items),
    )
    mine = _my_items(access) if access.unit_ids and not access.zone_wide else None
    context = {"plans": plans, "mine": mine, "today": today, "nav": "plans", "tab": "plans"}
    return render(request, "front/zone_home.html", context)


def _my_items(access: Access) -> QuerySet[PlanItem]:
    """The unit's open items, soonest due first (lead or co-operating)."""
    return (
        queries.visible_items(access)
        .filter(queries.unit_items_q(access.unit_ids))
        .exclude(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
        .select_related("plan", "lead_unit")
        .order_by("due_date", "path")[:50]
    )


@require_safe
@zone_view
def item_list(request: ZoneRequest, access: Access) -> HttpResponse:
    """The items behind a count of the home pages: by pace (按序时/滞后/逾期/已完成), plan and unit."""
    today = timezone.localdate()
    plan_id, unit_id, pace = (
        request.GET.get("plan", ""),
        request.GET.get("unit", ""),
        request.GET.get("pace", ""),
    )
    filters = PaceFilters(
        pace=pace if pace in PACES else "",
        plan=queries.visible_plans(access).filter(pk=int(plan_id)).first() if plan_id.isdigit() else None,
        unit=visible_units(access).filter(pk=int(unit_id)).first() if unit_id.isdigit() else None,
    )
    items = paced_items(access, filters, today)
    rows = list(items[: ITEM_ROWS + 1])
    context = {
        "filters": filters,
        "items": rows[:ITEM_ROWS],
        "more": len(rows) > ITEM_ROWS,
        "count": len(rows) if len(rows) <= ITEM_ROWS else items.count(),
        "paces": [(p, PACE_LABELS[p]) for p in PACES],
        "label": PACE_LABELS.get(filters.pace, ""),
        "rule": PACE_RULES.get(filters.pace, ""),
        "today": today,
        "nav": "plans",
    }
    return render(request, "front/item_list.html", context)
