"""update_session, set_presenters and set_judges: the running order and the judges change until the session
closes; nobody with ballots is taken off, and the grading stays once ballots are in."""

import pytest

from luoshi.arena import actions
from luoshi.arena.models import ArenaSession, Presenter
from luoshi.arena.tests.conftest import CRITERIA, NOW, cast, values
from luoshi.conftest import World
from luoshi.org.models import Unit


def order(session: ArenaSession) -> list[tuple[str, int, str]]:
    return list(session.presenters.order_by("position").values_list("unit__name", "position", "speaker"))


def test_presenters_are_added_moved_and_removed(world: World, session: ArenaSession, finance: Unit) -> None:
    supervisor = world.user("supervisor")
    kept = Presenter.objects.get(session=session, unit=finance)
    actions.set_presenters(session, [actions.Seat(finance, "新局长"), actions.Seat(world.tech)], supervisor)
    assert order(session) == [("区财政局", 1, "新局长"), ("区科技创新局", 2, "")]
    assert Presenter.objects.get(session=session, unit=finance).pk == kept.pk  # moved, not replaced
    assert kept.history.count() == 2 and kept.history.first().history_user == supervisor
    assert Presenter.history.filter(history_type="-").count() == 1  # 区发展和改革局 left, on record


def test_judges_are_added_and_removed(world: World, session: ArenaSession) -> None:
    actions.set_judges(session, [world.user("leader"), world.user("viewer"), world.user("leader")], None)
    assert set(session.judges.values_list("user__username", flat=True)) == {"leader", "viewer"}


def test_settings_change_while_in_preparation(world: World, session: ArenaSession, finance: Unit) -> None:
    seats = [actions.Seat(world.tech), actions.Seat(finance)]
    changed = values(title="擂台赛（调整）", grading="criteria", criteria=CRITERIA, trim=True, minutes=5)
    actions.update_session(session, changed, seats, [world.user("leader")], world.user("supervisor"))
    session.refresh_from_db()
    assert (session.title, session.grading, session.trim, session.minutes) == (
        "擂台赛（调整）",
        "criteria",
        True,
        5,
    )
    assert session.full_marks == 100 and len(order(session)) == 2


def test_an_open_session_takes_new_people_but_keeps_those_with_ballots(
    world: World, running: ArenaSession, finance: Unit
) -> None:
    cast(world, running, world.dev, "leader", grade=4)
    people = [world.user("supervisor"), world.user("unithead")]
    with pytest.raises(actions.ArenaRefused, match="“区发展和改革局”已有评分，不能移出出场名单"):
        actions.set_presenters(running, [actions.Seat(world.tech), actions.Seat(finance)], None)
    with pytest.raises(actions.ArenaRefused, match="评委“leader”已经评分，不能移除"):
        actions.set_judges(running, people, None)
    actions.set_judges(running, [*people, world.user("leader"), world.user("viewer")], None)
    assert running.judges.count() == 4 and running.presenters.count() == 3


def test_the_grading_stays_once_ballots_are_in(world: World, running: ArenaSession) -> None:
    cast(world, running, world.tech, "leader", grade=3)
    seats = [actions.Seat(p.unit) for p in running.presenters.select_related("unit")]
    judges = [world.user("leader")]
    with pytest.raises(actions.ArenaRefused, match="已有评分，不能再修改评分方式和评分项"):
        actions.update_session(running, values(grading="criteria", criteria=CRITERIA), seats, judges, None)
    actions.update_session(
        running, values(title="改名", trim=True), seats, [*judges, world.user("supervisor")], None
    )
    running.refresh_from_db()
    assert running.title == "改名" and running.trim and running.grading == "grades"


def test_a_closed_session_never_changes(world: World, running: ArenaSession) -> None:
    actions.close_session(running, None, NOW)
    seats = [actions.Seat(world.tech)]
    for change in (
        lambda: actions.update_session(running, values(title="改名"), seats, [world.user("leader")], None),
        lambda: actions.set_presenters(running, seats, None),
        lambda: actions.set_judges(running, [world.user("viewer")], None),
    ):
        with pytest.raises(actions.ArenaRefused, match="擂台已结束，不能修改"):
            change()
    running.refresh_from_db()
    assert running.title == "2026年第三季度擂台赛" and running.presenters.count() == 3
