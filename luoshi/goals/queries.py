"""Reads of goals through the user's Access: the line of sight is the zone's, for its zone-wide roles."""

from django.db.models import QuerySet
from django.http import Http404

from luoshi.goals.models import Goal
from luoshi.org.queries import Access


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
