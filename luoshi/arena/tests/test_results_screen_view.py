"""The arena's results on the room's big screen (arena:results_screen): dark, 1920×1080, the podium and the
ranking in large type beside the chart; live while judges score, reloading itself once closed."""

from collections.abc import Callable

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


@pytest.fixture
def graded(world: World, running: ArenaSession, finance: Unit) -> ArenaSession:
    """区财政局 好 好 (100), 区发展和改革局 较好 (75), 区科技创新局 nothing yet."""
    cast(world, running, finance, "leader", grade=4)
    cast(world, running, finance, "unithead", grade=4)
    cast(world, running, world.dev, "supervisor", grade=3)
    return running


@pytest.mark.parametrize("persona", ["supervisor", "leader", "viewer", "unithead", "liaison", "liaison_dev"])
def test_every_member_of_the_zone_sees_the_screen(
    world: World, login: Callable[[User], Client], graded: ArenaSession, persona: str
) -> None:
    response = login(world.user(persona)).get(url("results_screen", graded.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="screen big-screen"' in body and graded.title in body and "data-clock" in body
    assert [(r.presenter.unit.name, r.rank) for r in response.context["podium"]] == [
        ("区财政局", 1),
        ("区发展和改革局", 2),
    ]
    assert "第 1 名" in body and "100.00" in body and "75.00" in body and "2 / 3" in body
    assert "得分为各评委评分的平均值，折算为百分制" in body
    # Live while open: the fragment polls itself; no page reload that would drop the chart.
    assert 'hx-trigger="every 3s"' in body and 'http-equiv="refresh"' not in body


def test_the_live_part_comes_alone_to_htmx(
    world: World, login: Callable[[User], Client], graded: ArenaSession
) -> None:
    response = login(world.user("viewer")).get(url("results_screen", graded.pk), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="live"') and "<html" not in body
    assert 'id="arena-results-data"' in body


def test_once_closed_the_screen_stops_polling_and_reloads_slowly(
    world: World, login: Callable[[User], Client], graded: ArenaSession
) -> None:
    closed = actions.close_session(graded, world.user("supervisor"), NOW)
    body = login(world.user("viewer")).get(url("results_screen", closed.pk)).content.decode()
    assert "every 3s" not in body and 'http-equiv="refresh" content="300"' in body and "结果已锁定" in body


def test_many_presenters_split_into_two_columns(world: World, login: Callable[[User], Client]) -> None:
    units = [org_actions.create_unit(world.zone, f"单位{i:02d}") for i in range(20)]
    session = actions.open_session(new_session(world, units), world.user("supervisor"), NOW)
    response = login(world.user("viewer")).get(url("results_screen", session.pk))
    assert [len(half) for half in response.context["halves"]] == [10, 10]


def test_the_results_page_links_to_the_screen(
    world: World, login: Callable[[User], Client], graded: ArenaSession
) -> None:
    body = login(world.user("viewer")).get(url("results", graded.pk)).content.decode()
    assert url("results_screen", graded.pk) in body and "大屏显示" in body


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_another_zone_sees_nothing(
    world: World, login: Callable[[User], Client], graded: ArenaSession, persona: str
) -> None:
    assert login(world.user(persona)).get(url("results_screen", graded.pk)).status_code == 404


def test_the_screen_reads_a_bounded_number_of_queries(
    world: World,
    login: Callable[[User], Client],
    graded: ArenaSession,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("viewer"))
    with django_assert_max_num_queries(12):
        assert client.get(url("results_screen", graded.pk)).status_code == 200
