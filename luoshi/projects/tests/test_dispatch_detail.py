"""The meeting page: who sees it, what it goes through as things stood on its date, and a bounded number of
queries however many rows it shows."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.models import Warning
from luoshi.conftest import World
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.actions import dispatch as dispatch_actions
from luoshi.projects.actions import investment as investment_actions
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.agenda import agenda
from luoshi.projects.choices import Stage
from luoshi.projects.models import DispatchMeeting
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.dispatch_fixtures import Past, clock_fixture, past_fixture, red_hub_fixture, url  # noqa: F401

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def this_week(world: World, past: Past, red_hub: Warning) -> DispatchMeeting:
    return dispatch_actions.open_meeting(
        world.zone, date(2026, 12, 10), "张主任", "", world.user("supervisor")
    )


@pytest.mark.parametrize(
    ("persona", "status", "edits"),
    [
        ("supervisor", 200, True),
        ("admin", 200, True),
        ("leader", 200, False),
        ("viewer", 200, False),
        ("unithead", 404, False),
        ("liaison", 404, False),
        ("liaison_dev", 404, False),
        ("outsider", 404, False),
        ("nobody", 404, False),
    ],
)
def test_who_sees_the_meeting(
    world: World,
    login: Callable[[User], Client],
    this_week: DispatchMeeting,
    persona: str,
    status: int,
    edits: bool,
) -> None:
    response = login(world.user(persona)).get(url("dispatch_detail", this_week.pk))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "第2期周调度会" in html
        assert ("记录议定事项" in html) is edits and ("确认销号" in html) is edits


def test_outsiders_do_not_see_it_through_their_own_zone(
    world: World, login: Callable[[User], Client], this_week: DispatchMeeting
) -> None:
    response = login(world.user("outsider")).get(url("dispatch_detail", this_week.pk, zone="beta"))
    assert response.status_code == 404


def test_the_agenda_as_of_the_meeting(
    world: World, ledger: Ledger, past: Past, this_week: DispatchMeeting
) -> None:
    plan = agenda(this_week)
    assert plan.previous == past.meeting and plan.latest
    assert plan.carried == [past.open, past.done]  # still open, and done since the last meeting
    assert [(row.project, row.level) for row in plan.lagging] == [(ledger.hub, "red"), (ledger.factory, None)]
    factory = plan.lagging[1].pace
    assert factory is not None and factory.month == 10 and round(factory.gap_pp or 0, 1) == 66.7
    [group] = plan.blocker_units
    assert group.unit == world.dev  # the unit asked, not the factory's lead unit
    assert [(row.blocker, row.days_over) for row in group.rows] == [(ledger.blocker, 10)]
    assert plan.decisions == []


def test_the_first_meeting_follows_nothing_up(world: World, past: Past) -> None:
    plan = agenda(past.meeting)
    assert plan.previous is None and plan.carried == []
    assert plan.decisions == [past.open, past.done]


def test_decisions_done_before_the_last_meeting_drop_off(
    world: World, ledger: Ledger, past: Past, this_week: DispatchMeeting
) -> None:
    user = world.user("supervisor")
    dispatch_actions.complete_decision(past.open, "已接入", date(2026, 12, 10), user)
    third = dispatch_actions.open_meeting(world.zone, date(2026, 12, 17), "", "", user)
    assert agenda(third).carried == []  # both were done before 第2期 (10 and 5 December)
    assert agenda(this_week).carried == [past.open, past.done]  # the past meeting's view does not change


def test_a_project_on_pace_is_not_lagging(world: World, ledger: Ledger, this_week: DispatchMeeting) -> None:
    investment_actions.record_investment(
        ledger.factory, 10, Decimal("4500"), None
    )  # plan to date 5,000: 8.3 points
    assert [row.project for row in agenda(this_week).lagging] == [ledger.hub]


def test_a_meeting_reads_the_figures_known_by_its_date(world: World, ledger: Ledger) -> None:
    october = dispatch_actions.open_meeting(world.zone, date(2026, 10, 15), "", "", None)
    december = dispatch_actions.open_meeting(world.zone, date(2026, 12, 10), "", "", None)
    investment_actions.record_investment(ledger.factory, 11, Decimal("5800"), None)  # plan to November: 5,500
    assert [row.project for row in agenda(december).lagging] == []
    [row] = agenda(october).lagging
    assert row.project == ledger.factory and row.pace is not None and row.pace.month == 10


def test_blockers_cleared_before_the_meeting_are_gone(
    world: World, ledger: Ledger, this_week: DispatchMeeting
) -> None:
    blocker_actions.clear_blocker(ledger.blocker, "已接入", date(2026, 12, 9), None)
    assert agenda(this_week).blocker_units == []


def test_a_blocker_cleared_at_the_meeting_stays_on_its_agenda(
    world: World, ledger: Ledger, this_week: DispatchMeeting
) -> None:
    blocker_actions.clear_blocker(ledger.blocker, "已接入", date(2026, 12, 10), None)
    [group] = agenda(this_week).blocker_units
    assert group.rows[0].blocker.status == "cleared"
    later = dispatch_actions.open_meeting(world.zone, date(2026, 12, 17), "", "", None)
    assert agenda(later).blocker_units == []


def test_a_blocker_without_a_unit_goes_to_the_project_lead_unit(
    world: World, ledger: Ledger, this_week: DispatchMeeting
) -> None:
    blocker_actions.raise_blocker(ledger.hub, {"description": "征地拆迁未完成"}, date(2026, 11, 1), None)
    blocker_actions.raise_blocker(ledger.hub, {"description": "下周才提出"}, date(2026, 12, 11), None)
    [group] = agenda(this_week).blocker_units
    assert [row.blocker.description for row in group.rows] == ["供电线路未接入", "征地拆迁未完成"]


def test_the_page_shows_the_sections(
    world: World, login: Callable[[User], Client], ledger: Ledger, this_week: DispatchMeeting
) -> None:
    html = login(world.user("viewer")).get(url("dispatch_detail", this_week.pk)).content.decode()
    for words in (
        "一、上次议定事项落实情况",
        "协调供电公司接入线路",
        "二、滞后项目",
        "智能装备产业园",
        "科创中心",
        "1,000",  # 1-10月 completed, in 万元
        "66.7",
        "三、待解决问题",
        "区发展和改革局",
        "逾期 10 天",
        "四、本次议定事项",
    ):
        assert words in html, words
    yi = login(world.user("viewer")).get(url("dispatch_detail", this_week.pk) + "?money=yi").content.decode()
    assert "0.10" in yi and "（亿元）" in yi


def test_queries_stay_bounded(
    world: World,
    login: Callable[[User], Client],
    ledger: Ledger,
    past: Past,
    this_week: DispatchMeeting,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("supervisor"))
    client.get(url("dispatch_detail", this_week.pk))
    for n in range(15):
        project = ledger_actions.create_project(
            world.zone,
            2026,
            {
                "name": f"项目{n}",
                "lead_unit": world.tech,
                "annual_plan_wan": Decimal(1200),
                "stage": Stage.STARTED,
            },
            None,
        )
        investment_actions.record_investment(project, 10, Decimal(100), None)
        blocker_actions.raise_blocker(
            project, {"description": f"问题{n}", "unit": world.dev}, date(2026, 11, 1), None
        )
        dispatch_actions.record_decision(this_week, {"text": f"事项{n}", "project": project}, None)
    with django_assert_max_num_queries(20):
        response = client.get(url("dispatch_detail", this_week.pk))
    assert response.content.decode().count("问题1") >= 1 and len(agenda(this_week).lagging) == 17
