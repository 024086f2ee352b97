from luoshi.conftest import World
from luoshi.plans import actions
from luoshi.plans.choices import PlanStatus
from luoshi.plans.models import Plan


def test_issue_and_withdraw(world: World) -> None:
    actions.withdraw_plan(world.plan, None)
    assert Plan.objects.get(pk=world.plan.pk).status == PlanStatus.DRAFT
    actions.issue_plan(world.plan, world.user("supervisor"))
    plan = Plan.objects.get(pk=world.plan.pk)
    assert plan.status == PlanStatus.ISSUED and plan.issued_at is not None
    assert plan.history.first().history_user == world.user("supervisor")


def test_update_plan_level_names(world: World) -> None:
    actions.update_plan(world.plan, {"level_names": ["任务", "措施", "子措施"]}, None)
    plan = Plan.objects.get(pk=world.plan.pk)
    assert plan.level_name(3) == "子措施"
    assert plan.level_name(4) == "第4级"


def test_delete_plan(world: World) -> None:
    actions.delete_plan(world.other_plan, None)
    assert not Plan.objects.filter(pk=world.other_plan.pk).exists()
