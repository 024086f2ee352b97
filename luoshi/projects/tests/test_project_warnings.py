"""The key-project rules in the sweep: start overdue, investment behind 序时进度, stage slips, blockers past
their deadline, started but not in the statistics."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client

from luoshi.alerts.choices import BehindProfile, RuleCode
from luoshi.alerts.models import Warning
from luoshi.alerts.tests.conftest import at, only, sweep_at
from luoshi.conftest import World
from luoshi.notices.models import Notification
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.actions import investment as investment_actions
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.actions import stages as stage_actions
from luoshi.projects.choices import Stage
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.warning_rules import months_between

START, INVEST, STAGE, BLOCKER, STATS = (
    RuleCode.PROJECT_START,
    RuleCode.PROJECT_INVESTMENT,
    RuleCode.PROJECT_STAGE,
    RuleCode.PROJECT_BLOCKER,
    RuleCode.PROJECT_STATS,
)


def opened(world: World) -> dict[tuple[str, str], tuple[str, str]]:
    """(rule, project name) → (level, reason) of the zone's open project warnings."""
    rows = Warning.objects.filter(zone=world.zone, resolved_at__isnull=True, project__isnull=False)
    found = {}
    for w in rows.select_related("project"):
        assert w.project is not None
        found[(w.rule, w.project.name)] = (w.level, w.reason)
    return found


def test_the_ledger_on_3_december(world: World, ledger: Ledger) -> None:
    sweep_at(world, at(2026, 12, 3, 9))
    found = opened(world)
    assert found[(START, "科创中心")] == ("red", "计划2026-05开工，已过7个月仍未开工")
    assert found[(INVEST, "智能装备产业园")] == (
        "red",
        "年度计划投资6,000万元，1-10月应完成5,000万元，实际1,000万元，低于序时进度66.7个百分点",
    )
    assert found[(BLOCKER, "智能装备产业园")] == (
        "yellow",
        "问题“供电线路未接入”应于2026-11-30解决，已逾期3天",
    )
    assert found[(STATS, "智能装备产业园")] == ("red", "2026-03-15开工，已满8个月未纳入统计（入库）")
    # The sub-project has not started and has no monthly plan: nothing to fall behind yet.
    assert not any(name == "科创中心一期" for _rule, name in found)
    # The blocker is the development bureau's to solve; the rest are the responsible units'.
    units = dict(
        Warning.objects.filter(zone=world.zone, project__isnull=False).values_list("rule", "unit_id")
    )
    assert units[BLOCKER] == world.dev.pk and units[STATS] == world.tech.pk and units[START] == world.dev.pk
    # No project of the other zone is looked at.
    assert not Warning.objects.filter(project=ledger.foreign).exists()


def test_start_overdue_is_yellow_after_the_month_and_red_three_months_on(
    world: World, ledger: Ledger
) -> None:
    only(world, START)
    sweep_at(world, at(2026, 5, 31, 9))
    assert opened(world) == {}
    sweep_at(world, at(2026, 6, 1, 9))
    assert opened(world)[(START, "科创中心")][0] == "yellow"
    sweep_at(world, at(2026, 8, 1, 9))
    assert opened(world)[(START, "科创中心")][0] == "red"
    stage_actions.set_stage_dates(ledger.hub, {Stage.STARTED: (date(2026, 5, 1), date(2026, 8, 2))}, None)
    result = sweep_at(world, at(2026, 8, 3, 9))
    assert result.resolved == 1 and opened(world) == {}


def test_investment_bands_follow_the_yinchuan_profile(world: World, ledger: Ledger) -> None:
    only(world, INVEST)
    factory = ledger.factory
    # 1-10月: plan 5,000 of 6,000; 10 points is 600.
    for done, level in [("4500", None), ("4400", "yellow"), ("3200", "yellow"), ("3100", "red")]:
        investment_actions.record_investment(factory, 10, Decimal(done), None)
        sweep_at(world, at(2026, 11, 20, 9))
        assert opened(world).get((INVEST, factory.name), (None,))[0] == level, done


