import pytest

from luoshi.conftest import World
from luoshi.plans import actions, queries
from luoshi.plans.models import Plan, PlanItem


def _outline(plan: Plan) -> list[tuple[int, str]]:
    return [(i.depth, i.title) for i in PlanItem.objects.filter(plan=plan).order_by("path")]


def test_reorder_among_siblings(world: World) -> None:
    actions.move_item(world.item_c, world.task, 0, None)
    assert _outline(world.plan) == [
        (1, "科技创新"),
        (2, "扩大有效投资"),
        (2, "培育高新技术企业"),
        (2, "建设创新平台"),
    ]
    actions.move_item(world.item_c, world.task, None, None)
    assert _outline(world.plan)[-1] == (2, "扩大有效投资")


def test_move_subtree_to_another_parent_and_level(world: World) -> None:
    grandchild = actions.add_item(world.plan, world.item_a, {"title": "开展培训"}, [], None)
    second = actions.add_item(world.plan, None, {"code": "二、", "title": "项目建设"}, [], None)
    moved = actions.move_item(world.item_a, second, None, world.user("supervisor"))
    assert moved.parent == second and moved.depth == 2
    assert _outline(world.plan) == [
        (1, "科技创新"),
        (2, "建设创新平台"),
        (2, "扩大有效投资"),
        (1, "项目建设"),
        (2, "培育高新技术企业"),
        (3, "开展培训"),
    ]
    grandchild.refresh_from_db()
    assert grandchild.path.startswith(moved.path) and [a.pk for a in queries.ancestors(grandchild)] == [
        second.pk,
        moved.pk,
    ]
    # Up to the top level: depths shrink by one for the whole subtree.
    actions.move_item(moved, None, 0, None)
    assert _outline(world.plan)[:2] == [(1, "培育高新技术企业"), (2, "开展培训")]
    assert moved.history.first().history_user is None and moved.history.all()[1].history_user == world.user(
        "supervisor"
    )


def test_cannot_move_under_itself(world: World) -> None:
    child = actions.add_item(world.plan, world.item_a, {"title": "开展培训"}, [], None)
    with pytest.raises(actions.MoveRefused):
        actions.move_item(world.item_a, child, None, None)
    with pytest.raises(actions.MoveRefused):
        actions.move_item(world.task, world.item_b, None, None)
    with pytest.raises(actions.MoveRefused):
        actions.move_item(world.item_a, world.other_plan.items.get(), None, None)
    assert _outline(world.plan)[1] == (2, "培育高新技术企业")
