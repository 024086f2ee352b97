from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from luoshi.conftest import World
from luoshi.reporting import actions
from luoshi.reporting.models import Cycle, Period

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def cycle(world: World) -> Cycle:
    """The world's plan reports weekly, Fridays 17:00, from the first week of November 2026."""
    made = actions.save_cycle(world.plan, {"cadence": "weekly", "starts_on": date(2026, 11, 2)}, None)
    actions.ensure_periods(made, date(2026, 12, 31))
    return made


@pytest.fixture
def week47(cycle: Cycle) -> Period:
    return Period.objects.get(cycle=cycle, starts_on=date(2026, 11, 16))
