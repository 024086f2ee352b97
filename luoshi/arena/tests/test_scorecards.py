"""Scorecards: each presenter's record for the session's period, from the reports the office accepted, the
indicator library, the plan's targets and what is still open; six queries however many presenters."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts import orders
from luoshi.alerts.models import Warning
from luoshi.arena.scorecards import scorecards, window
from luoshi.arena.tests.conftest import NOW, new_session
from luoshi.assessment import actions as assessment_actions
from luoshi.assessment.importing import ValueRow
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.models import Unit
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import PlanItem
from luoshi.reporting import actions as reporting
from luoshi.reporting.models import Period


def report(
    world: World, item: PlanItem, month: int, progress: int, accept: bool = True, **fields: Any
) -> None:
    """The monthly report on `item` for `month` of 2026, handed in the day before it is due."""
    period = Period.objects.get(cycle__plan=world.plan, starts_on=date(2026, month, 1))
    now = period.due_at - timedelta(days=1)
    data = reporting.ReportInput(progress=Decimal(progress), **fields)
    saved = reporting.save_report(item, period, data, world.user("liaison"), now)
    reporting.submit_report(saved, world.user("liaison"), now)
    if accept:
        reporting.accept_report(saved, world.user("supervisor"), now)


@pytest.fixture
def record(world: World, finance: Unit) -> None:
    """区科技创新局 reported monthly on item_a and has a target, figures, a red warning and an open order;
    区发展和改革局 raised a problem, has figures below the alert line and six open orders; 区财政局 has nothing."""
    add_reports(world, finance)
    add_figures(world)
    add_open_matters(world)


def add_reports(world: World, finance: Unit) -> None:
    """Monthly reports from June to October on item_a (with a target) and item_b (with a problem)."""
    cycle = reporting.save_cycle(world.plan, {"cadence": "monthly", "starts_on": date(2026, 6, 1)}, None)
    reporting.ensure_periods(cycle, date(2026, 10, 31))
    target = plan_actions.add_target(
        world.item_a,
        {"indicator": "新增高新技术企业", "target_value": Decimal(100), "unit_of_measure": "家"},
        None,
    )
    report(world, world.item_a, 6, 10, work_done="六月：制定方案", next_plan="七月培训")  # before the quarter
    report(world, world.item_a, 7, 20, work_done="七月：完成高企申报培训", next_plan="八月申报")
    report(
        world, world.item_a, 8, 40, work_done="八月：新增高企12家", next_plan="九月组织评审",
        values={target.pk: Decimal(60)},
    )  # fmt: skip
    report(world, world.item_a, 9, 55, accept=False, work_done="九月：尚未采纳")
    report(
        world, world.item_b, 9, 30, work_done="九月：平台选址完成", next_plan="十月开工",
        problems=[("用地指标不足", finance)],
    )  # fmt: skip
    report(world, world.item_b, 10, 35, work_done="十月：在会后", next_plan="十一月")  # after the session


def add_figures(world: World) -> None:
    """Two indicators, with 区科技创新局 above the excellence line and 区发展和改革局 below the alert line."""
    library = {
        "HTE": assessment_actions.save_indicator(
            world.zone,
            {"code": "HTE", "name": "新增高企", "unit_of_measure": "家",
             "alert_threshold": Decimal(5), "excellence_threshold": Decimal(20)},
            None,
        ),
        "ENERGY": assessment_actions.save_indicator(
            world.zone,
            {"code": "ENERGY", "name": "单位能耗", "direction": "decrease",
             "alert_threshold": Decimal("0.5"), "excellence_threshold": Decimal("0.3")},
            None,
        ),
    }  # fmt: skip
    rows = [
        ("HTE", world.tech, "2026Q3", 25), ("ENERGY", world.tech, "2026Q3", "0.4"),
        ("HTE", world.dev, "2026Q3", 3), ("ENERGY", world.dev, "2026Q3", "0.6"), ("HTE", world.tech, "2026Q2", 1),
    ]  # fmt: skip
    assessment_actions.import_values(
        world.zone,
        [
            ValueRow(n, library[code].pk, unit.pk, period, date(2026, 9, 30), Decimal(str(v)), "")
            for n, (code, unit, period, v) in enumerate(rows)
        ],
        None,
        NOW,
    )


def add_open_matters(world: World) -> None:
    """A red warning open and one resolved for 区科技创新局; one order for it and six for 区发展和改革局."""
    for resolved in (None, NOW):
        Warning.objects.create(
            zone=world.zone, rule="BEHIND" if resolved is None else "STALLED", item=world.item_a,
            unit=world.tech, level="red", reason="进度落后25个百分点", opened_at=NOW, updated_at=NOW,
            resolved_at=resolved,
        )  # fmt: skip
    issued_at = NOW - timedelta(days=1)
    orders.issue_order(
        world.zone, "加快高企培育", world.tech, "请报送进展", date(2026, 10, 30), None, now=issued_at
    )
    for n in range(6):
        orders.issue_order(
            world.zone, f"项目{n}", world.dev, "请报送进展", date(2026, 10, 30), None, now=issued_at
        )


def test_each_presenter_gets_their_record(world: World, finance: Unit, record: None) -> None:
    session = new_session(world, [world.tech, world.dev, finance])
    cards = scorecards(session, [world.tech.pk, world.dev.pk, finance.pk])
    tech, dev = cards[world.tech.pk], cards[world.dev.pk]
    # The latest accepted report per item in the quarter (August's; September's is not accepted yet).
    assert [r.work_done for r in tech.highlights] == ["八月：新增高企12家"]
    assert tech.plans == ["九月组织评审"]
    assert [(f.value.indicator.code, f.mark) for f in tech.figures] == [("ENERGY", ""), ("HTE", "excellent")]
    assert [(f.value.indicator.code, f.mark) for f in dev.figures] == [("ENERGY", "alert"), ("HTE", "alert")]
    [line] = tech.targets
    assert line.latest is not None
    assert (line.target.indicator, line.latest.value, line.achieved) == ("新增高新技术企业", 60, 60.0)
    assert [w.reason for w in tech.warnings] == ["进度落后25个百分点"]  # the resolved one is not shown
    assert [o.subject for o in tech.orders] == ["加快高企培育"]
    assert [r.work_done for r in dev.highlights] == ["九月：平台选址完成"]  # October's came after the session
    assert [p.description for p in dev.problems] == ["用地指标不足"]
    assert len(dev.orders) == 5 and dev.counts["orders"] == 6 and dev.more["orders"] == 1
    assert cards[finance.pk].empty and not tech.empty


def test_six_queries_for_any_running_order(
    world: World, finance: Unit, record: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    session = new_session(world, [world.tech, world.dev, finance])
    with django_assert_num_queries(6):
        scorecards(session, [world.tech.pk])
    more = [org_actions.create_unit(world.zone, f"街道{n}") for n in range(10)]
    with django_assert_num_queries(6):
        scorecards(session, [world.tech.pk, world.dev.pk, finance.pk, *(u.pk for u in more)])
    with django_assert_num_queries(0):
        assert scorecards(session, []) == {}


def test_the_window_reaches_the_session_day(world: World) -> None:
    assert window(new_session(world, [world.tech])) == (date(2026, 7, 1), date(2026, 10, 15))
    early = new_session(world, [world.tech], held_on=date(2026, 9, 20))
    assert window(early) == (date(2026, 7, 1), date(2026, 9, 30))
    assert window(new_session(world, [world.tech], period="2026-08")) == (
        date(2026, 8, 1),
        date(2026, 10, 15),
    )
