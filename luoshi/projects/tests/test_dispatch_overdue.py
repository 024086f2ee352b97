"""Open decisions past their date read 逾期 (red) on the meeting list and on the meeting page, as of today."""

from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from luoshi.conftest import World
from luoshi.projects.tests.dispatch_fixtures import Past, at, clock_fixture, past_fixture, url  # noqa: F401

pytestmark = pytest.mark.usefixtures("clock")


def test_an_open_decision_within_its_date_is_in_hand(
    world: World, login: Callable[[User], Client], past: Past
) -> None:
    client = login(world.user("supervisor"))
    listing = client.get(url("dispatch_list")).content.decode()
    assert "落实中 1" in listing and "逾期" not in listing
    page = client.get(url("dispatch_detail", past.meeting.pk)).content.decode()
    assert "已过，尚未落实" not in page and "落实中" in page


def test_an_open_decision_past_its_date_is_overdue(
    world: World, login: Callable[[User], Client], past: Past, clock: time_machine.Traveller
) -> None:
    clock.move_to(at(2026, 12, 21, 9))  # the open decision was due on 20 December
    client = login(world.user("leader"))
    listing = client.get(url("dispatch_list")).content.decode()
    assert '<span class="badge st-overdue">逾期 1</span>' in listing and "落实中 1" not in listing
    assert "已落实 1" in listing
    page = client.get(url("dispatch_detail", past.meeting.pk)).content.decode()
    assert page.count("已过，尚未落实") == 1 and "完成时限 2026-12-20 已过" in page


def test_a_done_decision_is_never_overdue(
    world: World, login: Callable[[User], Client], past: Past, clock: time_machine.Traveller
) -> None:
    from luoshi.projects.actions import dispatch as dispatch_actions

    dispatch_actions.complete_decision(past.open, "已接入", date(2026, 12, 19), world.user("supervisor"))
    clock.move_to(at(2026, 12, 28, 9))
    listing = login(world.user("supervisor")).get(url("dispatch_list")).content.decode()
    assert "逾期" not in listing and "已落实 2" in listing
