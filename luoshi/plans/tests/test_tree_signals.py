"""The plan tree's signals (plans.signals, filled by reporting.signals and alerts.signals): progress against
planned pace, the worst open warning, rolled up the tree; in one statement whatever the plan's size."""

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.choices import Level, RuleCode
from luoshi.alerts.models import Warning
from luoshi.conftest import World
from luoshi.org.queries import access_for
from luoshi.plans import actions as plan_actions
from luoshi.plans import queries, signals
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import PlanItem
from luoshi.plans.signals import Context, Part, Provider, read_tree, signals_for
from luoshi.reporting.models import Pulse, TrajectoryPoint
from luoshi.reporting.progress import planned_progress

TODAY = date(2026, 7, 2)
NOW = datetime(2026, 7, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _warning(world: World, item: PlanItem, rule: str, level: str, reason: str) -> Warning:
    assert item.lead_unit is not None
    return Warning.objects.create(
        zone=world.zone,
        rule=rule,
        item=item,
        unit=item.lead_unit,
        level=level,
        reason=reason,
        opened_at=NOW,
        updated_at=NOW,
    )


def _pulse(world: World, item: PlanItem, *progress: float) -> None:
    Pulse.objects.create(item=item, zone=world.zone, progress=list(progress), days=[0] * len(progress))


@pytest.fixture
def lit(world: World, clock: None) -> World:
    """item_a (区科技局, due 30 June) overdue at 40 %; item_b (区发改局, co-op 区科技局) red behind at 30 %;
    item_c (区发改局) yellow stalled, never reported."""
    _warning(world, world.item_b, RuleCode.BEHIND, Level.RED, "进度滞后：实际30%，序时50%")
    _warning(world, world.item_c, RuleCode.STALLED, Level.YELLOW, "连续三期进度未变化")
    _pulse(world, world.item_a, 40.0, 35.0)
    _pulse(world, world.item_b, 30.0)
    return world


def _read(world: World, persona: str = "supervisor") -> dict[int, signals.Signal]:
    access = access_for(world.user(persona), "alpha")
    return signals_for(signals.scope(access, world.plan), Context(access, TODAY, world.plan.year))


def test_providers_are_registered_by_the_apps_above() -> None:
    assert {p.name for p in signals.registered()} >= {"reporting", "alerts"}


def test_leaf_signals(lit: World) -> None:
    read = _read(lit)
    a, b, c = read[lit.item_a.pk], read[lit.item_b.pk], read[lit.item_c.pk]
    assert (a.progress, a.planned) == (Decimal("40.0"), Decimal("100.0"))  # due 30 June: all planned
    assert a.gap == Decimal("-60.0") and a.dot == "" and (a.leaves, a.overdue, a.behind) == (1, 1, 0)
    assert (b.progress, b.planned) == (Decimal("30.0"), Decimal("50.0"))  # 182 of 364 days
    assert b.dot == "red" and b.tooltip == "进度滞后：实际30%，序时50%" and b.behind == 1
    assert c.progress is None and c.planned == Decimal("66.9") and c.dot == "yellow" and c.behind == 1


def test_the_task_rolls_up_the_worst_and_the_share_behind(lit: World) -> None:
    task = _read(lit)[lit.task.pk]
    assert task.level == "" and task.dot == "red"
    assert task.tooltip == "建设创新平台：进度滞后：实际30%，序时50%"
    assert (task.leaves, task.behind, task.overdue) == (3, 2, 1)
    assert task.behind_share == pytest.approx(200 / 3)
    assert task.progress is None and task.planned is None


def test_done_and_cancelled_leave_the_counts(lit: World) -> None:
    PlanItem.objects.filter(pk=lit.item_a.pk).update(status=ItemStatus.DONE)
    PlanItem.objects.filter(pk=lit.item_c.pk).update(status=ItemStatus.CANCELLED)
    read = _read(lit)
    assert (read[lit.task.pk].leaves, read[lit.task.pk].overdue) == (1, 0)
    assert read[lit.item_a.pk].progress == Decimal("40.0") and read[lit.item_a.pk].planned is None


def test_resolved_warnings_and_blue_ones_show_no_dot(lit: World) -> None:
    Warning.objects.filter(item=lit.item_b).update(resolved_at=NOW)
    Warning.objects.filter(item=lit.item_c).update(level=Level.BLUE)
    read = _read(lit)
    assert read[lit.task.pk].dot == "" and read[lit.item_c.pk].dot == ""
    assert read[lit.task.pk].behind == 1  # item_c's pace warning still holds it behind


def test_a_unit_sees_the_warnings_it_may_see(lit: World) -> None:
    """区科技局 co-operates on item_b; the warning is 区发改局's, which its people do not see."""
    read = _read(lit, "liaison")
    assert set(read) == {lit.item_a.pk, lit.item_b.pk}
    assert read[lit.item_b.pk].dot == "" and read[lit.item_b.pk].progress == Decimal("30.0")


def test_planned_follows_milestones_and_trajectory_by_the_rule(lit: World) -> None:
    item = lit.item_c
    plan_actions.add_milestone(item, "立项", date(2026, 3, 1), Decimal(1), None)
    plan_actions.add_milestone(item, "开工", date(2026, 8, 1), Decimal(3), None)
    plan_actions.add_milestone(item, "未定", None, Decimal(5), None)
    read = _read(lit)[item.pk]
    milestones = [(date(2026, 3, 1), Decimal(1)), (date(2026, 8, 1), Decimal(3))]
    expected = planned_progress(TODAY, date(2026, 1, 1), date(2026, 9, 30), milestones)
    assert read.planned == expected == Decimal("25.0")
    for on, planned in [(date(2026, 4, 1), "20"), (date(2026, 8, 31), "70"), (date(2026, 9, 30), "100")]:
        TrajectoryPoint.objects.create(zone=lit.zone, item=item, on=on, planned=Decimal(planned))
    points = [(p.on, p.planned) for p in TrajectoryPoint.objects.filter(item=item)]
    expected = planned_progress(TODAY, date(2026, 1, 1), date(2026, 9, 30), milestones, points)
    assert _read(lit)[item.pk].planned == expected
    assert expected == Decimal("50.3")  # 20 + 50 × 92 / 152: between 1 April and 31 August
    TrajectoryPoint.objects.filter(item=item, on__gt=TODAY).delete()
    assert _read(lit)[item.pk].planned == Decimal("20.0")  # past the last point: its value


def test_one_statement_whatever_the_size(
    lit: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    access = access_for(lit.user("supervisor"), "alpha")
    context = Context(access, TODAY, lit.plan.year)
    with django_assert_num_queries(1):
        read_tree(signals.scope(access, lit.plan), context)
    for n in range(30):
        item = plan_actions.add_item(
            lit.plan, lit.task, {"title": f"措施{n}", "lead_unit": lit.dev}, [], None
        )
        _warning(lit, item, RuleCode.BEHIND, Level.YELLOW, "滞后")
        _pulse(lit, item, float(n))
    with django_assert_num_queries(1):
        read = read_tree(signals.scope(access, lit.plan), context).signals
    assert read[lit.task.pk].leaves == 33 and read[lit.task.pk].behind == 32


def test_the_overview_counts_are_plan_summarys(lit: World) -> None:
    PlanItem.objects.filter(pk=lit.item_c.pk).update(status=ItemStatus.DONE)
    access = access_for(lit.user("supervisor"), "alpha")
    for filters in (
        queries.PlanFilters(),
        queries.PlanFilters(unit=lit.dev),
        queries.PlanFilters(overdue=True),
    ):
        items = queries.filtered_items(access, lit.plan, filters, TODAY)
        summary = read_tree(items, Context(access, TODAY, lit.plan.year)).summary(TODAY)
        assert summary == queries.plan_summary(access, lit.plan, filters, TODAY)


def test_a_provider_registers_once_by_name(lit: World) -> None:
    def annotate(context: Context) -> dict[str, object]:
        return {}

    def read(values: object, facts: signals.ItemFacts, context: Context) -> Part:
        return Part(level="red", reason=f"测试：{facts.title}") if facts.pk == lit.item_a.pk else Part()

    before = len(signals.registered())
    try:
        signals.register(Provider("test", annotate, read))
        signals.register(Provider("test", annotate, read))
        assert len(signals.registered()) == before + 1
        assert _read(lit)[lit.task.pk].dot == "red"
    finally:
        signals._providers.pop("test")


def _page(client: Client, world: World, **params: str) -> str:
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": world.plan.pk})
    return client.get(url, params).content.decode()


def test_the_page_shows_dots_bars_and_roll_ups(lit: World, login: Callable[[User], Client]) -> None:
    body = _page(login(lit.user("supervisor")), lit)
    assert body.count('class="dot lv-red sig-dot"') == 2  # item_b and the task
    assert body.count('class="dot lv-yellow sig-dot"') == 1
    assert 'title="建设创新平台：进度滞后：实际30%，序时50%"' in body
    assert 'data-progress="30.0" data-planned="50.0"' in body and ">-20<" in body
    assert "报送进度 30% · 序时进度 50% · 差 -20 个百分点" in body
    assert 'data-behind="2" data-leaves="3"' in body and "滞后 2/3" in body and "逾期 1" in body
    assert "尚未报送进度 · 序时进度 66.9%" in body and "未报" in body


def test_the_plan_page_with_signals_stays_within_ten_queries(
    lit: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(lit.user("supervisor"))
    _page(client, lit)
    for n in range(40):
        item = plan_actions.add_item(
            lit.plan, lit.task, {"title": f"措施{n}", "lead_unit": lit.dev}, [lit.tech], None
        )
        _warning(lit, item, RuleCode.BEHIND, Level.RED, "滞后")
        _pulse(lit, item, float(n))
    with django_assert_max_num_queries(10):
        body = _page(client, lit)
    assert body.count("sig-dot") == 43  # 40 measures, item_b, item_c and the task
    liaison = login(lit.user("liaison"))
    _page(liaison, lit)
    with django_assert_max_num_queries(10):
        body = _page(liaison, lit)
    assert body.count("sig-dot") == 0  # 区科技局 sees none of 区发改局's warnings


def test_rows_loaded_on_demand_roll_up_their_subtree(
    lit: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    measure = plan_actions.add_item(lit.plan, lit.task, {"title": "分项工程", "lead_unit": lit.dev}, [], None)
    sub = plan_actions.add_item(lit.plan, measure, {"title": "子项", "lead_unit": lit.dev}, [], None)
    _warning(lit, sub, RuleCode.TARGET, Level.YELLOW, "指标滞后")
    client = login(lit.user("supervisor"))
    url = reverse(
        "plans:plan_children", kwargs={"zone": "alpha", "plan_id": lit.plan.pk, "item_id": lit.task.pk}
    )
    with django_assert_max_num_queries(8):
        body = client.get(url).content.decode()
    assert 'title="子项：指标滞后"' in body and 'data-behind="1" data-leaves="1"' in body


def test_progress_is_read_for_the_rows_shown_and_warnings_for_the_roll_up(lit: World) -> None:
    access = access_for(lit.user("supervisor"), "alpha")
    context = Context(access, TODAY, lit.plan.year)
    read = read_tree(signals.scope(access, lit.plan), context, shown={lit.item_a.pk}).signals
    assert read[lit.item_a.pk].progress == Decimal("40.0") and read[lit.item_b.pk].progress is None
    assert read[lit.item_b.pk].dot == "red" and read[lit.task.pk].dot == "red"
    assert (read[lit.task.pk].leaves, read[lit.task.pk].behind) == (3, 2)
