"""Writing at the meeting: decisions recorded, changed and deleted while the meeting is the latest, followed up
and marked done at the next one, blockers cleared, minutes saved — by the office only, with Chinese errors that
say where, and nothing written on bad input."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from luoshi.conftest import World
from luoshi.projects.actions import dispatch as dispatch_actions
from luoshi.projects.choices import BlockerStatus, DecisionStatus
from luoshi.projects.models import Decision, DispatchMeeting
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.dispatch_fixtures import Past, clock_fixture, past_fixture, url  # noqa: F401

pytestmark = pytest.mark.usefixtures("clock")
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def this_week(world: World, past: Past) -> DispatchMeeting:
    return dispatch_actions.open_meeting(world.zone, date(2026, 12, 10), "", "", world.user("supervisor"))


def test_recording_a_decision_with_htmx_returns_the_section(
    world: World, login: Callable[[User], Client], ledger: Ledger, this_week: DispatchMeeting
) -> None:
    client = login(world.user("supervisor"))
    data = {"text": "月底前完成供电接入", "blocker": ledger.blocker.pk, "due": "2026-12-31"}
    response = client.post(url("dispatch_decision_new", this_week.pk), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section class="card" id="decisions">')
    assert "月底前完成供电接入" in html and "区发展和改革局" in html
    decision = this_week.decisions.get()
    assert (decision.project, decision.blocker, decision.unit, decision.due) == (
        ledger.factory,
        ledger.blocker,
        world.dev,
        date(2026, 12, 31),
    )


def test_recording_without_javascript_comes_back_to_the_page(
    world: World, login: Callable[[User], Client], ledger: Ledger, this_week: DispatchMeeting
) -> None:
    response = login(world.user("admin")).post(
        url("dispatch_decision_new", this_week.pk), {"text": "加快手续办理", "project": ledger.hub.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == url("dispatch_detail", this_week.pk) + "#decisions"
    assert this_week.decisions.get().unit == world.dev


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"text": ""}, "text", "请填写议定事项内容"),
        ({"text": "推进", "due": "2026-12-09"}, "due", "完成时限不能早于会议日期 2026-12-10"),
        ({"text": "推进", "due": "12月底"}, "due", "请按 2026-11-30 的格式填写日期"),
        ({"text": "推进", "unit": "foreign_unit"}, "unit", "请选择本园区的单位"),
        ({"text": "推进", "project": "foreign"}, "project", "请选择本园区本年度的项目"),
    ],
)
def test_bad_decisions_are_refused(
    world: World,
    login: Callable[[User], Client],
    ledger: Ledger,
    this_week: DispatchMeeting,
    data: dict[str, str],
    field: str,
    error: str,
) -> None:
    ids = {"foreign_unit": ledger.foreign.lead_unit_id, "foreign": ledger.foreign.pk}
    posted = {k: ids.get(v, v) for k, v in data.items()}
    response = login(world.user("supervisor")).post(
        url("dispatch_decision_new", this_week.pk), posted, **HTMX
    )
    assert response.status_code == 200
    assert error in response.context["decision_form"].errors[field][0]
    assert error in response.content.decode()
    assert not this_week.decisions.exists()


def test_a_blocker_of_another_project_is_refused_on_the_form(
    world: World, login: Callable[[User], Client], ledger: Ledger, this_week: DispatchMeeting
) -> None:
    data = {"text": "推进", "project": ledger.hub.pk, "blocker": ledger.blocker.pk}
    response = login(world.user("supervisor")).post(url("dispatch_decision_new", this_week.pk), data, **HTMX)
    assert "问题：“供电线路未接入”不是项目“科创中心”的问题" in response.content.decode()
    assert not this_week.decisions.exists()


def test_edit_and_delete_while_the_meeting_is_the_latest(
    world: World, login: Callable[[User], Client], ledger: Ledger, this_week: DispatchMeeting
) -> None:
    decision = dispatch_actions.record_decision(this_week, {"text": "推进", "project": ledger.hub}, None)
    client = login(world.user("supervisor"))
    form = client.get(url("dispatch_decision_edit", this_week.pk, decision.pk), **HTMX)
    assert form.context["edit_form"].initial["project"] == ledger.hub.pk and "保存" in form.content.decode()
    client.post(
        url("dispatch_decision_edit", this_week.pk, decision.pk),
        {"text": "加快推进", "project": ledger.hub.pk, "unit": world.office.pk, "due": "2026-12-20"},
        **HTMX,
    )
    decision.refresh_from_db()
    assert (decision.text, decision.unit, decision.due) == ("加快推进", world.office, date(2026, 12, 20))
    bad = client.post(url("dispatch_decision_edit", this_week.pk, decision.pk), {"text": ""}, **HTMX)
    assert "请填写议定事项内容" in bad.content.decode()
    client.post(url("dispatch_decision_delete", this_week.pk, decision.pk), **HTMX)
    assert not Decision.objects.filter(pk=decision.pk).exists()


def test_a_past_meeting_is_read_only(
    world: World, login: Callable[[User], Client], past: Past, this_week: DispatchMeeting
) -> None:
    client = login(world.user("supervisor"))
    html = client.get(url("dispatch_detail", past.meeting.pk)).content.decode()
    assert "记录议定事项" not in html and "之后已召开新的调度会" in html
    response = client.post(
        url("dispatch_decision_edit", past.meeting.pk, past.open.pk), {"text": "改写"}, **HTMX
    )
    assert "第1期之后已召开新的调度会，本期议定事项不能再修改" in response.content.decode()
    client.post(url("dispatch_decision_delete", past.meeting.pk, past.open.pk))
    past.open.refresh_from_db()
    assert past.open.text == "协调供电公司接入线路"


def test_a_decision_of_another_meeting_is_not_edited_here(
    world: World, login: Callable[[User], Client], past: Past, this_week: DispatchMeeting
) -> None:
    client = login(world.user("supervisor"))
    response = client.get(url("dispatch_decision_edit", this_week.pk, past.open.pk))
    assert response.status_code == 404


def test_decisions_are_followed_up_until_done(
    world: World, login: Callable[[User], Client], past: Past, this_week: DispatchMeeting
) -> None:
    """Open at 第1期 → listed at 第2期 → marked done there → shown done at 第2期, gone from 第3期."""
    client = login(world.user("supervisor"))
    page = client.get(url("dispatch_detail", this_week.pk)).content.decode()
    assert "协调供电公司接入线路" in page and "标记已落实" in page
    empty = client.post(url("dispatch_decision_done", this_week.pk, past.open.pk), {"outcome": " "}, **HTMX)
    assert "请填写落实情况" in empty.content.decode()
    past.open.refresh_from_db()
    assert past.open.status == DecisionStatus.OPEN
    done = client.post(
        url("dispatch_decision_done", this_week.pk, past.open.pk), {"outcome": "已接入"}, **HTMX
    )
    assert done.content.decode().lstrip().startswith('<section class="card" id="carried">')
    past.open.refresh_from_db()
    assert (past.open.status, past.open.done_on, past.open.outcome) == ("done", date(2026, 12, 10), "已接入")
    assert "已接入" in client.get(url("dispatch_detail", this_week.pk)).content.decode()
    third = dispatch_actions.open_meeting(world.zone, date(2026, 12, 17), "", "", None)
    assert "协调供电公司接入线路" not in client.get(url("dispatch_detail", third.pk)).content.decode()


def test_clearing_a_blocker_at_the_meeting(
    world: World, login: Callable[[User], Client], ledger: Ledger, this_week: DispatchMeeting
) -> None:
    client = login(world.user("supervisor"))
    empty = client.post(
        url("dispatch_blocker_clear", this_week.pk, ledger.blocker.pk), {"resolution": ""}, **HTMX
    )
    assert "请填写问题的解决情况" in empty.content.decode()
    response = client.post(
        url("dispatch_blocker_clear", this_week.pk, ledger.blocker.pk), {"resolution": "线路已接通"}
    )
    assert response["Location"] == url("dispatch_detail", this_week.pk) + "#blockers"
    ledger.blocker.refresh_from_db()
    assert (ledger.blocker.status, ledger.blocker.cleared_on) == (BlockerStatus.CLEARED, date(2026, 12, 10))


def test_minutes_are_saved(world: World, login: Callable[[User], Client], this_week: DispatchMeeting) -> None:
    client = login(world.user("supervisor"))
    data = {"chair": "王副区长", "attendees": "区发改局、区科技局", "notes": "会议听取了重点项目进展情况。"}
    response = client.post(url("dispatch_minutes", this_week.pk), data)
    assert response.status_code == 302
    this_week.refresh_from_db()
    assert (this_week.chair, this_week.notes) == ("王副区长", "会议听取了重点项目进展情况。")


@pytest.mark.parametrize("persona", ["leader", "viewer", "liaison", "liaison_dev", "outsider"])
def test_only_the_office_writes(
    world: World,
    login: Callable[[User], Client],
    ledger: Ledger,
    past: Past,
    this_week: DispatchMeeting,
    persona: str,
) -> None:
    client = login(world.user(persona))
    posts = [
        (url("dispatch_decision_new", this_week.pk), {"text": "推进"}),
        (url("dispatch_decision_done", this_week.pk, past.open.pk), {"outcome": "完成"}),
        (url("dispatch_decision_delete", past.meeting.pk, past.open.pk), {}),
        (url("dispatch_blocker_clear", this_week.pk, ledger.blocker.pk), {"resolution": "完成"}),
        (url("dispatch_minutes", this_week.pk), {"notes": "纪要"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 404, path
    assert not this_week.decisions.exists()
    past.open.refresh_from_db()
    ledger.blocker.refresh_from_db()
    assert past.open.status == DecisionStatus.OPEN and ledger.blocker.status == BlockerStatus.OPEN


def test_a_lagging_project_or_blocker_prefills_the_form(
    world: World, login: Callable[[User], Client], ledger: Ledger, this_week: DispatchMeeting
) -> None:
    client = login(world.user("supervisor"))
    response = client.get(url("dispatch_detail", this_week.pk) + f"?blocker={ledger.blocker.pk}")
    assert response.context["decision_form"].initial == {"blocker": str(ledger.blocker.pk)}
    html = response.content.decode()
    assert f'<option value="{ledger.blocker.pk}" selected>智能装备产业园：供电线路未接入</option>' in html
