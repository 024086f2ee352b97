"""Dispatch meetings on top of the `ledger`: the clock on 10 December 2026, a red warning on the hub, and a first
meeting a week before with one decision still open and one done."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from luoshi.alerts.choices import Level, RuleCode
from luoshi.alerts.models import Warning
from luoshi.conftest import World
from luoshi.projects.actions import dispatch as dispatch_actions
from luoshi.projects.models import Decision, DispatchMeeting
from luoshi.projects.tests.conftest import Ledger

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 10)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def url(name: str, *args: int, zone: str = "alpha") -> str:
    return reverse(f"projects:{name}", args=[zone, *args])


@pytest.fixture(name="clock")
def clock_fixture() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(at(2026, 12, 10, 10), tick=False) as traveller:
        yield traveller


@pytest.fixture(name="red_hub")
def red_hub_fixture(world: World, ledger: Ledger) -> Warning:
    """The hub's start is three months overdue: a red warning, open."""
    return Warning.objects.create(
        zone=world.zone,
        rule=RuleCode.PROJECT_START,
        project=ledger.hub,
        unit=world.dev,
        level=Level.RED,
        reason="计划2026-05开工，已逾期7个月",
        numbers={"planned": "2026-05", "months": 7},
        opened_at=at(2026, 6, 1, 8),
        updated_at=at(2026, 6, 1, 8),
    )


@dataclass
class Past:
    meeting: DispatchMeeting  # 第1期, 3 December
    open: Decision  # on the factory's blocker, asked of dev, due 20 December
    done: Decision  # done on 5 December


@pytest.fixture(name="past")
def past_fixture(world: World, ledger: Ledger, clock: time_machine.Traveller) -> Past:
    supervisor = world.user("supervisor")
    meeting = dispatch_actions.open_meeting(
        world.zone, date(2026, 12, 3), "张主任", "区发改局、区科技局", supervisor
    )
    open_ = dispatch_actions.record_decision(
        meeting,
        {"text": "协调供电公司接入线路", "blocker": ledger.blocker, "due": date(2026, 12, 20)},
        supervisor,
    )
    done = dispatch_actions.record_decision(
        meeting, {"text": "报送科创中心用地手续清单", "project": ledger.hub}, supervisor
    )
    dispatch_actions.complete_decision(done, "已报送", date(2026, 12, 5), supervisor)
    return Past(meeting, open_, done)
