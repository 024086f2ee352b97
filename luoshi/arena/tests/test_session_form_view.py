"""New and edit: the supervision office chooses the units and their order, the judges and the grading; bad input
comes back on the form with a message that names the field, and nothing is written."""

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from luoshi.arena import actions
from luoshi.arena.models import ArenaSession
from luoshi.arena.tests.conftest import NOW, url
from luoshi.conftest import World
from luoshi.org.models import Unit


def form(
    world: World,
    *units_and_orders: tuple[Unit, str, str],
    judges: Sequence[str] = ("leader", "unithead"),
    **fields: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "第三季度擂台赛", "held_on": "2026-10-15", "period": "2026年第三季度", "minutes": "6",
        "grading": "grades", "criteria": "", "judges": [world.user(j).pk for j in judges], **fields,
    }  # fmt: skip
    for unit, order, speaker in units_and_orders:
        data |= {f"unit_{unit.pk}": "on", f"order_{unit.pk}": order, f"speaker_{unit.pk}": speaker}
    return data


def test_the_office_prepares_a_session(world: World, login: Callable[[User], Client], finance: Unit) -> None:
    client = login(world.user("supervisor"))
    page = client.get(url("session_new")).content.decode()
    assert "区财政局" in page and f'name="unit_{finance.pk}"' in page and "leader（领导）" in page
    data = form(world, (world.dev, "2", "王局长"), (finance, "", ""), (world.tech, "1", "李局长"), trim="on")
    response = client.post(url("session_new"), data)
    session = ArenaSession.objects.get()
    assert response.status_code == 302 and response["Location"] == url("session_detail", session.pk)
    assert (session.period, session.trim, session.created_by) == ("2026Q3", True, world.user("supervisor"))
    order = list(session.presenters.order_by("position").values_list("unit__name", "speaker"))
    assert order == [("区科技创新局", "李局长"), ("区发展和改革局", "王局长"), ("区财政局", "")]
    assert set(session.judges.values_list("user__username", flat=True)) == {"leader", "unithead"}


def test_criteria_are_written_one_per_line(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    criteria = "工作成效,40\n\n创新举措，30\n下步思路：15\n作风 15"
    client.post(url("session_new"), form(world, (world.tech, "", ""), grading="criteria", criteria=criteria))
    assert ArenaSession.objects.get().criteria == [
        {"name": "工作成效", "max": 40},
        {"name": "创新举措", "max": 30},
        {"name": "下步思路", "max": 15},
        {"name": "作风", "max": 15},
    ]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"grading": "criteria", "criteria": "工作成效,40\n创新举措"}, "第2行应写作“名称,满分”"),
        ({"grading": "criteria", "criteria": "工作成效,40\n工作成效,30"}, "评分项“工作成效”重复"),
        ({"grading": "criteria", "criteria": "工作成效,四十"}, "评分项“工作成效”的满分须为"),
        ({"grading": "criteria", "criteria": "  "}, "分项打分须至少有一个评分项"),
        ({"period": "下季度"}, "期间无法识别"),
        ({"minutes": "90"}, "确保该值小于或等于60"),
        ({"judges": []}, "请至少选择一名评委"),
        ({"title": ""}, "这个字段是必填项"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(
    world: World, login: Callable[[User], Client], fields: dict[str, Any], message: str
) -> None:
    response = login(world.user("supervisor")).post(
        url("session_new"), form(world, (world.tech, "", "")) | fields
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not ArenaSession.objects.exists()


def test_a_session_needs_presenters(world: World, login: Callable[[User], Client]) -> None:
    response = login(world.user("supervisor")).post(url("session_new"), form(world))
    assert "请至少选择一个述职单位" in response.content.decode()
    assert not ArenaSession.objects.exists()


def test_the_office_edits_a_session(
    world: World, login: Callable[[User], Client], running: ArenaSession, finance: Unit
) -> None:
    client = login(world.user("supervisor"))
    page = client.get(url("session_edit", running.pk)).content.decode()
    assert 'value="2026-10-15"' in page and "区科技创新局局长" in page
    data = form(world, (finance, "1", "新局长"), (world.tech, "2", ""), (world.dev, "3", ""), title="改名")
    assert client.post(url("session_edit", running.pk), data).status_code == 302
    running.refresh_from_db()
    assert running.title == "改名"
    assert list(running.presenters.order_by("position").values_list("unit__name", flat=True)) == [
        "区财政局",
        "区科技创新局",
        "区发展和改革局",
    ]


def test_a_refused_change_is_shown_on_the_form(
    world: World, login: Callable[[User], Client], running: ArenaSession
) -> None:
    actions.cast_ballot(
        running, running.presenters.get(unit=world.dev), world.user("leader"), grade=4, now=NOW
    )
    data = form(world, (world.tech, "1", ""))  # 区发展和改革局 has a ballot and cannot be taken off
    body = login(world.user("supervisor")).post(url("session_edit", running.pk), data).content.decode()
    assert "“区发展和改革局”已有评分，不能移出出场名单" in body
    assert running.presenters.count() == 3


def test_a_closed_session_is_not_edited(
    world: World, login: Callable[[User], Client], running: ArenaSession
) -> None:
    actions.close_session(running, None, NOW)
    client = login(world.user("supervisor"))
    response = client.get(url("session_edit", running.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("session_detail", running.pk)
    assert "擂台已结束，不能修改" in response.content.decode()


@pytest.mark.parametrize("persona", ["leader", "viewer", "unithead", "liaison_dev", "outsider"])
def test_only_the_office_prepares_sessions(
    world: World, login: Callable[[User], Client], running: ArenaSession, persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(url("session_new")).status_code == 404
    assert client.post(url("session_new"), form(world, (world.tech, "", ""))).status_code == 404
    assert client.get(url("session_edit", running.pk)).status_code == 404
    assert ArenaSession.objects.count() == 1
