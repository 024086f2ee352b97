"""Security issue, defect 5: the working-day calendar was shared by every zone and any zone's admin could rewrite
it. The national calendar is now the platform administrator's; each zone keeps its own overrides."""

from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.plans.models import Plan
from luoshi.reporting import actions, calendars
from luoshi.reporting.models import CalendarDay, Cycle, Period, ZoneCalendarDay
from luoshi.reporting.queries import work_calendar
from luoshi.reporting.tests.conftest import SHANGHAI, at

FRIDAY = date(2026, 11, 20)  # the due day of the weekly report of 2026 week 47


@pytest.fixture(autouse=True)
def early_november() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def root(world: World) -> User:
    person = org_actions.create_person("root", "x")
    person.is_superuser = True
    person.save(update_fields=["is_superuser"])
    return person


@pytest.fixture
def beta_admin(world: World) -> User:
    person = org_actions.create_person("beta_admin", "x")
    org_actions.add_member(world.other_zone, person, Role.ADMIN)
    return person


def _weekly(plan: Plan) -> Cycle:
    cycle = actions.save_cycle(plan, {"cadence": "weekly", "starts_on": date(2026, 11, 2)}, None)
    actions.ensure_periods(cycle, date(2026, 12, 31))
    return cycle


def _due(cycle: Cycle) -> datetime:
    return Period.objects.get(cycle=cycle, starts_on=date(2026, 11, 16)).due_at


def _zone_url(zone: str, year: int = 2026) -> str:
    return reverse("reporting:calendar", kwargs={"zone": zone, "year": year})


def _holiday(day: date = FRIDAY) -> dict[str, str]:
    return {"date": day.isoformat(), "is_workday": "0", "name": "地方假日"}


def test_zone_override_moves_only_that_zones_deadline(world: World, login: Callable[[User], Client]) -> None:
    alpha, beta = _weekly(world.plan), _weekly(world.other_plan)
    friday_5pm = datetime(2026, 11, 20, 17, 0, tzinfo=SHANGHAI)
    assert _due(alpha) == _due(beta) == friday_5pm
    response = login(world.user("admin")).post(_zone_url("alpha"), _holiday())
    assert response.status_code == 302
    assert _due(alpha) == datetime(2026, 11, 19, 17, 0, tzinfo=SHANGHAI)  # moved to the working day before
    assert _due(beta) == friday_5pm
    assert not CalendarDay.objects.exists()
    assert not work_calendar(world.zone.pk, FRIDAY, FRIDAY).is_workday(FRIDAY)
    assert work_calendar(world.other_zone.pk, FRIDAY, FRIDAY).is_workday(FRIDAY)
    event = AuditEvent.objects.get(event=Event.CALENDAR_CHANGE)
    assert event.zone == world.zone and event.detail["scope"] == "zone"


def test_a_zone_admin_cannot_change_the_national_calendar(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("admin"))
    url = reverse("platform_calendar", kwargs={"year": 2027})
    assert client.get(url).status_code == 404
    assert client.post(url, _holiday(date(2027, 1, 4))).status_code == 404
    assert not CalendarDay.objects.exists() and not AuditEvent.objects.filter(event=Event.CALENDAR_CHANGE)


def test_a_zone_admin_cannot_change_another_zones_days(
    world: World, login: Callable[[User], Client], beta_admin: User
) -> None:
    login(beta_admin).post(_zone_url("beta"), _holiday())
    theirs = ZoneCalendarDay.objects.get(zone=world.other_zone)
    client = login(world.user("admin"))
    assert client.get(_zone_url("beta")).status_code == 404
    assert client.post(_zone_url("beta"), _holiday(date(2026, 11, 27))).status_code == 404
    assert client.post(_zone_url("alpha"), {"remove": theirs.pk}).status_code == 404
    assert list(ZoneCalendarDay.objects.values_list("zone_id", "date")) == [(world.other_zone.pk, FRIDAY)]


@pytest.mark.parametrize("persona", ["supervisor", "leader", "unithead", "liaison", "outsider"])
def test_only_the_zone_admin_edits_the_zone_calendar(
    world: World, login: Callable[[User], Client], persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(_zone_url("alpha")).status_code == 404
    assert client.post(_zone_url("alpha"), _holiday()).status_code == 404
    assert not ZoneCalendarDay.objects.exists()


def test_the_platform_administrator_keeps_the_national_calendar(
    world: World, login: Callable[[User], Client], root: User
) -> None:
    alpha, beta = _weekly(world.plan), _weekly(world.other_plan)
    client = login(root)
    url = reverse("platform_calendar", kwargs={"year": 2026})
    assert client.post(url, _holiday() | {"name": "全国假日"}).status_code == 302
    thursday_5pm = datetime(2026, 11, 19, 17, 0, tzinfo=SHANGHAI)
    assert _due(alpha) == _due(beta) == thursday_5pm  # every zone's deadline moves
    assert "全国假日" in client.get(url).content.decode()
    event = AuditEvent.objects.get(event=Event.CALENDAR_CHANGE)
    assert event.zone is None and event.detail["scope"] == "national"
    # The zone page shows the national day, read-only; a zone's own working day wins over it there only.
    body = login(world.user("admin")).get(_zone_url("alpha")).content.decode()
    assert "全国假日" in body and 'name="remove"' not in body
    calendars.set_zone_day(world.zone, FRIDAY, True, "园区上班", None)
    assert _due(alpha) == datetime(2026, 11, 20, 17, 0, tzinfo=SHANGHAI) and _due(beta) == thursday_5pm
    client = login(root)
    client.post(url, {"remove": CalendarDay.objects.get().pk})
    assert (
        not CalendarDay.objects.exists()
        and AuditEvent.objects.filter(event=Event.CALENDAR_CHANGE).count() == 3
    )


def test_deadlines_already_passed_stay(world: World) -> None:
    alpha = _weekly(world.plan)
    week45 = Period.objects.get(cycle=alpha, starts_on=date(2026, 11, 2))
    calendars.set_zone_day(world.zone, date(2026, 11, 6), False, "", None)  # week 45's Friday, already due
    assert Period.objects.get(pk=week45.pk).due_at == week45.due_at


def test_bad_dates_are_refused_with_a_message(world: World, login: Callable[[User], Client]) -> None:
    response = login(world.user("admin")).post(
        _zone_url("alpha", 2027), {"date": "2027-02-30", "is_workday": "0"}, follow=True
    )
    assert response.status_code == 200 and "日期" in response.content.decode()
    assert not ZoneCalendarDay.objects.exists()