def test_a_monthly_plan_replaces_the_linear_share(world: World, ledger: Ledger) -> None:
    only(world, INVEST)
    plan = {m: Decimal(0) for m in range(1, 7)} | {m: Decimal(500 * (m - 6)) for m in range(7, 13)}
    investment_actions.set_monthly_plan(ledger.factory, plan, None)  # 1-10月 plan: 2,000
    investment_actions.record_investment(ledger.factory, 10, Decimal("1500"), None)  # 8.3 points behind
    sweep_at(world, at(2026, 11, 20, 9))
    assert opened(world) == {}
    # A project not yet started but with a monthly plan is held to it.
    investment_actions.set_monthly_plan(ledger.hub_phase, {10: Decimal("5000")}, None)
    sweep_at(world, at(2026, 11, 20, 9))
    level, reason = opened(world)[(INVEST, "科创中心一期")]
    assert level == "red" and "1-10月应完成5,000万元，实际0万元" in reason


def test_the_relative_shortfall_profile(world: World, ledger: Ledger) -> None:
    profile = {"profile": BehindProfile.SHORTFALL_REL.value}
    only(world, INVEST, **{INVEST.value: profile})
    investment_actions.record_investment(
        ledger.factory, 10, Decimal("2600"), None
    )  # 48 % of the plan to date missing
    sweep_at(world, at(2026, 11, 20, 9))
    level, reason = opened(world)[(INVEST, ledger.factory.name)]
    assert level == "yellow"
    assert reason == "1-10月计划完成投资5,000万元，实际2,600万元，差距为计划的48%"
    investment_actions.record_investment(ledger.factory, 10, Decimal("2400"), None)
    sweep_at(world, at(2026, 11, 20, 9))
    assert opened(world)[(INVEST, ledger.factory.name)][0] == "red"


def test_no_actual_figure_counts_as_nothing_done_by_last_month(world: World, ledger: Ledger) -> None:
    only(world, INVEST)
    investment_actions.record_investment(ledger.factory, 10, None, None)
    sweep_at(world, at(2026, 3, 10, 9))  # February closed: 1,000 planned, nothing reported
    assert "1-2月应完成1,000万元，实际0万元" in opened(world)[(INVEST, ledger.factory.name)][1]
    sweep_at(world, at(2026, 1, 10, 9))  # no month closed yet
    assert opened(world) == {}


def test_stage_slip_names_the_earliest_stage_missed(world: World, ledger: Ledger) -> None:
    only(world, STAGE)
    stage_actions.set_stage_dates(ledger.factory, {Stage.CAPPED: (date(2026, 9, 30), None)}, None)
    stage_actions.set_stage_dates(ledger.factory, {Stage.COMPLETED: (date(2026, 11, 30), None)}, None)
    sweep_at(world, at(2026, 10, 20, 9))
    assert opened(world)[(STAGE, ledger.factory.name)] == ("yellow", "计划2026-09-30主体封顶，已滞后20天")
    sweep_at(world, at(2026, 12, 3, 9))
    assert opened(world)[(STAGE, ledger.factory.name)] == (
        "red",
        "计划2026-09-30主体封顶，已滞后64天，另有1个节点滞后",
    )
    # Reaching the stage clears it (recording completion reaches capping too).
    stage_actions.set_stage_dates(
        ledger.factory, {Stage.COMPLETED: (date(2026, 11, 30), date(2026, 12, 1))}, None
    )
    sweep_at(world, at(2026, 12, 3, 10))
    assert opened(world) == {}


def test_blockers_turn_red_after_fifteen_days_and_clear_with_销号(world: World, ledger: Ledger) -> None:
    only(world, BLOCKER)
    sweep_at(world, at(2026, 11, 30, 9))
    assert opened(world) == {}
    sweep_at(world, at(2026, 12, 16, 9))
    assert opened(world)[(BLOCKER, ledger.factory.name)][0] == "red"
    blocker_actions.clear_blocker(ledger.blocker, "已接入", date(2026, 12, 16), None)
    result = sweep_at(world, at(2026, 12, 16, 10))
    assert result.resolved == 1 and opened(world) == {}


