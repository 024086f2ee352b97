"""The bulletin tests' clock and people: November 2026's bulletin, drafted on Thursday 3 December 2026 at 10:00
by the supervision office, in the world's zone (luoshi/conftest.py) with an auditor added. The national ranking
(goals/tests/conftest.py) is shared for the goal's standing."""

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from luoshi.bulletins import actions
from luoshi.bulletins.choices import PeriodKind
from luoshi.bulletins.facts import Period
from luoshi.bulletins.models import Bulletin
from luoshi.conftest import World
from luoshi.goals.tests.conftest import national  # noqa: F401  # the fixture, used by name
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = Period(PeriodKind.MONTH, 2026, 10)
NOVEMBER = Period(PeriodKind.MONTH, 2026, 11)
TODAY = date(2026, 12, 3)


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


NOW = at(2026, 12, 3, 10)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def auditor(world: World) -> User:
    """审计管理员: a member of the zone who reads the audit trail and nothing else."""
    person = org_actions.create_person("auditor", "Audit-Pass#77", full_name="审计员")
    org_actions.add_member(world.zone, person, Role.AUDITOR)
    world.users["auditor"] = person
    return person


@pytest.fixture
def drafted(world: World, clock: time_machine.Traveller) -> Bulletin:
    """November's draft, as the office drafts it."""
    return actions.draft_bulletin(world.zone, NOVEMBER, world.user("supervisor"))


def paragraphs(bulletin: Bulletin, section: int) -> list[str]:
    """A section's paragraphs as stored now."""
    bulletin.refresh_from_db()
    found: list[str] = bulletin.content["sections"][section]["paragraphs"]
    return found
