"""Every item's rolled-up health read from the database (goals.sight): the newest reported progress, warnings by
level, projects carrying items, children rolled into parents, cancelled branches left out."""

from luoshi.alerts.models import Warning
from luoshi.conftest import World
from luoshi.goals import actions
from luoshi.goals.health import Health
from luoshi.goals.sight import sight
from luoshi.goals.tests.conftest import NOW, National
from luoshi.plans import actions as plan_actions
from luoshi.reporting.models import Pulse


def test_the_tree_rolls_up(world: World, national: National) -> None:
    Pulse.objects.create(item=world.item_a, zone=world.zone, progress=[60, 50, 40], days=[3, 2, 1])
    Pulse.objects.create(item=world.item_c, zone=world.zone, progress=[20], days=[1])
    Warning.objects.create(
        zone=world.zone, rule="BEHIND", item=world.item_c, unit=world.dev, level="yellow", reason="滞后",
        opened_at=NOW, updated_at=NOW,
    )  # fmt: skip
    Warning.objects.create(
        zone=world.zone, rule="DUE_SOON", item=world.item_a, unit=world.tech, level="blue", reason="临近",
        opened_at=NOW, updated_at=NOW,
    )  # fmt: skip
    actions.link_projects([national.project], [world.item_b], None)
    seen = sight(world.zone)
    a, b, c = (seen.items[i.pk].rolled for i in (world.item_a, world.item_b, world.item_c))
    assert (a.health, a.progress) == (Health.ON_TRACK, 60)  # the newest figure; a blue reminder is no lag
    assert (b.health, c.health) == (Health.NO_DATA, Health.BEHIND)  # item_b's project has not reported yet
    task = seen.items[world.task.pk].rolled
    assert (task.health, task.progress, task.reasons) == (Health.BEHIND, 40, ("1 项下级事项滞后",))
    assert seen.projects_of == {world.item_b.pk: [national.project.pk]}
    assert seen.projects[national.project.pk].unit == "区发展和改革局"


def test_a_cancelled_branch_counts_for_nothing(world: World, national: National) -> None:
    plan_actions.set_item_status(world.task, "cancelled", None)
    seen = sight(world.zone)
    assert world.task.pk not in seen.items and world.item_a.pk not in seen.items


def test_a_subtree_rolls_up_as_in_the_whole_zone(world: World, national: National) -> None:
    Pulse.objects.create(item=world.item_a, zone=world.zone, progress=[60], days=[1])
    Warning.objects.create(
        zone=world.zone, rule="BEHIND", item=world.item_c, unit=world.dev, level="yellow", reason="滞后",
        opened_at=NOW, updated_at=NOW,
    )  # fmt: skip
    actions.link_projects([national.project], [world.item_b], None)
    whole = sight(world.zone)
    for item in (world.task, world.item_b):
        part = sight(world.zone, under=item)
        assert part.items[item.pk] == whole.items[item.pk]
    assert set(sight(world.zone, under=world.item_b).items) == {world.item_b.pk}


def test_only_some_subtrees_roll_up_as_in_the_whole_zone(world: World, national: National) -> None:
    Warning.objects.create(
        zone=world.zone, rule="BEHIND", item=world.item_c, unit=world.dev, level="red", reason="滞后",
        opened_at=NOW, updated_at=NOW,
    )  # fmt: skip
    actions.link_projects([national.project], [world.item_b], None)
    whole = sight(world.zone)
    part = sight(world.zone, only={world.task.pk, world.item_c.pk, world.item_b.pk})  # a root under a root
    assert set(part.items) == {world.task.pk, world.item_a.pk, world.item_b.pk, world.item_c.pk}
    assert all(part.items[pk].rolled == whole.items[pk].rolled for pk in part.items)
    assert part.projects_of == whole.projects_of
    alone = sight(world.zone, only={world.item_a.pk})
    assert set(alone.items) == {world.item_a.pk} and alone.projects == {}


def test_only_leaves_out_what_sits_under_a_cancelled_item(world: World, national: National) -> None:
    plan_actions.set_item_status(world.task, "cancelled", None)
    assert sight(world.zone, only={world.item_a.pk}).items == {}