def test_statistics_entry(world: World, ledger: Ledger) -> None:
    only(world, STATS)
    sweep_at(world, at(2026, 4, 14, 9))
    assert opened(world) == {}
    sweep_at(world, at(2026, 4, 15, 9))
    assert opened(world)[(STATS, ledger.factory.name)][0] == "yellow"
    sweep_at(world, at(2026, 5, 15, 9))
    assert opened(world)[(STATS, ledger.factory.name)][0] == "yellow"
    sweep_at(world, at(2026, 5, 16, 9))
    assert opened(world)[(STATS, ledger.factory.name)][0] == "red"
    ledger_actions.update_project(ledger.factory, {"stats_entered_on": date(2026, 5, 20)}, None)
    sweep_at(world, at(2026, 5, 21, 9))
    assert opened(world) == {}


def test_last_year_s_ledger_is_not_swept(world: World, ledger: Ledger) -> None:
    sweep_at(world, at(2027, 2, 1, 9))
    assert opened(world) == {}


def test_the_unit_is_told_with_the_project_s_name(world: World, ledger: Ledger) -> None:
    only(world, START)
    sweep_at(world, at(2026, 9, 1, 9))
    titles = list(
        Notification.objects.filter(recipient=world.user("liaison_dev")).values_list("title", flat=True)
    )
    assert titles == ["【红色预警】科创中心"]


def test_months_between() -> None:
    assert months_between(date(2026, 3, 15), date(2026, 5, 14)) == 1
    assert months_between(date(2026, 3, 15), date(2026, 5, 15)) == 2
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert months_between(date(2026, 1, 31), date(2026, 2, 27)) == 0


def test_a_project_warning_on_the_warning_pages(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    only(world, START)
    sweep_at(world, at(2026, 9, 1, 9))
    warning = Warning.objects.get(project=ledger.hub)
    client = login(world.user("supervisor"))
    page = client.get(f"/z/{world.zone.code}/warnings/{warning.pk}/").content.decode()
    assert f"/z/{world.zone.code}/projects/{ledger.hub.pk}/" in page and "计划2026-05开工" in page
    listing = client.get(f"/z/{world.zone.code}/warnings/").content.decode()
    assert "科创中心" in listing and "项目未按期开工" in listing
    # An order made from it starts with the project's name and the reason.
    form = client.get(f"/z/{world.zone.code}/orders/new/?warning={warning.pk}").content.decode()
    assert "科创中心：计划2026-05开工，已过4个月仍未开工" in form
    # The development bureau's liaison sees it; the technology bureau's does not.
    assert (
        login(world.user("liaison_dev")).get(f"/z/{world.zone.code}/warnings/{warning.pk}/").status_code
        == 200
    )
    assert login(world.user("liaison")).get(f"/z/{world.zone.code}/warnings/{warning.pk}/").status_code == 404


def test_projects_started_in_earlier_years_are_taken_as_entered(world: World, ledger: Ledger) -> None:
    only(world, STATS)
    stage_actions.set_stage_dates(
        ledger.factory, {Stage.STARTED: (date(2025, 3, 1), date(2025, 3, 15))}, None
    )
    sweep_at(world, at(2026, 6, 1, 9))
    assert opened(world) == {}


def test_a_major_project_behind_through_its_sub_project_is_warned_once(world: World, ledger: Ledger) -> None:
    only(world, INVEST)
    ledger_actions.update_project(ledger.hub, {"stage": Stage.STARTED}, None)
    ledger_actions.update_project(ledger.hub_phase, {"stage": Stage.STARTED}, None)
    investment_actions.record_investment(ledger.hub, 10, Decimal("1000"), None)  # 3 % of 30,000
    investment_actions.record_investment(ledger.hub_phase, 10, Decimal("1000"), None)  # 10 % of 10,000
    sweep_at(world, at(2026, 11, 20, 9))
    found = opened(world)
    assert (INVEST, "科创中心一期") in found and (INVEST, "科创中心") not in found
