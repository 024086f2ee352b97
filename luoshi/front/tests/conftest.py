"""A zone with something on every home page: the world's plan reporting weekly, 2 July 2026 10:00 (a Thursday),
warnings red and yellow (one new this week), orders escalated, answered and overdue, a submitted report, a
problem, a key project behind its plan with a blocker, an open arena session judged by the leader and a
dispatch decision due."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from luoshi.alerts import orders
from luoshi.alerts.choices import Level, OrderState, RuleCode
from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.arena.choices import SessionStatus
from luoshi.arena.models import ArenaSession, Judge
from luoshi.conftest import World
from luoshi.projects.choices import BlockerStatus, DecisionStatus
from luoshi.projects.models import Blocker, Decision, DispatchMeeting, Project
from luoshi.reporting import actions as reporting_actions
from luoshi.reporting.choices import ProblemStatus, ReportStatus
from luoshi.reporting.models import Period, Problem, Report

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


NOW = at(2026, 7, 2, 10)


@dataclass
class Desk:
    world: World
    period: Period  # this week's (from Monday 29 June)
    red: Warning  # item_b (区发改局), opened this week, waiting for the office's triage
    yellow: Warning  # item_c (区发改局), opened in May
    escalated: SupervisionOrder  # to 区科技创新局, escalated to the leader
    answered: SupervisionOrder  # 区发改局's feedback waits for the office
    report: Report  # item_a's, submitted by 区科技创新局's liaison
    project: Project
    session: ArenaSession


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _warning(world: World, item_id: int, unit_id: int, rule: str, level: str, opened: datetime) -> Warning:
    return Warning.objects.create(
        zone=world.zone,
        rule=rule,
        item_id=item_id,
        unit_id=unit_id,
        level=level,
        reason="进度滞后",
        opened_at=opened,
        updated_at=opened,
    )


def _order(world: World, subject: str, unit_id: int, deadline: date) -> SupervisionOrder:
    unit = world.tech if unit_id == world.tech.pk else world.dev
    return orders.issue_order(
        world.zone, subject, unit, "请报送推进情况", deadline, world.user("supervisor"), now=at(2026, 6, 1, 9)
    )


def _project(world: World) -> Project:
    project = Project.objects.create(
        zone=world.zone,
        year=2026,
        name="智能制造产业园",
        lead_unit=world.dev,
        annual_plan_wan=Decimal(50000),
        completed_wan=Decimal(15000),
        completed_month=5,
    )
    Warning.objects.create(
        zone=world.zone,
        rule=RuleCode.PROJECT_INVESTMENT,
        project=project,
        unit=world.dev,
        level=Level.YELLOW,
        reason="投资滞后序时",
        opened_at=at(2026, 6, 10),
        updated_at=at(2026, 6, 10),
        triaged_at=at(2026, 6, 11),
    )
    Blocker.objects.create(
        zone=world.zone,
        project=project,
        description="用地指标未落实",
        unit=world.tech,
        status=BlockerStatus.OPEN,
        raised_on=date(2026, 6, 1),
    )
    meeting = DispatchMeeting.objects.create(zone=world.zone, year=2026, number=1, held_on=date(2026, 6, 20))
    Decision.objects.create(
        zone=world.zone,
        meeting=meeting,
        text="协调用地指标",
        due=date(2026, 7, 5),
        status=DecisionStatus.OPEN,
    )
    return project


@pytest.fixture
def desk(world: World, clock: time_machine.Traveller) -> Desk:
    cycle = reporting_actions.save_cycle(
        world.plan, {"cadence": "weekly", "starts_on": date(2026, 1, 5)}, None
    )
    reporting_actions.ensure_periods(cycle, date(2026, 12, 31))
    period = Period.objects.get(cycle=cycle, starts_on=date(2026, 6, 29))
    red = _warning(world, world.item_b.pk, world.dev.pk, RuleCode.BEHIND, Level.RED, at(2026, 6, 30))
    yellow = _warning(world, world.item_c.pk, world.dev.pk, RuleCode.STALLED, Level.YELLOW, at(2026, 5, 1))
    Warning.objects.filter(pk=yellow.pk).update(triaged_at=at(2026, 5, 2))  # the office took it up in May
    escalated = _order(world, "加快高企培育进度", world.tech.pk, date(2026, 6, 20))
    orders.escalate_order(escalated, world.user("supervisor"), now=at(2026, 6, 25, 9))
    answered = _order(world, "加快创新平台建设", world.dev.pk, date(2026, 7, 15))
    orders.sign_order(answered, world.user("liaison_dev"), now=at(2026, 6, 2, 9))
    orders.submit_feedback(answered, "已完成平台选址", world.user("liaison_dev"), now=at(2026, 6, 30, 9))
    report = Report.objects.create(
        zone=world.zone,
        item=world.item_a,
        period=period,
        unit=world.tech,
        progress=Decimal("60.0"),
        status=ReportStatus.SUBMITTED,
        submitted_at=at(2026, 7, 1, 15),
        submitted_by=world.user("liaison"),
    )
    Problem.objects.create(
        zone=world.zone,
        report=report,
        item=world.item_a,
        description="高企认定材料需税务部门协调",
        asked_unit=world.dev,
        status=ProblemStatus.OPEN,
    )
    session = ArenaSession.objects.create(
        zone=world.zone,
        title="二季度一把手擂台",
        held_on=date(2026, 7, 2),
        period="2026Q2",
        status=SessionStatus.OPEN,
        created_at=at(2026, 6, 28),
    )
    Judge.objects.create(zone=world.zone, session=session, user=world.user("leader"))
    project = _project(world)
    for subject in (escalated, answered):
        subject.refresh_from_db()
    assert escalated.state == OrderState.ESCALATED and answered.state == OrderState.FEEDBACK
    return Desk(world, period, red, yellow, escalated, answered, report, project, session)
