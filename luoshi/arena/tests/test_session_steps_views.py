"""开始评分 and 结束评分: buttons of the supervision office, posted; a refusal (a double click) is a message."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from luoshi.arena.choices import SessionStatus
from luoshi.arena.models import ArenaSession
from luoshi.arena.tests.conftest import cast, url
from luoshi.conftest import World


def test_the_office_opens_and_closes_a_session(
    world: World, login: Callable[[User], Client], session: ArenaSession
) -> None:
    client = login(world.user("supervisor"))
    response = client.post(url("session_open", session.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("session_detail", session.pk)
    assert "已开始评分，评委现在可以打分" in response.content.decode()
    cast(world, session, world.tech, "leader", grade=4)
    response = client.post(url("session_close", session.pk), follow=True)
    assert "评分已结束，结果已锁定" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert session.presenters.get(unit=world.tech).rank == 1


def test_a_second_click_is_refused_with_a_message(
    world: World, login: Callable[[User], Client], running: ArenaSession
) -> None:
    response = login(world.user("supervisor")).post(url("session_open", running.pk), follow=True)
    assert "擂台当前为“评分中”，不能开始评分" in response.content.decode()


@pytest.mark.parametrize("persona", ["leader", "viewer", "unithead", "liaison_dev", "outsider", "nobody"])
def test_only_the_office_opens_and_closes(
    world: World, login: Callable[[User], Client], session: ArenaSession, persona: str
) -> None:
    client = login(world.user(persona))
    assert client.post(url("session_open", session.pk)).status_code == 404
    assert client.post(url("session_close", session.pk)).status_code == 404
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT


def test_the_steps_are_posts(world: World, login: Callable[[User], Client], session: ArenaSession) -> None:
    client = login(world.user("supervisor"))
    assert client.get(url("session_open", session.pk)).status_code == 405
    assert client.get(url("session_close", session.pk)).status_code == 405
