"""A session's page: the running order for every member of the zone; the scorecards for zone-wide roles, the
judges and each presenting unit's own; the buttons for the supervision office."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from luoshi.arena import actions
from luoshi.arena.models import ArenaSession
from luoshi.arena.tests.conftest import NOW, new_session, url
from luoshi.assessment import actions as assessment_actions
from luoshi.assessment.importing import ValueRow
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.models import Unit

NO_CARD = "述职材料仅评委和本单位可见"


@pytest.fixture
def figures(world: World, finance: Unit) -> None:
    """A 新增高企 figure for each presenter, so each scorecard shows its unit's figure."""
    hte = assessment_actions.save_indicator(
        world.zone, {"code": "HTE", "name": "新增高企", "unit_of_measure": "家"}, None
    )
    rows = [
        ValueRow(n, hte.pk, unit.pk, "2026Q3", date(2026, 9, 30), Decimal(11 + n), "")
        for n, unit in enumerate((world.tech, world.dev, finance))
    ]
    assessment_actions.import_values(world.zone, rows, None, NOW)


@pytest.mark.parametrize(
    "persona, cards, manages",
    [
        ("supervisor", {"11", "12", "13"}, True),
        ("admin", {"11", "12", "13"}, True),
        ("leader", {"11", "12", "13"}, False),  # a judge, and zone-wide
        ("viewer", {"11", "12", "13"}, False),  # reads everything, judges nothing
        ("unithead", {"11", "12", "13"}, False),  # 区科技创新局's head judges
        ("liaison", {"11"}, False),  # 区科技创新局: its own card
        ("liaison_dev", {"12"}, False),  # 区发展和改革局 presents but does not judge
    ],
)
def test_who_sees_what(
    world: World,
    login: Callable[[User], Client],
    running: ArenaSession,
    figures: None,
    persona: str,
    cards: set[str],
    manages: bool,
) -> None:
    body = login(world.user(persona)).get(url("session_detail", running.pk)).content.decode()
    assert "区科技创新局" in body and "区发展和改革局" in body and "区财政局" in body
    shown = {n for n in ("11", "12", "13") if f"<strong>{n}</strong>家" in body}
    assert shown == cards and body.count(NO_CARD) == 3 - len(cards)
    assert (url("session_close", running.pk) in body) is manages
    assert (url("session_edit", running.pk) in body) is manages
    assert (url("ballot", running.pk) in body) is (persona in ("supervisor", "leader", "unithead"))
    assert url("results", running.pk) in body


def test_a_session_in_preparation_is_the_offices(
    world: World, login: Callable[[User], Client], session: ArenaSession
) -> None:
    assert login(world.user("supervisor")).get(url("session_detail", session.pk)).status_code == 200
    body = login(world.user("supervisor")).get(url("session_detail", session.pk)).content.decode()
    assert url("session_open", session.pk) in body and url("results", session.pk) not in body
    for persona in ("leader", "viewer", "liaison"):
        assert login(world.user(persona)).get(url("session_detail", session.pk)).status_code == 404


def test_the_frozen_results_are_shown(
    world: World, login: Callable[[User], Client], running: ArenaSession
) -> None:
    actions.cast_ballot(
        running, running.presenters.get(unit=world.dev), world.user("leader"), grade=3, now=NOW
    )
    actions.close_session(running, None, NOW)
    body = login(world.user("liaison")).get(url("session_detail", running.pk)).content.decode()
    assert "第1名 · 75.00分" in body and url("session_close", running.pk) not in body


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_other_zones_find_nothing(
    world: World, login: Callable[[User], Client], running: ArenaSession, persona: str
) -> None:
    assert login(world.user(persona)).get(url("session_detail", running.pk)).status_code == 404


def test_a_long_running_order_in_a_fixed_number_of_queries(
    world: World,
    login: Callable[[User], Client],
    figures: None,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("leader"))
    short = new_session(world, [world.tech])
    long = new_session(
        world, [world.tech, world.dev, *(org_actions.create_unit(world.zone, f"街道{n}") for n in range(12))]
    )
    for session in (short, long):
        actions.open_session(session, None, NOW)
        with django_assert_max_num_queries(14):
            assert client.get(url("session_detail", session.pk)).status_code == 200
