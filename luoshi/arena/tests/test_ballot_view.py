"""The judge's ballot: a page only the session's judges have; each tap saved at once (htmx gets the presenter's
card back), or with a plain form post and a redirect without JavaScript; refusals shown, nothing written."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from luoshi.arena import actions
from luoshi.arena.models import ArenaSession, Ballot
from luoshi.arena.tests.conftest import NOW, cast, new_session, seat, url
from luoshi.conftest import World
from luoshi.org import actions as org_actions

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def test_a_judge_sees_every_presenter_and_their_own_grades(
    world: World, login: Callable[[User], Client], running: ArenaSession
) -> None:
    cast(world, running, world.dev, "leader", grade=3)
    cast(world, running, world.dev, "unithead", grade=1)  # another judge's ballot is not shown
    body = login(world.user("leader")).get(url("ballot", running.pk)).content.decode()
    for unit in ("区科技创新局", "区发展和改革局", "区财政局"):
        assert unit in body
    assert body.count('class="grade chosen"') == 1 and "已评 1 / 3" in body
    assert body.count('name="grade" value="4"') == 3


def test_a_tap_is_saved_at_once(world: World, login: Callable[[User], Client], running: ArenaSession) -> None:
    client = login(world.user("unithead"))
    presenter = seat(running, world.tech)
    response = client.post(url("cast", running.pk, presenter.pk), {"grade": "4"}, **HTMX)
    body = response.content.decode()
    assert body.strip().startswith(f'<article class="card ballot-card cast" id="p-{presenter.pk}">')
    assert '<button type="submit" name="grade" value="4" class="grade chosen" aria-pressed="true">' in body
    assert 'id="ballot-done" hx-swap-oob="true"' in body and "已评 1 / 3" in body and "<html" not in body
    client.post(url("cast", running.pk, presenter.pk), {"grade": "2"}, **HTMX)  # a change of mind
    assert Ballot.objects.get().grade == 2


def test_without_javascript_the_form_posts_and_comes_back(
    world: World, login: Callable[[User], Client], running: ArenaSession
) -> None:
    presenter = seat(running, world.dev)
    response = login(world.user("leader")).post(
        url("cast", running.pk, presenter.pk), {"grade": "3"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("ballot", running.pk) + f"#p-{presenter.pk}"
    assert "已保存对“区发展和改革局”的评分" in response.content.decode()
    assert Ballot.objects.get().grade == 3


def test_a_bad_tap_is_refused_on_the_card(
    world: World, login: Callable[[User], Client], running: ArenaSession
) -> None:
    client = login(world.user("leader"))
    presenter = seat(running, world.tech)
    body = client.post(url("cast", running.pk, presenter.pk), {"grade": "7"}, **HTMX).content.decode()
    assert "评价须为好、较好、一般或较差之一" in body and "未评" in body
    response = client.post(url("cast", running.pk, presenter.pk), {}, follow=True)
    assert "区科技创新局：评价须为好、较好、一般或较差之一" in response.content.decode()
    assert not Ballot.objects.exists()


def test_criteria_scores_and_what_was_typed_stays(
    world: World, login: Callable[[User], Client], scored: ArenaSession
) -> None:
    client = login(world.user("leader"))
    presenter = seat(scored, world.tech)
    sent = {"score:工作成效": "45", "score:创新举措": "28", "score:下步思路": "20"}
    body = client.post(url("cast", scored.pk, presenter.pk), sent, **HTMX).content.decode()
    assert "“工作成效”的分数须在 0 到 40 之间" in body and 'value="45"' in body and 'value="28"' in body
    body = client.post(
        url("cast", scored.pk, presenter.pk), sent | {"score:工作成效": "38"}, **HTMX
    ).content.decode()
    assert "已评 86" in body and 'value="38"' in body
    assert Ballot.objects.get().scores == {"工作成效": 38, "创新举措": 28, "下步思路": 20}
    extra = sent | {"score:工作成效": "38", "score:颜值": "10"}
    body = client.post(url("cast", scored.pk, presenter.pk), extra, **HTMX).content.decode()
    assert "本场擂台没有名为“颜值”的评分项" in body


def test_after_closing_the_ballot_is_read_only(
    world: World, login: Callable[[User], Client], running: ArenaSession
) -> None:
    cast(world, running, world.tech, "leader", grade=4)
    actions.close_session(running, None, NOW)
    client = login(world.user("leader"))
    body = client.get(url("ballot", running.pk)).content.decode()
    assert "评分已结束" in body and "<fieldset disabled>" in body
    presenter = seat(running, world.tech)
    body = client.post(url("cast", running.pk, presenter.pk), {"grade": "1"}, **HTMX).content.decode()
    assert "擂台已结束，评分不能再修改" in body
    assert Ballot.objects.get().grade == 4


@pytest.mark.parametrize("persona", ["viewer", "liaison_dev", "admin", "outsider", "nobody"])
def test_only_judges_have_a_ballot(
    world: World, login: Callable[[User], Client], running: ArenaSession, persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(url("ballot", running.pk)).status_code == 404
    assert (
        client.post(url("cast", running.pk, seat(running, world.tech).pk), {"grade": "4"}).status_code == 404
    )
    assert not Ballot.objects.exists()


def test_a_presenter_of_another_session_is_not_found(
    world: World, login: Callable[[User], Client], running: ArenaSession, scored: ArenaSession
) -> None:
    other = seat(scored, world.tech)
    assert (
        login(world.user("leader")).post(url("cast", running.pk, other.pk), {"grade": "4"}).status_code == 404
    )


def test_a_session_in_preparation_has_no_ballot_yet(
    world: World, login: Callable[[User], Client], session: ArenaSession
) -> None:
    assert login(world.user("leader")).get(url("ballot", session.pk)).status_code == 404
    # The office sees it (it prepares the session) but cannot grade before it opens.
    client = login(world.user("supervisor"))
    body = client.post(url("cast", session.pk, seat(session, world.tech).pk), {"grade": "4"}, **HTMX)
    assert "擂台尚未开始评分" in body.content.decode() and not Ballot.objects.exists()


def test_get_is_not_a_ballot(world: World, login: Callable[[User], Client], running: ArenaSession) -> None:
    assert (
        login(world.user("leader")).get(url("cast", running.pk, seat(running, world.tech).pk)).status_code
        == 405
    )


def test_a_long_ballot_in_a_fixed_number_of_queries(
    world: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    units = [org_actions.create_unit(world.zone, f"街道{n}") for n in range(15)]
    session = actions.open_session(new_session(world, units), None, NOW)
    for unit in units[:10]:
        cast(world, session, unit, "leader", grade=3)
    client = login(world.user("leader"))
    with django_assert_max_num_queries(9):
        body = client.get(url("ballot", session.pk)).content.decode()
    assert "已评 10 / 15" in body
    with django_assert_max_num_queries(17):
        client.post(url("cast", session.pk, seat(session, units[-1]).pk), {"grade": "2"}, **HTMX)
