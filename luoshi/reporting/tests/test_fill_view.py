"""The weekly filling page (reporting.fill_views): who sees it, what each item is shown against (last week,
the planned pace, the targets' last values), prefill from last week, the backwards-progress rule before the
server's, automatic drafts, the live counter, and "全部报送"."""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.conftest import World
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import PlanItem
from luoshi.reporting import actions
from luoshi.reporting.actions import ReportInput
from luoshi.reporting.models import Cycle, Period, Report
from luoshi.reporting.tests.conftest import at

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


@pytest.fixture(autouse=True)
def thursday() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 19, 10, 0), tick=False):
        yield


@pytest.fixture
def week46(cycle: Cycle) -> Period:
    return Period.objects.get(cycle=cycle, starts_on=date(2026, 11, 9))


@pytest.fixture
def last_week(world: World, week46: Period) -> Report:
    """Last week the unit reported item_a at 60 %, planning to organise the review next."""
    plan_actions.add_target(
        world.item_a, {"indicator": "新增高新技术企业", "target_value": 20, "unit_of_measure": "家"}, None
    )
    target = world.item_a.targets.get()
    data = ReportInput(
        progress=Decimal(60),
        work_done="完成申报培训",
        next_plan="组织专家评审",
        values={target.pk: Decimal(12)},
    )
    return actions.file_report(
        world.item_a, week46, data, None, True, world.user("liaison"), at(2026, 11, 13, 9)
    ).report


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"zone": "alpha", **kwargs})


def _save(client: Client, period: Period, item: PlanItem, **data: object) -> "Response":
    body = {"progress": "65", "work_done": "组织专家评审", "next_plan": "公示名单"} | data
    url = _url("reporting:save", period_id=period.pk, item_id=item.pk)
    return client.post(url, body, headers={"HX-Request": "true"})


@pytest.mark.parametrize(
    ("persona", "status", "sees_form"),
    [
        ("liaison", 200, True),
        ("unithead", 200, True),
        ("liaison_dev", 200, True),
        ("leader", 200, False),
        ("viewer", 200, False),
        ("outsider", 404, False),
    ],
)
def test_who_fills(
    world: World, week47: Period, login: Callable[[User], Client], persona: str, status: int, sees_form: bool
) -> None:
    response = login(world.user(persona)).get(_url("reporting:fill"))
    assert response.status_code == status
    if status == 200:
        assert ("全部报送" in response.content.decode()) is sees_form


def test_each_item_shows_last_week_the_plan_and_the_targets(
    world: World, week47: Period, last_week: Report, login: Callable[[User], Client]
) -> None:
    body = login(world.user("liaison")).get(_url("reporting:fill")).content.decode()
    assert "上期（2026年第46周）" in body and "60%" in body and "完成申报培训" in body
    assert "本期计划进度" in body and "截至 11-22" in body
    # item_a runs from 1 January to 30 June: by 22 November the plan says 100 %, so 60 % is 40 points behind.
    assert "100%" in body and "-40 个百分点" in body
    assert "目标 20家，最近报送 12家（截至 11-15）" in body
    # Prefilled from last week, and said so: progress as it was, last week's next plan as this week's work.
    assert 'value="60"' in body and "组织专家评审</textarea>" in body
    assert "已按上期下步计划预填，请修改" in body
    assert not Report.objects.filter(period=week47).exists()  # prefilled is not saved


