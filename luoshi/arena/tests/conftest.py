"""An arena in the world's zone (luoshi/conftest.py): 区科技创新局, 区发展和改革局 and 区财政局 present 2026Q3 on
15 October 2026, in that order; the leader, the supervisor and 区科技创新局's head judge. 区发展和改革局's liaison
presents but does not judge; the viewer reads; the outsider belongs to another zone."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from luoshi.arena import actions
from luoshi.arena.models import ArenaSession, Ballot, Presenter
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.models import Unit

NOW = datetime(2026, 10, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
JUDGES = ("leader", "supervisor", "unithead")
CRITERIA = [{"name": "工作成效", "max": 40}, {"name": "创新举措", "max": 30}, {"name": "下步思路", "max": 30}]


def values(**changes: Any) -> dict[str, Any]:
    return {
        "title": "2026年第三季度擂台赛", "held_on": date(2026, 10, 15), "period": "2026Q3",
        "grading": "grades", "criteria": [], "trim": False, "minutes": 6, **changes,
    }  # fmt: skip


@pytest.fixture
def finance(world: World) -> Unit:
    return org_actions.create_unit(world.zone, "区财政局")


def new_session(
    world: World, units: list[Unit], judges: Sequence[str] = JUDGES, **changes: Any
) -> ArenaSession:
    seats = [actions.Seat(u, f"{u.name}局长") for u in units]
    people = [world.user(j) for j in judges]
    return actions.create_session(world.zone, values(**changes), seats, people, world.user("supervisor"), NOW)


@pytest.fixture
def session(world: World, finance: Unit) -> ArenaSession:
    """In preparation, graded on the four grades."""
    return new_session(world, [world.tech, world.dev, finance])


@pytest.fixture
def running(world: World, session: ArenaSession) -> ArenaSession:
    return actions.open_session(session, world.user("supervisor"), NOW)


@pytest.fixture
def scored(world: World, finance: Unit) -> ArenaSession:
    """Open, graded by three criteria worth 40, 30 and 30."""
    session = new_session(world, [world.tech, world.dev, finance], grading="criteria", criteria=CRITERIA)
    return actions.open_session(session, world.user("supervisor"), NOW)


def seat(session: ArenaSession, unit: Unit) -> Presenter:
    return Presenter.objects.get(session=session, unit=unit)


def cast(world: World, session: ArenaSession, unit: Unit, persona: str, **ballot: Any) -> Ballot:
    return actions.cast_ballot(session, seat(session, unit), world.user(persona), now=NOW, **ballot)


def url(name: str, *args: int) -> str:
    return reverse(f"arena:{name}", args=["alpha", *args])
