"""create_session: a session with its running order and judges, recorded; any bad input refused with a message that
names the field, and nothing written."""

from typing import Any

import pytest

from luoshi.arena import actions
from luoshi.arena.choices import SessionStatus
from luoshi.arena.models import ArenaSession, Judge, Presenter
from luoshi.arena.tests.conftest import CRITERIA, NOW, new_session, values
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.models import Unit


def test_a_session_in_preparation_with_its_order_and_judges(
    world: World, session: ArenaSession, finance: Unit
) -> None:
    assert (session.status, session.period, session.created_by) == (
        SessionStatus.DRAFT,
        "2026Q3",
        world.user("supervisor"),
    )
    order = list(session.presenters.order_by("position").values_list("unit__name", "position", "speaker"))
    assert order == [
        ("区科技创新局", 1, "区科技创新局局长"),
        ("区发展和改革局", 2, "区发展和改革局局长"),
        ("区财政局", 3, "区财政局局长"),
    ]
    assert set(session.judges.values_list("user__username", flat=True)) == {
        "leader",
        "supervisor",
        "unithead",
    }
    assert session.history.get().history_user == world.user("supervisor")
    assert Presenter.history.count() == 3 and Judge.history.count() == 3


def test_periods_as_offices_write_them(world: World) -> None:
    session = new_session(world, [world.tech], period="2026年第三季度")
    assert session.period == "2026Q3"


def test_criteria_are_stored_checked(world: World) -> None:
    raw = [{"name": " 工作成效 ", "max": "40"}, {"name": "创新举措", "max": 7.5}]
    session = new_session(world, [world.tech], grading="criteria", criteria=raw)
    assert session.criteria == [{"name": "工作成效", "max": 40}, {"name": "创新举措", "max": 7.5}]
    assert session.full_marks == 47.5
    graded = new_session(world, [world.tech], criteria=CRITERIA)  # graded on the four grades: no criteria
    assert graded.criteria == [] and graded.full_marks == 4


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": "  "}, "请填写擂台名称"),
        ({"held_on": None}, "请填写举办日期"),
        ({"period": "下季度"}, "述职期间“下季度”无法识别"),
        ({"grading": "applause"}, "评分方式须为四档评价或分项打分"),
        ({"minutes": 0}, "每人发言时间须在 1 到 60 分钟之间"),
        ({"minutes": 61}, "每人发言时间须在 1 到 60 分钟之间"),
        ({"grading": "criteria", "criteria": []}, "分项打分须至少有一个评分项"),
        ({"grading": "criteria", "criteria": '[{"name": "成效", "max": 40}]'}, "评分项格式不对"),
        ({"grading": "criteria", "criteria": [{"name": "成效"}]}, "评分项格式不对"),
        ({"grading": "criteria", "criteria": [{"name": "成效", "max": 40, "weight": 2}]}, "评分项格式不对"),
        ({"grading": "criteria", "criteria": [["成效", 40]]}, "评分项格式不对"),
        ({"grading": "criteria", "criteria": [{"name": " ", "max": 40}]}, "第1个评分项没有名称"),
        ({"grading": "criteria", "criteria": [{"name": 7, "max": 40}]}, "第1个评分项没有名称"),
        (
            {"grading": "criteria", "criteria": [{"name": "成效", "max": 40}, {"name": "成效", "max": 10}]},
            "评分项“成效”重复",
        ),
        (
            {"grading": "criteria", "criteria": [{"name": "成效", "max": 0}]},
            "评分项“成效”的满分须为 0 到 1000",
        ),
        ({"grading": "criteria", "criteria": [{"name": "成效", "max": "四十"}]}, "评分项“成效”的满分须为"),
        ({"grading": "criteria", "criteria": [{"name": "成效", "max": True}]}, "评分项“成效”的满分须为"),
        (
            {"grading": "criteria", "criteria": [{"name": "成效", "max": float("nan")}]},
            "评分项“成效”的满分须为",
        ),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(
    world: World, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(actions.ArenaRefused, match=message):
        new_session(world, [world.tech], **changes)
    assert not ArenaSession.objects.exists()


def test_a_unit_on_the_running_order_twice_is_refused(world: World) -> None:
    with pytest.raises(actions.ArenaRefused, match="述职单位“区科技创新局”重复"):
        new_session(world, [world.tech, world.dev, world.tech])
    assert not ArenaSession.objects.exists() and not Presenter.objects.exists()


def test_another_zones_unit_is_refused(world: World) -> None:
    elsewhere = org_actions.create_unit(world.other_zone, "乙区财政局")
    with pytest.raises(actions.ArenaRefused, match="单位“乙区财政局”不属于本园区"):
        new_session(world, [world.tech, elsewhere])
    assert not ArenaSession.objects.exists()


def test_no_presenters_or_no_judges_is_refused(world: World) -> None:
    with pytest.raises(actions.ArenaRefused, match="请至少选择一个述职单位"):
        new_session(world, [])
    with pytest.raises(actions.ArenaRefused, match="请至少选择一名评委"):
        new_session(world, [world.tech], judges=())
    assert not ArenaSession.objects.exists()


def test_judges_come_from_the_zone(world: World) -> None:
    with pytest.raises(actions.ArenaRefused, match="“outsider”不是本园区的人员，不能担任评委"):
        new_session(world, [world.tech], judges=("leader", "outsider"))
    assert not ArenaSession.objects.exists() and not Judge.objects.exists()


def test_a_speakers_name_is_limited(world: World) -> None:
    seats = [actions.Seat(world.tech, "长" * 101)]
    with pytest.raises(actions.ArenaRefused, match="“区科技创新局”的发言人不能超过100个字"):
        actions.create_session(world.zone, values(), seats, [world.user("leader")], None, NOW)
    assert not ArenaSession.objects.exists()
