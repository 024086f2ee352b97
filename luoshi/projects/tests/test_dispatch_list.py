"""The list of dispatch meetings and the form that opens this week's."""

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from luoshi.conftest import World
from luoshi.projects.actions import dispatch as dispatch_actions
from luoshi.projects.models import DispatchMeeting
from luoshi.projects.tests.dispatch_fixtures import Past, clock_fixture, past_fixture, url  # noqa: F401

pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize(
    ("persona", "status", "can_open"),
    [
        ("supervisor", 200, True),
        ("admin", 200, True),
        ("leader", 200, False),
        ("viewer", 200, False),
        ("unithead", 404, False),
        ("liaison_dev", 404, False),
        ("outsider", 404, False),
    ],
)
def test_who_sees_the_meetings(
    world: World, login: Callable[[User], Client], past: Past, persona: str, status: int, can_open: bool
) -> None:
    response = login(world.user(persona)).get(url("dispatch_list"))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "2026年第1期" in html and "落实中 1" in html and "已落实 1" in html
        assert ("召开本周调度会" in html) is can_open


def test_the_form_defaults_to_today(world: World, login: Callable[[User], Client]) -> None:
    response = login(world.user("supervisor")).get(url("dispatch_list"))
    assert response.context["form"]["held_on"].value() == date(2026, 12, 10)
    assert "还没有召开过周调度会" in response.content.decode()


def test_opening_a_meeting(world: World, login: Callable[[User], Client], past: Past) -> None:
    response = login(world.user("supervisor")).post(
        url("dispatch_list"), {"held_on": "2026-12-10", "chair": "张主任", "attendees": "区发改局"}
    )
    meeting = DispatchMeeting.objects.get(zone=world.zone, number=2)
    assert response.status_code == 302 and response["Location"] == url("dispatch_detail", meeting.pk)
    assert (meeting.year, meeting.held_on, meeting.chair) == (2026, date(2026, 12, 10), "张主任")
    assert meeting.created_by == world.user("supervisor")


@pytest.mark.parametrize(
    ("held_on", "error"),
    [
        ("", "请填写会议日期"),
        ("2026/13/40", "请按 2026-11-05 的格式填写日期"),
        ("2026-12-01", "会议日期 2026-12-01 早于上一期（2026年第1期，2026-12-03）"),
    ],
)
def test_bad_dates_are_refused(
    world: World, login: Callable[[User], Client], past: Past, held_on: str, error: str
) -> None:
    response = login(world.user("supervisor")).post(url("dispatch_list"), {"held_on": held_on})
    assert response.status_code == 200
    assert error in response.context["form"].errors["held_on"][0]
    assert DispatchMeeting.objects.filter(zone=world.zone).count() == 1


@pytest.mark.parametrize("persona", ["viewer", "leader", "liaison", "outsider"])
def test_only_the_office_opens_meetings(world: World, login: Callable[[User], Client], persona: str) -> None:
    response = login(world.user(persona)).post(url("dispatch_list"), {"held_on": "2026-12-10"})
    assert response.status_code == 404
    assert not DispatchMeeting.objects.exists()


def test_queries_stay_bounded(
    world: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for day in range(1, 31):
        meeting = dispatch_actions.open_meeting(world.zone, date(2026, 11, day), "", "", None)
        dispatch_actions.record_decision(meeting, {"text": "推进"}, None)
    client = login(world.user("viewer"))
    with django_assert_max_num_queries(8):
        response = client.get(url("dispatch_list"))
    assert response.content.decode().count("落实中 1") == 30
