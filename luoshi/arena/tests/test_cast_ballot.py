"""cast_ballot: a judge grades a presenter while the session is open, and may change the grade; bad input and
the wrong person or moment are refused with a message, and nothing is written."""

from datetime import timedelta

import pytest

from luoshi.arena import actions
from luoshi.arena.models import ArenaSession, Ballot
from luoshi.arena.queries import results
from luoshi.arena.tests.conftest import NOW, cast, new_session, seat
from luoshi.conftest import World
from luoshi.org.models import Unit


def test_a_judge_grades_and_changes_their_mind(world: World, running: ArenaSession) -> None:
    first = cast(world, running, world.tech, "leader", grade=3)
    assert (first.grade, first.scores, first.cast_at) == (3, {}, NOW)
    later = NOW + timedelta(minutes=5)
    changed = actions.cast_ballot(
        running, seat(running, world.tech), world.user("leader"), grade="4", now=later
    )
    assert changed.pk == first.pk and (changed.grade, changed.cast_at) == (4, later)
    assert Ballot.objects.count() == 1
    assert [h.grade for h in first.history.order_by("history_id")] == [
        3,
        4,
    ]  # the first grade stays on record
    assert first.history.first().history_user == world.user("leader")
    cast(world, running, world.tech, "leader", grade=4)  # the same grade again writes nothing
    assert first.history.count() == 2


def test_ballots_of_three_judges_make_the_score(world: World, running: ArenaSession, finance: Unit) -> None:
    # 区科技创新局: 好 较好 一般 = 9 of 12 → 75; 区发展和改革局: 好 好 较好 = 11 of 12 → 91.67; 区财政局: 好 only → 100.
    for persona, grades in {
        "leader": (4, 4, 4),
        "supervisor": (3, 4, None),
        "unithead": (2, 3, None),
    }.items():
        for unit, grade in zip((world.tech, world.dev, finance), grades, strict=True):
            if grade:
                cast(world, running, unit, persona, grade=grade)
    rows = {r.presenter.unit.name: (r.score, r.rank, r.received) for r in results(running)}
    assert rows == {"区财政局": (100.0, 1, 1), "区发展和改革局": (91.67, 2, 3), "区科技创新局": (75.0, 3, 3)}


def test_criteria_scores(world: World, scored: ArenaSession) -> None:
    ballot = cast(
        world, scored, world.tech, "leader", scores={"工作成效": "36", "创新举措": 25.5, "下步思路": 0}
    )
    assert ballot.scores == {"工作成效": 36, "创新举措": 25.5, "下步思路": 0} and ballot.grade is None
    assert ballot.total == 61.5
    cast(world, scored, world.tech, "unithead", scores={"工作成效": 40, "创新举措": 30, "下步思路": 30})
    assert results(scored)[0].score == 80.75  # 161.5 of 200


@pytest.mark.parametrize("grade", [0, 5, "5", "abc", "3.5", "", None, True])
def test_a_grade_outside_the_four_is_refused(
    world: World, running: ArenaSession, grade: bool | int | str | None
) -> None:
    with pytest.raises(actions.ArenaRefused, match="评价须为好、较好、一般或较差之一"):
        cast(world, running, world.tech, "leader", grade=grade)
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "scores, message",
    [
        ({"工作成效": 30, "创新举措": 20, "下步思路": 20, "形象": 5}, "本场擂台没有名为“形象”的评分项"),
        ({"工作成效": 30, "创新举措": 20}, "请为“下步思路”打分"),
        ({"工作成效": 30, "创新举措": 20, "下步思路": " "}, "请为“下步思路”打分"),
        ({"工作成效": "三十", "创新举措": 20, "下步思路": 20}, "“工作成效”的分数“三十”不是数字"),
        ({"工作成效": "nan", "创新举措": 20, "下步思路": 20}, "“工作成效”的分数“nan”不是数字"),
        ({"工作成效": 41, "创新举措": 20, "下步思路": 20}, "“工作成效”的分数须在 0 到 40 之间"),
        ({"工作成效": 30, "创新举措": -1, "下步思路": 20}, "“创新举措”的分数须在 0 到 30 之间"),
        ({}, "请为“工作成效”打分"),
    ],
)
def test_bad_criteria_scores_are_refused(
    world: World, scored: ArenaSession, scores: dict[str, object], message: str
) -> None:
    with pytest.raises(actions.ArenaRefused, match=message):
        cast(world, scored, world.tech, "leader", scores=scores)
    assert not Ballot.objects.exists()


def test_the_ballot_matches_the_grading(world: World, running: ArenaSession, scored: ArenaSession) -> None:
    with pytest.raises(actions.ArenaRefused, match="本场擂台按四档评价，不分项打分"):
        cast(world, running, world.tech, "leader", grade=4, scores={"工作成效": 30})
    with pytest.raises(actions.ArenaRefused, match="本场擂台分项打分，不按四档评价"):
        cast(world, scored, world.tech, "leader", grade=4)
    assert not Ballot.objects.exists()


def test_only_the_sessions_judges_cast(world: World, running: ArenaSession) -> None:
    for persona in ("viewer", "liaison_dev", "admin"):
        with pytest.raises(actions.ArenaRefused, match="您不是本场擂台的评委"):
            cast(world, running, world.dev, persona, grade=4)
    assert not Ballot.objects.exists()


def test_a_presenter_of_another_session_is_refused(world: World, running: ArenaSession) -> None:
    other = new_session(world, [world.tech])
    with pytest.raises(actions.ArenaRefused, match="这个单位不在本场擂台的出场名单上"):
        actions.cast_ballot(running, seat(other, world.tech), world.user("leader"), grade=4, now=NOW)
    assert not Ballot.objects.exists()


def test_ballots_only_while_the_session_is_open(world: World, session: ArenaSession) -> None:
    with pytest.raises(actions.ArenaRefused, match="擂台尚未开始评分"):
        cast(world, session, world.tech, "leader", grade=4)
    actions.open_session(session, None, NOW)
    cast(world, session, world.tech, "leader", grade=4)
    actions.close_session(session, None, NOW)
    with pytest.raises(actions.ArenaRefused, match="擂台已结束，评分不能再修改"):
        cast(world, session, world.tech, "leader", grade=1)
    assert Ballot.objects.get().grade == 4
