"""The live results for the big screen: the ranking, ballots in per presenter and the chart's figures; while
the session is open its live part polls itself every 3 seconds, once closed it shows the frozen results and
stops."""

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from luoshi.arena import actions
from luoshi.arena.models import ArenaSession
from luoshi.arena.tests.conftest import NOW, cast, new_session, url
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.models import Unit

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def graded(world: World, running: ArenaSession, finance: Unit) -> ArenaSession:
    """区财政局 好 好 (100), 区发展和改革局 较好 (75), 区科技创新局 nothing yet."""
    cast(world, running, finance, "leader", grade=4)
    cast(world, running, finance, "unithead", grade=4)
    cast(world, running, world.dev, "supervisor", grade=3)
    return running


def chart(response: "Response") -> dict[str, Any]:
    body = response.content.decode()
    start = body.index('<script id="arena-results-data" type="application/json">') + 56
    return json.loads(body[start : body.index("</script>", start)])


@pytest.mark.parametrize("persona", ["supervisor", "leader", "viewer", "unithead", "liaison", "liaison_dev"])
def test_every_member_of_the_zone_sees_the_ranking(
    world: World, login: Callable[[User], Client], graded: ArenaSession, persona: str
) -> None:
    response = login(world.user(persona)).get(url("results", graded.pk))
    rows = [(r.presenter.unit.name, r.score, r.rank, r.received) for r in response.context["rows"]]
    assert rows == [
        ("区财政局", 100.0, 1, 2),
        ("区发展和改革局", 75.0, 2, 1),
        ("区科技创新局", None, None, 0),
    ]
    assert chart(response) == {
        "units": ["区财政局", "区发展和改革局", "区科技创新局"],
        "scores": [100.0, 75.0, None],
        "label": "得分",
    }
    body = response.content.decode()
    assert '已收到评分表 <span class="stat">3</span> 张' in body and "2 / 3" in body
    assert (url("session_close", graded.pk) in body) is (persona == "supervisor")


def test_the_live_part_polls_while_open(
    world: World, login: Callable[[User], Client], graded: ArenaSession
) -> None:
    client = login(world.user("viewer"))
    body = client.get(url("results", graded.pk), **HTMX).content.decode()
    assert body.strip().startswith('<div id="live" class="arena-screen" hx-get="') and "<html" not in body
    assert 'hx-trigger="every 3s"' in body
    cast(world, graded, world.tech, "unithead", grade=2)  # a new ballot shows at the next poll
    rows = client.get(url("results", graded.pk), **HTMX).context["rows"]
    assert [(r.presenter.unit.name, r.rank) for r in rows][-1] == ("区科技创新局", 3)


def test_once_closed_the_results_are_frozen_and_polling_stops(
    world: World, login: Callable[[User], Client], graded: ArenaSession
) -> None:
    actions.close_session(graded, None, NOW)
    cast_later = graded.presenters.get(unit=world.tech)
    cast_later.score = 99.0  # what close_session stored is what the page shows, not a new count
    cast_later.save(update_fields=["score"])
    response = login(world.user("viewer")).get(url("results", graded.pk), **HTMX)
    body = response.content.decode()
    assert "hx-trigger" not in body and "结果已锁定" in body
    assert [r.score for r in response.context["rows"]][-1] == 99.0


def test_a_session_in_preparation_has_no_results_yet(
    world: World, login: Callable[[User], Client], session: ArenaSession
) -> None:
    assert login(world.user("viewer")).get(url("results", session.pk)).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_other_zones_find_nothing(
    world: World, login: Callable[[User], Client], graded: ArenaSession, persona: str
) -> None:
    assert login(world.user(persona)).get(url("results", graded.pk)).status_code == 404


def test_polling_costs_a_fixed_number_of_queries(
    world: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    units = [org_actions.create_unit(world.zone, f"街道{n}") for n in range(15)]
    session = actions.open_session(new_session(world, units), None, NOW)
    for persona in ("leader", "supervisor", "unithead"):
        for unit in units:
            cast(world, session, unit, persona, grade=3)
    client = login(world.user("viewer"))
    with django_assert_max_num_queries(8):
        client.get(url("results", session.pk), **HTMX)
