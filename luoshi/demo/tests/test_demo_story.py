"""The demo tells a straight story whatever day it is built: a week to fill, nothing stamped in the future,
each step of a report's history by the person whose step it is. One build on a Saturday and one on a Monday."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import models

from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.demo.build import DemoResult, build_demo
from luoshi.demo.org import SCIENCE_BUREAU
from luoshi.org.choices import Role
from luoshi.org.models import Membership
from luoshi.projects.models import Project
from luoshi.reporting.models import Period, Report
from luoshi.reporting.queries import due_items

SHANGHAI = ZoneInfo("Asia/Shanghai")
SATURDAY = datetime(2026, 11, 21, 15, 30, tzinfo=SHANGHAI)
MONDAY = datetime(2026, 11, 23, 9, 10, tzinfo=SHANGHAI)


@pytest.fixture(params=[SATURDAY, MONDAY], ids=["saturday", "monday"])
def built(request: pytest.FixtureRequest, db: None) -> tuple[DemoResult, datetime]:
    now: datetime = request.param
    with time_machine.travel(now, tick=False):
        return build_demo(now.date()), now


def test_the_demo_story(built: tuple[DemoResult, datetime]) -> None:
    demo, now = built
    _a_week_to_fill(demo, now)
    _nothing_in_the_future(demo, now)
    _each_step_by_its_person(demo)


def _a_week_to_fill(demo: DemoResult, now: datetime) -> None:
    science = demo.units[SCIENCE_BUREAU]
    open_periods = Period.objects.filter(
        zone=demo.zone, starts_on__lte=now.date(), ends_on__gte=now.date(), closes_at__gt=now
    )
    assert open_periods.count() == len(demo.plans)  # this week, in each plan
    to_fill = waiting = 0
    for period in open_periods:
        mine = due_items(period).filter(lead_unit=science)
        handed_in = Report.objects.filter(period=period, item__in=mine)
        assert set(handed_in.values_list("status", flat=True)) <= {
            "submitted"
        }  # for the unit head to approve
        waiting += handed_in.count()
        to_fill += mine.count() - handed_in.count()
    assert to_fill >= 2 and waiting >= 2
    demo.zone.refresh_from_db()
    assert demo.zone.reports_need_approval


def _datetimes(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, models.DateTimeField)]


def _nothing_in_the_future(demo: DemoResult, now: datetime) -> None:
    for model in (Report, Report.history.model, Warning, SupervisionOrder, Project):
        for name in _datetimes(model):
            later = model._default_manager.filter(**{f"{name}__gt": now})
            assert not later.exists(), (
                f"{model.__name__}.{name}: {list(later.values_list(name, flat=True)[:3])}"
            )
    history = apps.get_model("projects", "HistoricalProject")
    assert not history.objects.filter(history_date__gt=now).exists()


def _each_step_by_its_person(demo: DemoResult) -> None:
    members = {
        (m.unit_id, m.role): m.user_id for m in Membership.objects.filter(zone=demo.zone).exclude(unit=None)
    }
    supervisor = demo.users["supervisor"].pk
    rows = Report.history.filter(zone=demo.zone).values_list(
        "unit_id", "history_type", "status", "history_user_id"
    )
    seen: set[str] = set()
    for unit_id, kind, status, user_id in rows:
        seen.add(status)
        if kind == "+":  # handed in by the unit's liaison, named for every unit
            assert status == "submitted" and user_id == members[(unit_id, Role.LIAISON)]
        elif status == "approved":
            assert user_id == members[(unit_id, Role.UNIT_HEAD)]
        else:
            assert status == "accepted" and user_id == supervisor
    assert seen == {"submitted", "approved", "accepted"}
    science = demo.units[SCIENCE_BUREAU]
    assert Report.objects.filter(unit=science, submitted_by=demo.users["liaison"]).exists()
    assert not Report.objects.filter(submitted_by=demo.users["supervisor"]).exists()
