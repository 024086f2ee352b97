"""The arena's list: every member of the zone sees the sessions once opened; sessions in preparation and the
"new" button are the supervision office's; another zone's people find nothing."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from luoshi.arena import actions
from luoshi.arena.models import ArenaSession
from luoshi.arena.tests.conftest import NOW, new_session, url
from luoshi.conftest import World


@pytest.fixture
def sessions(world: World, session: ArenaSession) -> tuple[ArenaSession, ArenaSession]:
    """The draft `session`, and an open one that the leader judges."""
    opened = new_session(world, [world.tech], judges=("leader",), title="已开始的擂台")
    return session, actions.open_session(opened, None, NOW)


@pytest.mark.parametrize(
    "persona, manages",
    [
        ("admin", True),
        ("supervisor", True),
        ("leader", False),
        ("viewer", False),
        ("unithead", False),
        ("liaison", False),
        ("liaison_dev", False),
    ],
)
def test_who_sees_which_sessions(
    world: World,
    login: Callable[[User], Client],
    sessions: tuple[ArenaSession, ArenaSession],
    persona: str,
    manages: bool,
) -> None:
    draft, opened = sessions
    body = login(world.user(persona)).get(url("session_list")).content.decode()
    assert (url("session_detail", draft.pk) in body) is manages
    assert url("session_detail", opened.pk) in body and url("results", opened.pk) in body
    assert (url("session_new") in body) is manages
    # Only the judge is sent to the ballot.
    assert (url("ballot", opened.pk) in body) is (persona == "leader")


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_other_zones_find_nothing(
    world: World, login: Callable[[User], Client], sessions: tuple[ArenaSession, ArenaSession], persona: str
) -> None:
    assert login(world.user(persona)).get(url("session_list")).status_code == 404


def test_the_menu_links_to_the_arena(world: World, login: Callable[[User], Client]) -> None:
    body = login(world.user("liaison_dev")).get(url("session_list")).content.decode()
    assert f'href="{url("session_list")}"' in body and "擂台" in body and 'aria-current="page"' in body


def test_newest_first_in_a_fixed_number_of_queries(
    world: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for day in range(1, 13):
        new_session(world, [world.tech, world.dev], title=f"第{day}场", held_on=NOW.date().replace(day=day))
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(5):
        sessions = list(client.get(url("session_list")).context["sessions"])
    assert [s.title for s in sessions[:2]] == ["第12场", "第11场"]
    assert (sessions[0].n_presenters, sessions[0].n_judges) == (2, 3)
