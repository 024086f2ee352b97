"""The bulletin's numbers against the database (bulletins.facts.gather): November 2026 read on 3 December, in a
small zone where every unit stands for one case.

- 区科技创新局: its own item done; co-operates on an overdue one (criticised for it).
- 区发展和改革局: leads the overdue item and one behind (an open yellow 进度滞后): criticised.
- 督查室: nothing at all: neither praised nor criticised.
- 区财政局: one item on pace, every weekly report on time, a red warning already resolved: praised.
- 区住建局: only an item behind (yellow 进度停滞) and a yellow project warning: neither.
- 区商务局: an open red warning on its key project, items on pace (one due on the month's last day): criticised.

A draft plan's overdue item and another zone's orders count nowhere."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from luoshi.alerts import orders
from luoshi.alerts.choices import Level, OrderState, RuleCode
from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.bulletins.choices import PeriodKind
from luoshi.bulletins.facts import Period, gather
from luoshi.bulletins.tests.conftest import NOVEMBER, TODAY, at
from luoshi.conftest import World
from luoshi.front.ranking import WEEKS, unit_ranking
from luoshi.goals import actions as goal_actions
from luoshi.goals.tests.conftest import NOW, National
from luoshi.goals.trace import trace
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.org.models import Unit
from luoshi.org.queries import Access
from luoshi.plans import actions as plan_actions
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import PlanItem
from luoshi.projects.choices import Stage
from luoshi.projects.models import InvestmentMonth, Project, StageDate
from luoshi.reporting import actions as reporting_actions
from luoshi.reporting.choices import ReportStatus
from luoshi.reporting.models import Period as ReportPeriod
from luoshi.reporting.models import Report

MONTH_END = date(2026, 11, 30)


@dataclass
class Scene:
    world: World
    fin: Unit
    build: Unit
    trade: Unit
    item_d: PlanItem  # 区财政局, on pace
    item_e: PlanItem  # 区住建局, behind
    item_f: PlanItem  # 区商务局, on pace
    item_g: PlanItem  # 区商务局, due on 30 November: not overdue as of that day
    reported: int  # 区财政局's reports, all on time


def _warning(world: World, unit: Unit, rule: str, level: str, reason: str, **subject: Any) -> Warning:
    opened = at(2026, 11, 2)
    return Warning.objects.create(
        zone=world.zone,
        rule=rule,
        unit=unit,
        level=level,
        reason=reason,
        opened_at=opened,
        updated_at=opened,
        **subject,
    )


def _item(world: World, title: str, unit: Unit, due: date) -> PlanItem:
    return plan_actions.add_item(
        world.plan, world.task, {"title": title, "lead_unit": unit, "due_date": due}, [], None
    )


def _on_time_reports(world: World, item: PlanItem) -> int:
    """A first version handed in before the deadline for every weekly period due in the ranking's weeks."""
    cycle = reporting_actions.save_cycle(
        world.plan, {"cadence": "weekly", "starts_on": date(2026, 1, 5)}, None
    )
    reporting_actions.ensure_periods(cycle, date(2026, 12, 31))
    end = at(2026, 12, 1, 0)
    due = ReportPeriod.objects.filter(cycle=cycle, due_at__gt=end - timedelta(weeks=WEEKS), due_at__lte=end)
    for period in due:
        assert item.lead_unit is not None
        Report.objects.create(
            zone=world.zone,
            item=item,
            period=period,
            unit=item.lead_unit,
            progress=Decimal(50),
            status=ReportStatus.ACCEPTED,
            submitted_at=period.due_at - timedelta(hours=3),
        )
    return due.count()


def _orders(world: World, fin: Unit, build: Unit) -> None:
    """Issued in November: three (one still open and past its deadline); closed in November: two (one issued in
    October); one issued in November and closed in December."""
    supervisor = world.user("supervisor")

    def close(order: SupervisionOrder, when: datetime) -> None:
        orders.sign_order(order, supervisor, when - timedelta(hours=2))
        orders.submit_feedback(order, "已办理", supervisor, when - timedelta(hours=1))
        orders.close_order(order, "good", "", supervisor, when)

    october = orders.issue_order(
        world.zone, "十月督办", world.dev, "请办理", date(2026, 11, 10), supervisor, now=at(2026, 10, 20)
    )
    close(october, at(2026, 11, 5))
    orders.issue_order(
        world.zone, "逾期督办", world.tech, "请办理", date(2026, 11, 20), supervisor, now=at(2026, 11, 3)
    )
    done = orders.issue_order(
        world.zone, "当月办结", fin, "请办理", date(2026, 12, 15), supervisor, now=at(2026, 11, 10)
    )
    close(done, at(2026, 11, 25))
    late = orders.issue_order(
        world.zone, "月末交办", build, "请办理", date(2026, 12, 20), supervisor, now=at(2026, 11, 28)
    )
    close(late, at(2026, 12, 2))
    # Outside the month, or in another zone: counted nowhere.
    orders.issue_order(
        world.zone, "十二月督办", world.dev, "请办理", date(2026, 12, 20), supervisor, now=at(2026, 12, 1)
    )
    other_unit = Unit.objects.get(zone=world.other_zone)
    orders.issue_order(
        world.other_zone,
        "乙区督办",
        other_unit,
        "请办理",
        date(2026, 12, 20),
        world.user("outsider"),
        now=at(2026, 11, 12),
    )


def _projects(world: World, trade: Unit, build: Unit) -> None:
    """外贸综合服务中心 20 points behind 序时进度 at the end of November, 保障房 ahead; one started and one completed in
    November, the others' dates outside it."""
    behind = Project.objects.create(
        zone=world.zone,
        year=2026,
        name="外贸综合服务中心",
        lead_unit=trade,
        annual_plan_wan=Decimal(12000),
        stage=Stage.STARTED,
    )
    ahead = Project.objects.create(
        zone=world.zone,
        year=2026,
        name="保障性住房",
        lead_unit=build,
        annual_plan_wan=Decimal(6000),
        stage=Stage.COMPLETED,
    )
    Project.objects.create(
        zone=world.zone, year=2025, name="去年的项目", lead_unit=build, annual_plan_wan=Decimal(100)
    )
    for project, month, actual in [
        (behind, 10, 6000),
        (behind, 11, 8600),
        (behind, 12, 12000),
        (ahead, 11, 6000),
    ]:
        InvestmentMonth.objects.create(
            zone=world.zone, project=project, month=month, actual_cum_wan=Decimal(actual)
        )
    for project, stage, day in [
        (behind, Stage.STARTED, date(2026, 11, 10)),
        (ahead, Stage.STARTED, date(2026, 3, 1)),
        (ahead, Stage.COMPLETED, date(2026, 11, 20)),
    ]:
        StageDate.objects.create(zone=world.zone, project=project, stage=stage, actual=day)
    StageDate.objects.create(
        zone=world.zone, project=behind, stage=Stage.COMPLETED, planned=date(2026, 11, 30)
    )
    _warning(world, trade, RuleCode.PROJECT_INVESTMENT, Level.RED, "投资滞后序时", project=behind)
    _warning(world, build, RuleCode.PROJECT_INVESTMENT, Level.YELLOW, "投资略慢", project=ahead)


@pytest.fixture
def scene(world: World, clock: time_machine.Traveller) -> Scene:
    fin = org_actions.create_unit(world.zone, "区财政局")
    build = org_actions.create_unit(world.zone, "区住建局")
    trade = org_actions.create_unit(world.zone, "区商务局")
    plan_actions.set_item_status(world.item_a, ItemStatus.DONE, None)
    plan_actions.update_item(world.item_b, {"due_date": date(2026, 10, 31)}, None)
    plan_actions.update_item(world.item_c, {"due_date": date(2026, 12, 31)}, None)
    _warning(world, world.dev, RuleCode.BEHIND, Level.YELLOW, "进度滞后", item=world.item_c)
    item_d = _item(world, "加强财政保障", fin, date(2026, 12, 31))
    item_e = _item(world, "推进老旧小区改造", build, date(2026, 12, 31))
    item_f = _item(world, "扩大外贸出口", trade, date(2026, 12, 31))
    item_g = _item(world, "举办招商推介会", trade, MONTH_END)
    _warning(world, build, RuleCode.STALLED, Level.YELLOW, "进度停滞", item=item_e)
    resolved = _warning(world, fin, RuleCode.OVERDUE, Level.RED, "逾期", item=item_d)
    Warning.objects.filter(pk=resolved.pk).update(resolved_at=at(2026, 11, 20))
    draft = plan_actions.create_plan(world.zone, 2026, "2026年专项计划", ["任务"], None)
    plan_actions.add_item(
        draft, None, {"title": "草稿计划事项", "lead_unit": fin, "due_date": date(2026, 5, 31)}, [], None
    )
    reported = _on_time_reports(world, item_d)
    _orders(world, fin, build)
    _projects(world, trade, build)
    return Scene(world, fin, build, trade, item_d, item_e, item_f, item_g, reported)


def _office(world: World) -> Access:
    return Access(zone=world.zone, user_id=0, roles=frozenset({Role.SUPERVISOR}), unit_ids=frozenset())


def test_the_period_and_its_day(scene: Scene) -> None:
    period = gather(scene.world.zone, NOVEMBER, TODAY)["period"]
    assert period == {
        "kind": "month",
        "year": 2026,
        "index": 11,
        "label": "2026-11",
        "name": "2026年11月",
        "starts_on": "2026-11-01",
        "ends_on": "2026-11-30",
        "as_of": "2026-11-30",
    }
    # A month not over yet is read as of today.
    assert (
        gather(scene.world.zone, Period(PeriodKind.MONTH, 2026, 12), TODAY)["period"]["as_of"] == "2026-12-03"
    )


def test_the_four_kinds_over_issued_plans_only(scene: Scene) -> None:
    facts = gather(scene.world.zone, NOVEMBER, TODAY)
    # done: 1.; overdue: 2.; behind: 3. and 老旧小区; on pace: 财政, 外贸, 推介会 (due on the 30th itself).
    assert facts["pace"] == {"on_pace": 3, "behind": 2, "overdue": 1, "done": 1}
    # Read as of today instead, the 推介会 is overdue too.
    assert gather(scene.world.zone, Period(PeriodKind.MONTH, 2026, 12), TODAY)["pace"]["overdue"] == 2


def test_the_lagging_items_overdue_first(scene: Scene) -> None:
    world = scene.world
    facts = gather(world.zone, NOVEMBER, TODAY)
    assert facts["lagging_total"] == 3
    rows = facts["lagging_items"]
    assert [(r["title"], r["unit"], r["due"], r["overdue"]) for r in rows] == [
        ("建设创新平台", "区发展和改革局", "2026-10-31", True),
        ("扩大有效投资", "区发展和改革局", "2026-12-31", False),
        ("推进老旧小区改造", "区住建局", "2026-12-31", False),
    ]
    assert rows[0]["id"] == world.item_b.pk and rows[0]["code"] == "2." and rows[0]["unit_id"] == world.dev.pk


def test_the_ranking_is_front_ranking(scene: Scene) -> None:
    world = scene.world
    facts = gather(world.zone, NOVEMBER, TODAY)
    expected = unit_ranking(_office(world), MONTH_END)
    assert [r["name"] for r in facts["ranking"]] == [
        "区商务局",  # an open red warning comes first
        "区发展和改革局",  # on-time rate 0, one overdue
        "区住建局",  # on-time rate 0, none overdue
        "区财政局",  # every report on time
        "区科技创新局",  # nothing owed: no rate ranks after any rate
        "督查室",
    ]
    assert facts["weeks"] == WEEKS
    for row, rank in zip(facts["ranking"], expected, strict=True):
        assert row == {
            "rank": rank.rank,
            "unit_id": rank.unit_id,
            "name": rank.name,
            "red": rank.red,
            "overdue": rank.overdue,
            "behind": rank.behind,
            "open_items": rank.open_items,
            "owed": rank.owed,
            "on_time": rank.on_time,
            "on_time_rate": rank.on_time_rate,
            "behind_share": rank.behind_share,
        }
    by_name = {r["name"]: r for r in facts["ranking"]}
    assert (by_name["区财政局"]["owed"], by_name["区财政局"]["on_time"]) == (scene.reported, scene.reported)
    assert scene.reported > 0
    assert by_name["区科技创新局"]["overdue"] == 1  # the item it co-operates on


def test_criticised_only_for_red_warnings_and_overdue_items(scene: Scene) -> None:
    facts = gather(scene.world.zone, NOVEMBER, TODAY)
    named = {u["name"]: (u["overdue_items"], u["red_warnings"]) for u in facts["criticised"]}
    assert [u["name"] for u in facts["criticised"]] == ["区商务局", "区发展和改革局", "区科技创新局"]
    assert named == {
        "区商务局": ([], ["外贸综合服务中心：投资滞后序时"]),
        "区发展和改革局": (["建设创新平台"], []),
        "区科技创新局": (["建设创新平台"], []),  # co-operates on it
    }
    # Only behind, or only yellow warnings, or a red one resolved: never criticised.
    assert not {"区住建局", "区财政局", "督查室"} & set(named)
    assert [(u["red"], u["overdue"]) for u in facts["criticised"]] == [(1, 0), (0, 1), (0, 1)]


def test_praised_have_nothing_against_them_and_every_report_on_time(scene: Scene) -> None:
    facts = gather(scene.world.zone, NOVEMBER, TODAY)
    assert [u["name"] for u in facts["praised"]] == ["区财政局"]
    (fin,) = facts["praised"]
    assert (fin["red"], fin["overdue"], fin["behind"], fin["on_time_rate"]) == (0, 0, 0, 100.0)


def test_praised_lose_it_with_a_late_report(scene: Scene) -> None:
    first = Report.objects.filter(item=scene.item_d).order_by("pk").first()
    assert first is not None
    Report.objects.filter(pk=first.pk).update(late=True)
    assert gather(scene.world.zone, NOVEMBER, TODAY)["praised"] == []


def test_orders_issued_and_closed_in_the_month(scene: Scene) -> None:
    facts = gather(scene.world.zone, NOVEMBER, TODAY)
    assert facts["orders"] == {
        "issued": 3,  # 逾期督办, 当月办结, 月末交办 (not 十月督办, 十二月督办 or the other zone's)
        "closed": 2,  # 十月督办, 当月办结 (月末交办 closed in December)
        "open": 2,  # at the month's end: 逾期督办 and 月末交办 (closed on 2 December)
        "overdue": 1,  # 逾期督办, due 20 November
        "escalated": 0,
    }
    assert SupervisionOrder.objects.filter(zone=scene.world.zone, state=OrderState.CLOSED).count() == 3


def test_orders_escalated_by_the_months_end(scene: Scene) -> None:
    supervisor = scene.world.user("supervisor")
    orders.escalate_order(SupervisionOrder.objects.get(subject="逾期督办"), supervisor, at(2026, 11, 21))
    facts = gather(scene.world.zone, NOVEMBER, TODAY)["orders"]
    assert (facts["open"], facts["overdue"], facts["escalated"]) == (2, 1, 1)
    # Answered since, and closed in December: still open and escalated at November's end.
    order = SupervisionOrder.objects.get(subject="逾期督办")
    orders.submit_feedback(order, "已办理", supervisor, at(2026, 12, 1))
    orders.close_order(order, "fair", "", supervisor, at(2026, 12, 2))
    facts = gather(scene.world.zone, NOVEMBER, TODAY)["orders"]
    assert (facts["open"], facts["escalated"]) == (2, 1)


def test_an_answered_order_is_not_overdue(scene: Scene) -> None:
    """Past its deadline with the unit's feedback waiting for the office: the unit owes nothing (alerts'
    AWAITING_FEEDBACK, as the order list counts overdue orders)."""
    supervisor = scene.world.user("supervisor")
    order = orders.sign_order(SupervisionOrder.objects.get(subject="逾期督办"), supervisor, at(2026, 11, 4))
    orders.submit_feedback(order, "已办理", supervisor, at(2026, 11, 19))
    facts = gather(scene.world.zone, NOVEMBER, TODAY)["orders"]
    assert (facts["open"], facts["overdue"]) == (2, 0)


def test_key_projects_and_those_behind(scene: Scene) -> None:
    projects = gather(scene.world.zone, NOVEMBER, TODAY)["projects"]
    assert (projects["count"], projects["month"]) == (2, 11)  # last year's project is not this year's
    assert projects["annual"] == 18000 and projects["actual"] == 8600 + 6000  # December's figure not yet
    assert projects["started"] == ["外贸综合服务中心"] and projects["completed"] == ["保障性住房"]
    (behind,) = projects["behind"]
    assert behind["name"] == "外贸综合服务中心" and behind["unit"] == "区商务局"
    assert (behind["annual"], behind["actual"]) == (12000, 8600)
    # Planned to November: 12000 × 11/12 = 11000; done 8600: 20 points of the annual plan behind.
    assert behind["gap_pp"] == pytest.approx(20.0)
    assert behind["completion"] == pytest.approx(100 * 8600 / 12000)
    assert behind["time_share"] == pytest.approx(100 * 11 / 12)


def test_october_reads_its_own_figures(scene: Scene) -> None:
    facts = gather(scene.world.zone, Period(PeriodKind.MONTH, 2026, 10), TODAY)
    projects = facts["projects"]
    assert projects["month"] == 10 and projects["started"] == [] and projects["completed"] == []
    # 保障性住房 has no figure to October: September counts as nothing done (6000 × 9/12 behind).
    assert [(b["name"], round(b["gap_pp"], 1)) for b in projects["behind"]] == [
        ("保障性住房", 75.0),
        ("外贸综合服务中心", round(100 * (10000 - 6000) / 12000, 1)),
    ]
    assert facts["orders"] == {"issued": 1, "closed": 0, "open": 1, "overdue": 0, "escalated": 0}


def test_an_overdue_item_of_last_years_plan_is_named(scene: Scene) -> None:
    """The ranking counts every issued plan's items; the criticism names the ones it counts."""
    world = scene.world
    old = plan_actions.create_plan(world.zone, 2025, "2025年重点工作", ["任务"], None)
    plan_actions.add_item(
        old,
        None,
        {"title": "去年未完成事项", "lead_unit": scene.build, "due_date": date(2025, 12, 31)},
        [],
        None,
    )
    plan_actions.issue_plan(old, None)
    facts = gather(world.zone, NOVEMBER, TODAY)
    build = next(u for u in facts["criticised"] if u["name"] == "区住建局")
    assert (build["overdue"], build["overdue_items"]) == (1, ["去年未完成事项"])
    assert facts["pace"]["overdue"] == 1 and facts["lagging_total"] == 3  # the year's plans only


def test_no_goal_no_standing(scene: Scene) -> None:
    assert gather(scene.world.zone, NOVEMBER, TODAY)["goals"] == []


def test_another_zone_reads_only_its_own(scene: Scene) -> None:
    facts = gather(scene.world.other_zone, NOVEMBER, TODAY)
    assert facts["pace"] == {"on_pace": 0, "behind": 0, "overdue": 0, "done": 0}  # its plan is a draft
    assert facts["orders"]["issued"] == 1 and facts["criticised"] == [] and facts["projects"]["count"] == 0


# The goal's standing, with the national ranking (goals/tests/conftest.py) -------------------------------------


@pytest.fixture
def standing(world: World, national: National) -> Iterator[National]:
    goal_actions.link_indicators([world.item_b], [national.indicators["PAT"]], None)
    goal_actions.link_indicators([world.item_a], [national.indicators["RD"]], None)
    Warning.objects.create(
        zone=world.zone, rule=RuleCode.OVERDUE, item=world.item_b, unit=world.dev, level=Level.RED,
        reason="逾期", opened_at=NOW, updated_at=NOW,
    )  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        yield national


def test_the_goal_standing_is_the_trace(world: World, standing: National) -> None:
    (goal,) = gather(world.zone, Period(PeriodKind.MONTH, 2026, 6), NOW.date())["goals"]
    (traced,) = trace(world.zone)
    assert traced.rank == 3 and goal["rank"] == 3 and goal["target_rank"] == 2
    assert (goal["title"], goal["scheme"], goal["benchmark"]) == (
        "科技创新",
        "国家高新区综合评价",
        "2025年对标",
    )
    assert goal["score"] == pytest.approx(traced.score) and goal["target_score"] == pytest.approx(
        traced.target_score
    )
    assert goal["at_stake"] == pytest.approx(sum(i.points_at_stake for i in traced.indicators))
    assert goal["at_stake"] > 0
    shown = [i for i in traced.indicators if i.points_at_stake >= 0.005]
    assert [i["name"] for i in goal["indicators"]] == [i.name for i in shown]
    assert [i["points"] for i in goal["indicators"]] == pytest.approx([i.points_at_stake for i in shown])
    by_name = {i["name"]: i for i in goal["indicators"]}
    assert (by_name["每万人发明专利授权数"]["linked"], by_name["每万人发明专利授权数"]["lagging"]) == (1, 1)
    assert [(p["kind"], p["title"], p["unit"]) for p in goal["push"]] == [
        (p.kind, p.subject.title, p.subject.unit) for p in traced.push if p.points >= 0.005
    ]
    assert goal["push"][0]["title"] == "建设创新平台" and goal["push"][0]["indicators"] == [
        "每万人发明专利授权数"
    ]


def test_a_goal_without_a_benchmark(world: World, standing: National) -> None:
    standing.benchmark.delete()
    (goal,) = gather(world.zone, Period(PeriodKind.MONTH, 2026, 6), NOW.date())["goals"]
    assert (goal["rank"], goal["score"], goal["target_score"], goal["benchmark"]) == (None, None, None, "")
    assert goal["indicators"] == [] and goal["push"] == [] and goal["at_stake"] == 0
