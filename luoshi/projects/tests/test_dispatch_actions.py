"""The dispatch meeting's writes: numbering per zone and year, decisions checked against the meeting, and the
decision lifecycle (open → done; frozen once a later meeting is held)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from luoshi.conftest import World
from luoshi.projects import queries
from luoshi.projects.actions import ProjectError
from luoshi.projects.actions import dispatch as dispatch_actions
from luoshi.projects.choices import DecisionStatus
from luoshi.projects.models import Decision, DispatchMeeting
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.dispatch_fixtures import Past, clock_fixture, past_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("clock")


def test_numbers_run_per_zone_and_year(world: World) -> None:
    user = world.user("supervisor")
    first = dispatch_actions.open_meeting(world.zone, date(2026, 12, 3), "张主任", "", user)
    second = dispatch_actions.open_meeting(world.zone, date(2026, 12, 10), "", "", user)
    elsewhere = dispatch_actions.open_meeting(world.other_zone, date(2026, 12, 10), "", "", None)
    next_year = dispatch_actions.open_meeting(world.zone, date(2027, 1, 7), "", "", user)
    assert [(m.year, m.number) for m in (first, second, elsewhere, next_year)] == [
        (2026, 1),
        (2026, 2),
        (2026, 1),
        (2027, 1),
    ]
    assert first.created_by == user and first.history.first().history_user == user


def test_the_unique_number_is_the_last_defence(world: World) -> None:
    dispatch_actions.open_meeting(world.zone, date(2026, 12, 3), "", "", None)
    with pytest.raises(IntegrityError), transaction.atomic():
        DispatchMeeting.objects.create(zone=world.zone, year=2026, number=1, held_on=date(2026, 12, 4))


def test_a_meeting_before_the_latest_is_refused(world: World) -> None:
    dispatch_actions.open_meeting(world.zone, date(2026, 12, 10), "", "", None)
    with pytest.raises(ProjectError, match="会议日期 2026-12-03 早于上一期（2026年第1期，2026-12-10）"):
        dispatch_actions.open_meeting(world.zone, date(2026, 12, 3), "", "", None)
    assert DispatchMeeting.objects.filter(zone=world.zone).count() == 1


def test_a_decision_takes_its_unit_from_the_blocker_or_the_project(
    world: World, ledger: Ledger, past: Past
) -> None:
    assert past.open.project == ledger.factory and past.open.unit == world.dev  # the blocker's unit
    assert past.done.unit == world.dev  # the hub's lead unit
    chosen = dispatch_actions.record_decision(
        past.meeting, {"text": "  加快进度  ", "project": ledger.factory, "unit": world.office}, None
    )
    assert chosen.unit == world.office and chosen.text == "加快进度"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "议定事项：请填写议定事项内容"),
        ({"text": "推进", "due": date(2026, 12, 2)}, "完成时限：2026-12-02 早于会议日期 2026-12-03"),
        ({"text": "推进", "unit": "other_unit"}, "落实单位：不属于本园区"),
        ({"text": "推进", "project": "foreign"}, "项目：不属于本园区"),
        ({"text": "推进", "project": "hub", "blocker": "blocker"}, "不是项目“科创中心”的问题"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_written(
    world: World, ledger: Ledger, past: Past, fields: dict[str, object], message: str
) -> None:
    named = {
        "other_unit": ledger.foreign.lead_unit,
        "foreign": ledger.foreign,
        "hub": ledger.hub,
        "blocker": ledger.blocker,
    }
    fields = {k: named.get(v, v) if isinstance(v, str) and k != "text" else v for k, v in fields.items()}
    before = Decision.objects.count()
    with pytest.raises(ProjectError, match=message):
        dispatch_actions.record_decision(past.meeting, fields, None)
    assert Decision.objects.count() == before


def test_update_checks_the_whole_decision(world: World, ledger: Ledger, past: Past) -> None:
    assert dispatch_actions.update_decision(past.open, {"due": date(2026, 12, 31)}, None) == ["due"]
    with pytest.raises(ProjectError, match="完成时限"):
        dispatch_actions.update_decision(past.open, {"due": date(2026, 11, 1)}, None)
    past.open.refresh_from_db()
    assert past.open.due == date(2026, 12, 31)
    assert dispatch_actions.update_decision(past.open, {"due": date(2026, 12, 31)}, None) == []


def test_complete_records_the_outcome_and_date_once(world: World, past: Past) -> None:
    user = world.user("supervisor")
    with pytest.raises(ProjectError, match="落实结果：请填写落实情况"):
        dispatch_actions.complete_decision(past.open, "  ", date(2026, 12, 10), user)
    with pytest.raises(ProjectError, match="落实日期：2026-12-01 早于会议日期 2026-12-03"):
        dispatch_actions.complete_decision(past.open, "已接入", date(2026, 12, 1), user)
    done = dispatch_actions.complete_decision(past.open, "已接入", date(2026, 12, 10), user)
    assert (done.status, done.outcome, done.done_on) == (DecisionStatus.DONE, "已接入", date(2026, 12, 10))
    again = dispatch_actions.complete_decision(past.open, "又一次", date(2026, 12, 11), user)
    assert (again.outcome, again.done_on) == ("已接入", date(2026, 12, 10))
    assert done.history.count() == 2  # recorded, then done


def test_a_later_meeting_freezes_the_decisions(world: World, ledger: Ledger, past: Past) -> None:
    assert queries.is_latest_meeting(past.meeting)
    dispatch_actions.open_meeting(world.zone, date(2026, 12, 10), "", "", None)
    assert not queries.is_latest_meeting(past.meeting)
    for write in (
        lambda: dispatch_actions.record_decision(past.meeting, {"text": "补记"}, None),
        lambda: dispatch_actions.update_decision(past.open, {"text": "改"}, None),
        lambda: dispatch_actions.delete_decision(past.open, None),
    ):
        with pytest.raises(ProjectError, match="第1期之后已召开新的调度会"):
            write()
    # It is still followed up and marked done at the next meeting.
    assert (
        dispatch_actions.complete_decision(past.open, "已接入", date(2026, 12, 10), None).status
        == DecisionStatus.DONE
    )


def test_minutes_are_recorded(world: World, past: Past) -> None:
    user = world.user("supervisor")
    changed = dispatch_actions.update_meeting(
        past.meeting, {"notes": "会议听取了项目进展", "chair": "张主任"}, user
    )
    assert changed == ["notes"]
    assert past.meeting.history.first().history_user == user
