"""Linking (goals.actions): a goal's scheme and target rank, items to indicators and projects to items in bulk,
kept once, with history, never across zones."""

import pytest

from luoshi.conftest import World
from luoshi.goals import actions
from luoshi.goals.models import Goal, IndicatorLink, ProjectLink
from luoshi.goals.tests.conftest import National
from luoshi.plans import actions as plan_actions


def test_bulk_links_are_made_once(world: World, national: National) -> None:
    items = [world.item_a, world.item_b]
    indicators = [national.indicators["RD"], national.indicators["PAT"]]
    assert actions.link_indicators(items, indicators, world.user("supervisor")) == 4
    assert actions.link_indicators(items, indicators[:1], world.user("supervisor")) == 0
    assert IndicatorLink.objects.filter(zone=world.zone).count() == 4
    assert IndicatorLink.history.filter(history_user=world.user("supervisor")).count() == 4
    assert actions.link_projects([national.project], items, world.user("supervisor")) == 2
    assert actions.link_projects([national.project], items, None) == 0
    link = ProjectLink.objects.get(item=world.item_a)
    actions.unlink(link, world.user("admin"))
    assert not ProjectLink.objects.filter(item=world.item_a).exists()
    assert ProjectLink.history.filter(history_type="-").get().history_user == world.user("admin")


def test_setting_a_goal_again_changes_it(world: World, national: National) -> None:
    goal = actions.set_goal(world.task, national.scheme, 5, world.user("supervisor"))
    assert goal.pk == national.goal.pk and Goal.objects.get().target_rank == 5
    assert goal.history.count() == 2


@pytest.mark.parametrize("rank", [0, 501])
def test_a_target_rank_in_range(world: World, national: National, rank: int) -> None:
    with pytest.raises(actions.LinkRefused, match="目标名次应在 1 到 500 之间"):
        actions.set_goal(world.task, national.scheme, rank, None)
    assert Goal.objects.get().target_rank == 2


def test_nothing_across_zones(world: World, national: National) -> None:
    theirs = plan_actions.add_item(world.other_plan, None, {"title": "乙区措施"}, [], None)
    with pytest.raises(actions.LinkRefused, match="同一园区"):
        actions.link_indicators([theirs], [national.indicators["RD"]], None)
    with pytest.raises(actions.LinkRefused, match="同一园区"):
        actions.link_projects([national.project], [theirs], None)
    with pytest.raises(actions.LinkRefused, match="同一园区"):
        actions.set_goal(theirs, national.scheme, 3, None)
    assert not IndicatorLink.objects.exists() and not ProjectLink.objects.exists()
