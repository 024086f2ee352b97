from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.plans.models import PlanItem
from luoshi.reporting.models import Cycle, Evidence, Period, Problem, Report
from luoshi.reporting.tests.conftest import at

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

MEMBERS = ["admin", "supervisor", "leader", "viewer", "unithead", "liaison", "liaison_dev"]


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"zone": "alpha", **kwargs})


@pytest.fixture(autouse=True)
def thursday() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 19, 10, 0), tick=False):
        yield


def _fill(client: Client, period: Period, item: PlanItem, **extra: object) -> "Response":
    data = {"progress": "40", "work_done": "完成申报培训", "next_plan": "组织评审"} | extra
    return client.post(
        _url("reporting:save", period_id=period.pk, item_id=item.pk), data, headers={"HX-Request": "true"}
    )


def test_liaison_sees_own_due_items_only(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    body = login(world.user("liaison")).get(_url("reporting:fill")).content.decode()
    assert "培育高新技术企业" in body  # led by 区科技创新局
    assert "建设创新平台" not in body  # they only co-operate: the lead unit reports
    assert "扩大有效投资" not in body and "2026年第47周" in body
    other = login(world.user("liaison_dev")).get(_url("reporting:fill")).content.decode()
    assert "建设创新平台" in other and "培育高新技术企业" not in other


def test_weekly_cycle_through_the_pages(
    world: World, week47: Period, login: Callable[[User], Client], client: Client
) -> None:
    liaison = login(world.user("liaison"))
    response = _fill(liaison, week47, world.item_a, draft="1")
    assert response.status_code == 200 and "草稿" in response.content.decode()
    response = _fill(
        liaison, week47, world.item_a, submit="1", evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    )
    assert "已提交" in response.content.decode()
    report = Report.objects.get()
    assert report.status == "submitted" and Evidence.objects.get().report == report
    supervisor = login(world.user("supervisor"))
    body = supervisor.get(_url("reporting:review_period", period_id=week47.pk)).content.decode()
    assert "培育高新技术企业" in body and "扩大有效投资" in body
    supervisor.post(
        _url("reporting:transition", report_id=report.pk, verb="return"), {"reason": "请补充照片"}
    )
    report.refresh_from_db()
    assert report.status == "returned"
    liaison = login(world.user("liaison"))
    assert "请补充照片" in liaison.get(_url("reporting:fill")).content.decode()
    _fill(liaison, week47, world.item_a, submit="1", progress="45")
    supervisor = login(world.user("supervisor"))
    supervisor.post(_url("reporting:transition", report_id=report.pk, verb="accept"))
    report.refresh_from_db()
    assert (report.status, report.progress) == ("accepted", 45)


def test_bad_input_is_reported_in_the_card(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    liaison = login(world.user("liaison"))
    body = _fill(liaison, week47, world.item_a, progress="130").content.decode()
    assert "errorlist" in body and not Report.objects.exists()
    body = _fill(liaison, week47, world.item_a, work_done="").content.decode()
    assert "errorlist" in body and not Report.objects.exists()
    body = _fill(
        liaison, week47, world.item_a, evidence=SimpleUploadedFile("x.pdf", b"not a pdf")
    ).content.decode()
    assert "不是 PDF" in body
    assert Report.objects.get().evidence.count() == 0  # the draft is saved, the disguised file is not


def test_reports_for_another_units_item_are_404(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    liaison = login(world.user("liaison"))
    assert _fill(liaison, week47, world.item_b).status_code == 404  # they co-operate, they do not lead
    assert _fill(liaison, week47, world.item_c).status_code == 404
    outsider = login(world.user("outsider"))
    assert _fill(outsider, week47, world.item_a).status_code == 404
    assert not Report.objects.exists()


def test_double_submit_through_the_page(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    liaison = login(world.user("liaison"))
    _fill(liaison, week47, world.item_a, submit="1")
    body = _fill(liaison, week47, world.item_a, submit="1").content.decode()
    assert "已提交" in body
    assert Report.objects.count() == 1


def test_problem_raised_and_resolved(world: World, week47: Period, login: Callable[[User], Client]) -> None:
    liaison = login(world.user("liaison"))
    _fill(liaison, week47, world.item_a, problem="用地指标不足", problem_unit=world.dev.pk, submit="1")
    problem = Problem.objects.get()
    dev = login(world.user("liaison_dev"))
    assert "用地指标不足" in dev.get(_url("reporting:problems")).content.decode()
    dev.post(_url("reporting:resolve", problem_id=problem.pk), {"resolution": "已调剂指标"})
    problem.refresh_from_db()
    assert problem.status == "resolved"


@pytest.mark.parametrize("persona", MEMBERS + ["outsider"])
def test_report_detail_and_evidence_access(
    world: World, week47: Period, login: Callable[[User], Client], persona: str
) -> None:
    liaison = login(world.user("liaison"))
    _fill(liaison, week47, world.item_a, evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    report, evidence = Report.objects.get(), Evidence.objects.get()
    client = login(world.user(persona))
    allowed = persona in ("admin", "supervisor", "leader", "viewer", "unithead", "liaison")
    expected = 200 if allowed else 404
    assert client.get(_url("reporting:detail", report_id=report.pk)).status_code == expected
    assert client.get(_url("reporting:evidence", evidence_id=evidence.pk)).status_code == expected


@pytest.mark.parametrize("persona", MEMBERS + ["outsider"])
def test_review_cycles_calendar_access(
    world: World, week47: Period, login: Callable[[User], Client], persona: str
) -> None:
    client = login(world.user(persona))
    zone_wide = persona in ("admin", "supervisor", "leader", "viewer")
    assert client.get(_url("reporting:review")).status_code == (200 if zone_wide else 404)
    editors = persona in ("admin", "supervisor")
    assert client.get(_url("reporting:cycles", plan_id=world.plan.pk)).status_code == (
        200 if editors else 404
    )
    assert client.get(_url("reporting:calendar", year=2027)).status_code == (
        200 if persona == "admin" else 404
    )
    assert client.get(_url("reporting:fill")).status_code == (404 if persona == "outsider" else 200)


def test_only_reviewers_accept_and_only_the_lead_unit_corrects(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    liaison = login(world.user("liaison"))
    _fill(liaison, week47, world.item_a, submit="1")
    report = Report.objects.get()
    for persona in ("liaison", "liaison_dev", "leader", "viewer"):
        response = login(world.user(persona)).post(
            _url("reporting:transition", report_id=report.pk, verb="accept")
        )
        assert response.status_code == 404, persona
    login(world.user("supervisor")).post(_url("reporting:transition", report_id=report.pk, verb="accept"))
    assert (
        login(world.user("liaison_dev"))
        .post(_url("reporting:transition", report_id=report.pk, verb="correct"))
        .status_code
        == 404
    )
    response = login(world.user("liaison")).post(
        _url("reporting:transition", report_id=report.pk, verb="correct")
    )
    assert response.status_code == 302 and Report.objects.filter(version=2, corrects=report).exists()


def test_cycle_setup_creates_the_years_periods(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    data = {
        "cadence": "monthly",
        "due_weekday": 4,
        "due_day": 5,
        "due_time": "17:00",
        "due_early": "on",
        "grace_days": 5,
        "starts_on": "2026-01-01",
        "active": "on",
    }
    assert client.post(_url("reporting:cycles", plan_id=world.plan.pk), data).status_code == 302
    cycle = Cycle.objects.get(plan=world.plan)
    assert cycle.periods.count() == 12
    assert "次月5日 17:00" in client.get(_url("reporting:cycles", plan_id=world.plan.pk)).content.decode()
    response = client.post(_url("reporting:cycles", plan_id=world.plan.pk), data)
    assert "该计划已有这个周期" in response.content.decode()
    response = client.post(
        _url("reporting:cycles", plan_id=world.plan.pk), data | {"due_day": 40, "cadence": "weekly"}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_item_progress_panel_and_trajectory(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    liaison = login(world.user("liaison"))
    _fill(liaison, week47, world.item_a, submit="1")
    url = _url("reporting:item_progress", item_id=world.item_a.pk)
    body = liaison.get(url).content.decode()
    assert "2026年第47周" in body and "40%" in body and 'name="planned"' not in body
    assert liaison.post(url, {"on": "2026-06-30", "planned": "30"}).status_code == 404
    assert login(world.user("liaison_dev")).get(url).status_code == 404
    supervisor = login(world.user("supervisor"))
    supervisor.post(url, {"on": "2026-06-30", "planned": "30"})
    supervisor.post(url, {"on": "2026-12-31", "planned": "130"})
    assert list(world.item_a.trajectory.values_list("planned", flat=True)) == [30]
    body = supervisor.get(url).content.decode()
    assert "按下列节点计划进度" in body
    point = world.item_a.trajectory.get()
    supervisor.post(url, {"remove": point.pk}, headers={"HX-Request": "true"})
    assert not world.item_a.trajectory.exists()


def test_fill_page_queries_do_not_grow_with_the_items(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from luoshi.plans import actions as plan_actions

    liaison = login(world.user("liaison"))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            body = liaison.get(_url("reporting:fill")).content.decode()
        assert "report-card" in body
        return len(ctx.captured_queries)

    def add_reported_item(n: int) -> None:
        item = plan_actions.add_item(
            world.plan, world.task, {"title": f"措施{n}", "lead_unit": world.tech}, [], None
        )
        plan_actions.add_target(item, {"indicator": "新增企业", "target_value": 10}, None)
        _fill(liaison, week47, item, evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))

    add_reported_item(0)
    few = count()
    for n in range(1, 6):
        add_reported_item(n)
    assert count() == few
