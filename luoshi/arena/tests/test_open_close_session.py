"""open_session and close_session: draft → open → closed, once each; closing freezes every presenter's score, rank
and counted ballots."""

import pytest

from luoshi.arena import actions
from luoshi.arena.choices import SessionStatus
from luoshi.arena.models import ArenaSession, Presenter
from luoshi.arena.tests.conftest import NOW, cast, new_session, seat
from luoshi.conftest import World
from luoshi.org.models import Unit


def test_opening(world: World, session: ArenaSession) -> None:
    opened = actions.open_session(session, world.user("supervisor"), NOW)
    assert (opened.status, opened.opened_at) == (SessionStatus.OPEN, NOW)
    assert opened.history.first().history_user == world.user("supervisor")
    with pytest.raises(actions.ArenaRefused, match="擂台当前为“评分中”，不能开始评分"):
        actions.open_session(session, None, NOW)


def test_closing_freezes_the_results(world: World, finance: Unit) -> None:
    judges = ("leader", "supervisor", "unithead", "viewer")
    running = new_session(world, [world.tech, world.dev, finance], judges=judges, trim=True)
    actions.open_session(running, None, NOW)
    # 区科技创新局: 好 好 较好 较差 → 好 较好 count: 7 of 8 → 87.5
    # 区发展和改革局: 好 好 好 好 → 100; 区财政局: 较好 一般 (two, nothing trimmed) → 5 of 8 → 62.5
    grades = {"leader": (4, 4, 3), "supervisor": (4, 4, 2), "unithead": (3, 4, None), "viewer": (1, 4, None)}
    for persona, row in grades.items():
        for unit, grade in zip((world.tech, world.dev, finance), row, strict=True):
            if grade:
                cast(world, running, unit, persona, grade=grade)
    closed = actions.close_session(running, world.user("supervisor"), NOW)
    assert (closed.status, closed.closed_at) == (SessionStatus.CLOSED, NOW)
    frozen = {p.unit.name: (p.score, p.rank, p.counted) for p in Presenter.objects.select_related("unit")}
    assert frozen == {
        "区科技创新局": (87.5, 2, 2),
        "区发展和改革局": (100.0, 1, 2),
        "区财政局": (62.5, 3, 2),
    }
    assert seat(running, world.dev).history.first().history_user == world.user("supervisor")
    with pytest.raises(actions.ArenaRefused, match="擂台当前为“已结束”，不能结束评分"):
        actions.close_session(running, None, NOW)


def test_a_presenter_nobody_graded_has_no_place(world: World, running: ArenaSession) -> None:
    cast(world, running, world.tech, "leader", grade=2)
    actions.close_session(running, None, NOW)
    assert (seat(running, world.tech).score, seat(running, world.tech).rank) == (50.0, 1)
    assert (
        seat(running, world.dev).score,
        seat(running, world.dev).rank,
        seat(running, world.dev).counted,
    ) == (
        None,
        None,
        0,
    )


def test_a_session_in_preparation_cannot_close(world: World, session: ArenaSession) -> None:
    with pytest.raises(actions.ArenaRefused, match="擂台当前为“筹备中”，不能结束评分"):
        actions.close_session(session, None, NOW)
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT
