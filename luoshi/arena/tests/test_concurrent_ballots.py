"""Judges at once on PostgreSQL: every ballot lands exactly once and counts; one judge's double tap makes one
ballot; a close racing the last ballots counts each one that landed and refuses the rest."""

from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection

from luoshi.arena import actions
from luoshi.arena.models import ArenaSession, Ballot, Presenter
from luoshi.arena.queries import results
from luoshi.arena.tests.conftest import NOW, cast, new_session
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.org.models import Unit
from luoshi.tests.concurrency import at_once

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share one SQLite database"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def panel(world: World, finance: Unit) -> tuple[ArenaSession, tuple[str, ...]]:
    """Six judges (the three of the conftest and three more leaders) on an open session of three presenters."""
    for n in range(3):
        person = org_actions.create_person(f"judge{n}", "x")
        org_actions.add_member(world.zone, person, Role.LEADER)
        world.users[f"judge{n}"] = person
    judges = ("leader", "supervisor", "unithead", "judge0", "judge1", "judge2")
    session = new_session(world, [world.tech, world.dev, finance], judges=judges)
    return actions.open_session(session, None, NOW), judges


def test_many_judges_grade_at_once(
    world: World, finance: Unit, panel: tuple[ArenaSession, tuple[str, ...]]
) -> None:
    session, judges = panel
    units = (world.tech, world.dev, finance)
    grades = {world.tech: 4, world.dev: 3, finance: 2}
    jobs = [(lambda j=j, u=u: cast(world, session, u, j, grade=grades[u])) for j in judges for u in units]
    done, errors = at_once(*jobs)
    assert errors == [] and len(done) == 18
    assert Ballot.objects.filter(session=session).count() == 18
    ranking = [(r.presenter.unit.name, r.score, r.received) for r in results(session)]
    assert ranking == [("区科技创新局", 100.0, 6), ("区发展和改革局", 75.0, 6), ("区财政局", 50.0, 6)]


def test_a_double_tap_makes_one_ballot(world: World, panel: tuple[ArenaSession, tuple[str, ...]]) -> None:
    session, _judges = panel
    done, errors = at_once(
        *[lambda g=g: cast(world, session, world.tech, "leader", grade=g) for g in (4, 4, 2, 4)]
    )
    assert errors == [] and len(done) == 4
    ballot = Ballot.objects.get(session=session)
    assert ballot.grade in (2, 4) and ballot.history.count() <= 4


def test_closing_while_ballots_arrive(world: World, panel: tuple[ArenaSession, tuple[str, ...]]) -> None:
    session, judges = panel
    jobs: list[Callable[[], object]] = [partial(cast, world, session, world.dev, j, grade=4) for j in judges]
    jobs.append(lambda: actions.close_session(session, None, NOW))
    done, errors = at_once(*jobs)
    assert all(isinstance(e, actions.ArenaRefused) and "已结束" in str(e) for e in errors)
    landed = Ballot.objects.filter(session=session).count()
    assert landed == len(done) - 1  # every ballot that was not refused landed, before the close
    frozen = Presenter.objects.get(session=session, unit=world.dev)
    assert frozen.counted == landed and frozen.score == (100.0 if landed else None)
