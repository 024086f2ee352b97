"""Reads of goals through the user's Access: the line of sight is the zone's, for its zone-wide roles."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from luoshi.assessment.models import Indicator
from luoshi.goals.models import Goal, IndicatorLink, ProjectLink, TargetBinding
from luoshi.org.queries import Access
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import PlanItem, Target
from luoshi.projects.models import Project


def can_see_goals(access: Access) -> bool:
    return access.zone_wide


def visible_goals(access: Access) -> QuerySet[Goal]:
    if not can_see_goals(access):
        return Goal.objects.none()
    return Goal.objects.filter(zone=access.zone).select_related("item", "scheme").order_by("item__path", "pk")


def get_goal(access: Access, item_id: int) -> Goal:
    goal = visible_goals(access).filter(item_id=item_id).first()
    if goal is None:
        raise Http404
    return goal


def item_indicator_links(item: PlanItem) -> QuerySet[IndicatorLink]:
    return IndicatorLink.objects.filter(item=item).select_related("indicator").order_by("indicator__code")


def project_item_links(project: Project) -> QuerySet[ProjectLink]:
    return (
        ProjectLink.objects.filter(project=project)
        .select_related("item", "item__lead_unit")
        .order_by("item__plan_id", "item__path")
    )


def item_project_links(item: PlanItem) -> QuerySet[ProjectLink]:
    return (
        ProjectLink.objects.filter(item=item)
        .select_related("project", "project__lead_unit")
        .order_by("project__position", "project_id")
    )


def get_link_for_edit(access: Access, model: type[IndicatorLink] | type[ProjectLink], link_id: int) -> Any:
    """A link of the zone, for the office to remove."""
    if not access.edits_plans:
        raise Http404
    link = model.objects.filter(zone=access.zone, pk=link_id).first()
    if link is None:
        raise Http404
    return link


def get_indicator(access: Access, indicator_id: int) -> Indicator:
    """The indicator's line of sight is the zone's, like the goal page."""
    indicator = (
        Indicator.objects.filter(zone=access.zone, pk=indicator_id).first() if can_see_goals(access) else None
    )
    if indicator is None:
        raise Http404
    return indicator


def linkable_items(access: Access, linked: list[int], year: int | None = None) -> QuerySet[PlanItem]:
    """The items of the zone's plans (of one year's plans) not yet linked, in plan order."""
    items = PlanItem.objects.filter(zone=access.zone)
    if year is not None:
        items = items.filter(plan__year=year)
    return (
        items.exclude(status=ItemStatus.CANCELLED)
        .exclude(pk__in=linked)
        .select_related("plan", "lead_unit")
        .order_by("plan__year", "plan_id", "path")
    )


def item_bindings(item: PlanItem) -> dict[int, TargetBinding]:
    """The item's targets bound to an indicator, by target id."""
    bindings = TargetBinding.objects.filter(target__item=item).select_related("indicator")
    return {b.target_id: b for b in bindings}


def get_target_for_edit(access: Access, target_id: int) -> Target:
    """A target of an item the office may edit (the zone's)."""
    target = Target.objects.filter(zone=access.zone, pk=target_id).select_related("item__plan").first()
    if target is None or not access.edits_plans:
        raise Http404
    return target


def get_binding_for_edit(access: Access, binding_id: int) -> TargetBinding:
    binding = TargetBinding.objects.filter(zone=access.zone, pk=binding_id).select_related("target").first()
    if binding is None or not access.edits_plans:
        raise Http404
    return binding
