from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.conftest import World
from luoshi.plans import actions, queries
from luoshi.plans.models import ItemCoUnit, Milestone, PlanItem, Target


def test_add_item_allocates_sortable_paths(world: World) -> None:
    second = actions.add_item(world.plan, None, {"code": "二、", "title": "项目建设"}, [], None)
    child = actions.add_item(world.plan, second, {"title": "重点项目开工"}, [world.dev], None)
    assert world.task.path == "0000"
    assert [world.item_a.path, world.item_b.path, world.item_c.path] == ["00000000", "00000001", "00000002"]
    assert second.path == "0001" and child.path == "00010000" and child.depth == 2
    ordered = list(PlanItem.objects.filter(plan=world.plan).values_list("title", flat=True))
    assert ordered == [
        "科技创新",
        "培育高新技术企业",
        "建设创新平台",
        "扩大有效投资",
        "项目建设",
        "重点项目开工",
    ]


def test_segment_is_fixed_width_base36() -> None:
    assert PlanItem.segment(0) == "0000"
    assert PlanItem.segment(35) == "000z"
    assert PlanItem.segment(36) == "0010"
    assert PlanItem.segment(36**4 - 1) == "zzzz"


def test_subtree_ancestors_and_unit_items_are_one_query_each(world: World) -> None:
    deep = actions.add_item(world.plan, world.item_a, {"title": "子措施"}, [], None)
    with CaptureQueriesContext(connection) as ctx:
        assert [i.pk for i in queries.subtree(world.task)] == [
            world.task.pk,
            world.item_a.pk,
            deep.pk,
            world.item_b.pk,
            world.item_c.pk,
        ]
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert [i.pk for i in queries.ancestors(deep)] == [world.task.pk, world.item_a.pk]
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        ids = set(PlanItem.objects.filter(queries.unit_items_q([world.tech.pk])).values_list("pk", flat=True))
    assert ids == {world.item_a.pk, world.item_b.pk}
    assert len(ctx.captured_queries) == 1


def test_update_item_records_field_changes_with_user(world: World) -> None:
    supervisor = world.user("supervisor")
    actions.update_item(world.item_a, {"due_date": date(2026, 9, 30), "title": "培育高企"}, supervisor)
    history = queries.item_history(world.item_a)
    change = history[0]
    assert change.who == "supervisor"
    fields = {c.field: (c.old, c.new) for c in change.changes}
    assert fields["完成时限"] == ("2026-06-30", "2026-09-30")
    assert fields["标题"] == ("培育高新技术企业", "培育高企")


def test_unchanged_update_writes_no_history(world: World) -> None:
    before = world.item_a.history.count()
    actions.update_item(world.item_a, {"title": world.item_a.title}, None)
    assert world.item_a.history.count() == before


def test_co_units_added_and_removed_are_recorded(world: World) -> None:
    supervisor = world.user("supervisor")
    actions.update_item(world.item_b, {}, supervisor, co_units=[world.office])
    assert list(ItemCoUnit.objects.filter(item=world.item_b).values_list("unit__name", flat=True)) == [
        "督查室"
    ]
    whats = [e.what for e in queries.item_history(world.item_b)]
    assert "新增配合单位：督查室" in whats
    assert "删除配合单位：区科技创新局" in whats


def test_lead_unit_is_never_its_own_co_unit(world: World) -> None:
    actions.update_item(world.item_b, {}, None, co_units=[world.dev, world.tech])
    assert list(ItemCoUnit.objects.filter(item=world.item_b).values_list("unit", flat=True)) == [
        world.tech.pk
    ]


def test_delete_item_removes_subtree_and_keeps_history(world: World) -> None:
    actions.add_item(world.plan, world.item_a, {"title": "子措施"}, [], None)
    actions.delete_item(world.task, world.user("supervisor"))
    assert not PlanItem.objects.filter(plan=world.plan).exists()
    assert PlanItem.history.filter(history_type="-").count() == 5


def test_targets_and_milestones(world: World) -> None:
    target = actions.add_target(
        world.item_a,
        {"indicator": "新增高新技术企业", "unit_of_measure": "家", "target_value": Decimal("100")},
        None,
    )
    actions.update_target(target, {"target_value": Decimal("120")}, None)
    assert Target.objects.get().target_value == Decimal("120")
    milestone = actions.add_milestone(world.item_a, "完成申报", date(2026, 5, 31), Decimal("1"), None)
    actions.set_milestone_done(milestone, True, date(2026, 5, 20), None)
    milestone.refresh_from_db()
    assert milestone.done and milestone.done_on == date(2026, 5, 20)
    actions.set_milestone_done(milestone, False, date(2026, 5, 21), None)
    milestone.refresh_from_db()
    assert not milestone.done and milestone.done_on is None
    actions.delete_milestone(milestone, None)
    actions.delete_target(target, None)
    assert not Milestone.objects.exists() and not Target.objects.exists()
    whats = [e.what for e in queries.item_history(world.item_a)]
    assert any(w.startswith("删除节点") for w in whats) and any(w.startswith("删除量化指标") for w in whats)
