"""Writes of the line of sight: name a goal's scheme and target rank, link items to indicators and projects to
items (many at once, as the bulk "select many → link" does), and unlink. Each write keeps its history rows and
refuses what crosses zones or does not exist, with a message in the user's language."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from luoshi.assessment.models import Indicator, Scheme
from luoshi.goals.models import Goal, IndicatorLink, ProjectLink
from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.plans.models import PlanItem
from luoshi.projects.models import Project

MAX_RANK = 500  # national rankings list under 200 zones; a larger "target" is a typing slip


class LinkRefused(Exception):
    """The link cannot be made; the message says why."""


def _same_zone(zone_id: int, *groups: Sequence[PlanItem | Indicator | Project | Scheme]) -> None:
    if any(x.zone_id != zone_id for group in groups for x in group):
        raise LinkRefused(_("事项、指标、项目和方案须属于同一园区"))


@transaction.atomic
def set_goal(item: PlanItem, scheme: Scheme, target_rank: int, user: Actor) -> Goal:
    """The scheme that measures the goal and the rank it aims at (a goal has one; setting it again changes it)."""
    _same_zone(item.zone_id, [scheme])
    if not 1 <= target_rank <= MAX_RANK:
        raise LinkRefused(_("目标名次应在 1 到 %(max)d 之间") % {"max": MAX_RANK})
    goal = Goal.objects.select_for_update().filter(item=item).first()
    if goal is None:
        goal = Goal(zone_id=item.zone_id, item=item, scheme=scheme, target_rank=target_rank)
        changed_by(goal, user)
        goal.save()
        return goal
    apply_changes(goal, ["scheme", "target_rank"], {"scheme": scheme, "target_rank": target_rank}, user)
    return goal


def _link(model: type[IndicatorLink] | type[ProjectLink], pairs: list[tuple[Any, Any]], user: Actor) -> int:
    """Bulk-create the links (first, second) that do not exist yet, with their history rows."""
    first, second = ("item", "indicator") if model is IndicatorLink else ("project", "item")
    have = set(
        model.objects.filter(
            **{f"{first}__in": {a for a, _b in pairs}, f"{second}__in": {b for _a, b in pairs}}
        ).values_list(f"{first}_id", f"{second}_id")
    )
    new = [model(zone_id=a.zone_id, **{first: a, second: b}) for a, b in pairs if (a.pk, b.pk) not in have]
    bulk_create_with_history(new, model, batch_size=500, default_user=user)
    return len(new)


@transaction.atomic
def link_indicators(items: Sequence[PlanItem], indicators: Sequence[Indicator], user: Actor) -> int:
    """Every item to every indicator; links that exist already are kept. Returns how many are new."""
    if not items or not indicators:
        return 0
    _same_zone(items[0].zone_id, items, indicators)
    return _link(IndicatorLink, [(i, x) for i in items for x in indicators], user)


@transaction.atomic
def link_projects(projects: Sequence[Project], items: Sequence[PlanItem], user: Actor) -> int:
    """Every project to every item it carries; existing links are kept. Returns how many are new."""
    if not projects or not items:
        return 0
    _same_zone(projects[0].zone_id, projects, items)
    return _link(ProjectLink, [(p, i) for p in projects for i in items], user)


@transaction.atomic
def unlink(link: IndicatorLink | ProjectLink | Goal, user: Actor) -> None:
    changed_by(link, user)
    link.delete()