def test_open_items_come_first_and_handed_in_ones_are_folded(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    first = plan_actions.add_item(
        world.plan, world.task, {"code": "0.", "title": "甲事项", "lead_unit": world.tech}, [], None
    )
    liaison = login(world.user("liaison"))
    _save(liaison, week47, first, submit="1")
    body = liaison.get(_url("reporting:fill")).content.decode()
    assert body.index("培育高新技术企业") < body.index("甲事项")  # the open one first, though it sorts later
    assert '<details class="card report-card handed-in"' in body
    assert "已报送 1 / 2" in body


def test_progress_going_backwards_asks_for_a_reason_and_writes_nothing(
    world: World, week47: Period, last_week: Report, login: Callable[[User], Client]
) -> None:
    liaison = login(world.user("liaison"))
    body = _save(liaison, week47, world.item_a, progress="55").content.decode()
    assert "进度由上期的60%降到55%，请填写进度回退说明" in body and "errorlist" in body
    assert not Report.objects.filter(period=week47).exists()
    body = _save(liaison, week47, world.item_a, progress="55", autosave="1").content.decode()
    assert "尚未保存" in body and "进度回退说明" in body
    assert not Report.objects.filter(period=week47).exists()
    _save(liaison, week47, world.item_a, progress="55", regress_reason="剔除一家迁出企业")
    assert Report.objects.get(period=week47).progress == 55


def test_bad_input_is_refused_with_a_clear_message(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    liaison = login(world.user("liaison"))
    body = _save(liaison, week47, world.item_a, progress="130", autosave="1").content.decode()
    assert "尚未保存：进度（%）" in body
    body = _save(liaison, week47, world.item_a, work_done="", autosave="1").content.decode()
    assert "尚未保存：本期工作" in body
    body = _save(liaison, week47, world.item_a, progress="abc").content.decode()
    assert "报告未保存，请按提示修改" in body
    assert not Report.objects.exists()


def test_autosave_keeps_a_draft_and_moves_the_counter(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    liaison = login(world.user("liaison"))
    body = _save(liaison, week47, world.item_a, autosave="1", submit="1").content.decode()
    assert "已自动保存 10:00" in body
    assert f'id="bar-{week47.pk}" hx-swap-oob="true"' in body and "全部报送（1 项）" in body
    assert f'id="badge-{week47.pk}-{world.item_a.pk}" hx-swap-oob="true"' in body and "草稿" in body
    assert Report.objects.get().status == "draft"  # an automatic save never submits
    body = _save(liaison, week47, world.item_a, submit="1").content.decode()
    assert "已报送 1 / 1" in body and 'hx-swap-oob="true"' in body


def test_submit_all_hands_in_the_ready_reports_of_the_period(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    second = plan_actions.add_item(
        world.plan, world.task, {"title": "乙事项", "lead_unit": world.tech}, [], None
    )
    plan_actions.add_item(world.plan, world.task, {"title": "丙事项", "lead_unit": world.tech}, [], None)
    liaison = login(world.user("liaison"))
    _save(liaison, week47, world.item_a, draft="1")
    _save(liaison, week47, second, draft="1")
    body = liaison.get(_url("reporting:fill")).content.decode()
    assert "全部报送（2 项）" in body and "确认报送以下 2 项（2026年第47周）" in body
    response = liaison.post(_url("reporting:submit_all", period_id=week47.pk), follow=True)
    assert "已报送 2 份报告（2026年第47周）" in response.content.decode()
    assert sorted(Report.objects.values_list("status", flat=True)) == ["submitted", "submitted"]
    assert all(r.submitted_by == world.user("liaison") for r in Report.objects.all())
    response = liaison.post(_url("reporting:submit_all", period_id=week47.pk), follow=True)
    assert "没有可报送的草稿" in response.content.decode()


def test_submit_all_leaves_other_units_and_unrevised_returns_alone(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    client = login(world.user("liaison_dev"))
    _save(client, week47, world.item_b, draft="1")
    client = login(world.user("liaison"))
    _save(client, week47, world.item_a, submit="1")
    report = Report.objects.get(item=world.item_a)
    with time_machine.travel(at(2026, 11, 19, 10, 5), tick=False):
        actions.return_report(report, "请补充照片", world.user("supervisor"), at(2026, 11, 19, 10, 5))
        client.post(_url("reporting:submit_all", period_id=week47.pk))
    assert Report.objects.get(item=world.item_b).status == "draft"
    assert Report.objects.get(item=world.item_a).status == "returned"  # not revised since it came back
    with time_machine.travel(at(2026, 11, 19, 10, 10), tick=False):
        _save(client, week47, world.item_a, work_done="补充了现场照片", draft="1")
        client.post(_url("reporting:submit_all", period_id=week47.pk))
    assert Report.objects.get(item=world.item_a).status == "submitted"
    assert Report.objects.get(item=world.item_b).status == "draft"
    # Returned a second time: the revision made after the first return does not make it ready again.
    with time_machine.travel(at(2026, 11, 19, 10, 15), tick=False):
        actions.return_report(report, "照片不清楚", world.user("supervisor"), at(2026, 11, 19, 10, 15))
        client.post(_url("reporting:submit_all", period_id=week47.pk))
    assert Report.objects.get(item=world.item_a).status == "returned"
    with time_machine.travel(at(2026, 11, 19, 10, 20), tick=False):
        _save(client, week47, world.item_a, work_done="换了清晰的照片", draft="1")
        client.post(_url("reporting:submit_all", period_id=week47.pk))
    assert Report.objects.get(item=world.item_a).status == "submitted"


def test_submit_all_access(world: World, week47: Period, login: Callable[[User], Client]) -> None:
    _save(login(world.user("liaison")), week47, world.item_a, draft="1")
    url = _url("reporting:submit_all", period_id=week47.pk)
    assert login(world.user("outsider")).post(url).status_code == 404
    for persona in ("leader", "viewer", "liaison_dev"):
        login(world.user(persona)).post(url)
    assert Report.objects.get().status == "draft"
    assert login(world.user("liaison")).get(url).status_code == 405


def test_fill_page_query_count(
    world: World,
    week47: Period,
    last_week: Report,
    login: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    liaison = login(world.user("liaison"))
    for n in range(8):
        item = plan_actions.add_item(
            world.plan, world.task, {"title": f"措施{n}", "lead_unit": world.tech}, [], None
        )
        plan_actions.add_target(item, {"indicator": "新增企业", "target_value": 10}, None)
        _save(liaison, week47, item, draft="1")
    # Two open periods (last week's is still taking late reports): ten queries each, whatever the items.
    with django_assert_max_num_queries(26):
        body = liaison.get(_url("reporting:fill")).content.decode()
    assert "已报送 0 / 9" in body and "已报送 1 / 9" in body


def test_a_saved_draft_shows_what_was_saved_not_last_weeks_plan(
    world: World, week47: Period, last_week: Report, login: Callable[[User], Client]
) -> None:
    liaison = login(world.user("liaison"))
    _save(liaison, week47, world.item_a, work_done="专家评审已完成", progress="70", draft="1")
    body = liaison.get(_url("reporting:fill")).content.decode()
    assert "专家评审已完成</textarea>" in body and 'value="70"' in body
    assert "已按上期下步计划预填" not in body
    assert "+" not in body.split("data-gap>")[1].split("<")[0]  # 70 % against a planned 100 %: behind
    assert "-30 个百分点" in body
