"""The approvals queue: who opens it, batch approval in one action, returning one with a reason, bad input
refused with nothing written, and a fixed number of queries however long the queue."""

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.conftest import World
from luoshi.notices.models import Notification
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import PlanItem
from luoshi.reporting import actions
from luoshi.reporting.actions import ReportInput
from luoshi.reporting.models import Period, Report
from luoshi.reporting.tests.conftest import at

MEMBERS = ["admin", "supervisor", "leader", "viewer", "unithead", "liaison", "liaison_dev"]


@pytest.fixture(autouse=True)
def thursday() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 19, 10, 0), tick=False):
        yield


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"zone": "alpha", **kwargs})


def _needs_approval(world: World) -> None:
    world.zone.reports_need_approval = True
    world.zone.save(update_fields=["reports_need_approval"])


def _submitted(world: World, period: Period, n: int, on: datetime | None = None) -> list[Report]:
    """`n` reports of the tech unit's items, submitted by its liaison."""
    items: list[PlanItem] = [world.item_a]
    for i in range(n - 1):
        data = {"code": f"{i + 10}.", "title": f"科技事项{i}", "lead_unit": world.tech}
        items.append(plan_actions.add_item(world.plan, world.task, data, [], None))
    liaison, reports, on = world.user("liaison"), [], on or at(2026, 11, 18, 9)
    for i, item in enumerate(items):
        progress = ReportInput(progress=Decimal(10 + i), work_done=f"第{i}项工作")
        draft = actions.save_report(item, period, progress, liaison, on)
        reports.append(actions.submit_report(draft, liaison, on + timedelta(hours=1)))
    return reports


def _statuses(reports: list[Report]) -> list[str]:
    return [Report.objects.get(pk=r.pk).status for r in reports]


@pytest.mark.parametrize("persona", MEMBERS + ["outsider"])
def test_who_opens_the_queue(
    world: World, week47: Period, login: Callable[[User], Client], persona: str
) -> None:
    _needs_approval(world)
    _submitted(world, week47, 1)
    client = login(world.user(persona))
    allowed = persona in ("admin", "supervisor", "unithead")
    response = client.get(_url("reporting:approvals"))
    assert response.status_code == (200 if allowed else 404)
    if persona == "unithead":
        assert (
            "本单位待审核的报告" in response.content.decode()
            and "培育高新技术企业" in response.content.decode()
        )
    if persona in ("admin", "supervisor"):
        page = response.content.decode()
        assert "待督查室采纳的报告" in page and "本单位待审核的报告" not in page
        assert "培育高新技术企业" not in page  # still waiting for the unit head


@pytest.mark.parametrize("persona", MEMBERS + ["outsider"])
def test_who_may_approve_or_return(
    world: World, week47: Period, login: Callable[[User], Client], persona: str
) -> None:
    _needs_approval(world)
    [report] = _submitted(world, week47, 1)
    client = login(world.user(persona))
    approve = client.post(_url("reporting:approve_many", verb="approve"), {"report": [report.pk]})
    assert approve.status_code == (302 if persona == "unithead" else 404)
    if persona != "unithead":
        returned = client.post(_url("reporting:approval_return", report_id=report.pk), {"reason": "补充"})
        assert returned.status_code == 404
        assert _statuses([report]) == ["submitted"]


def test_another_zones_report_is_not_in_reach(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    _needs_approval(world)
    [report] = _submitted(world, week47, 1)
    outsider = login(world.user("outsider"))
    beta = reverse("reporting:approve_many", kwargs={"zone": "beta", "verb": "accept"})
    assert outsider.post(beta, {"report": [report.pk]}).status_code == 302  # refused in its own zone, as gone
    assert _statuses([report]) == ["submitted"]


def test_unit_head_approves_ten_at_once(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    _needs_approval(world)
    reports = _submitted(world, week47, 10)
    head = login(world.user("unithead"))
    response = head.post(
        _url("reporting:approve_many", verb="approve"), {"report": [r.pk for r in reports]}, follow=True
    )
    assert "已批准10份报告，已报督查室" in response.content.decode()
    assert _statuses(reports) == ["approved"] * 10
    assert Notification.objects.filter(recipient=world.user("supervisor")).count() == 1
    office = login(world.user("supervisor"))
    page = office.get(_url("reporting:approvals")).content.decode()
    assert page.count('name="report"') == 10
    office.post(_url("reporting:approve_many", verb="accept"), {"report": [r.pk for r in reports[:4]]})
    assert _statuses(reports) == ["accepted"] * 4 + ["approved"] * 6


def test_office_accepts_submitted_when_no_approval_is_needed(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    reports = _submitted(world, week47, 2)
    head = login(world.user("unithead"))
    page = head.get(_url("reporting:approvals")).content.decode()
    assert "无需单位负责人审核" in page
    assert (
        head.post(_url("reporting:approve_many", verb="approve"), {"report": [reports[0].pk]}).status_code
        == 404
    )
    office = login(world.user("supervisor"))
    office.post(_url("reporting:approve_many", verb="accept"), {"report": [r.pk for r in reports]})
    assert _statuses(reports) == ["accepted", "accepted"]


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "请先勾选要处理的报告"),
        ({"report": ["x1"]}, "所选报告无效"),
        ({"report": ["999999"]}, "有1份所选报告已不在待办中"),
    ],
)
def test_bad_batches_write_nothing(
    world: World, week47: Period, login: Callable[[User], Client], posted: dict[str, list[str]], message: str
) -> None:
    _needs_approval(world)
    reports = _submitted(world, week47, 2)
    head = login(world.user("unithead"))
    before = Notification.objects.count()
    data = {"report": [*posted.get("report", []), str(reports[0].pk)]} if posted else {}
    response = head.post(_url("reporting:approve_many", verb="approve"), data, follow=True)
    assert message in response.content.decode()
    assert _statuses(reports) == ["submitted", "submitted"]
    assert Notification.objects.count() == before


def test_a_report_someone_else_approved_stops_the_batch(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    _needs_approval(world)
    reports = _submitted(world, week47, 3)
    actions.approve_report(reports[1], world.user("unithead"), at(2026, 11, 19, 9))
    head = login(world.user("unithead"))
    response = head.post(
        _url("reporting:approve_many", verb="approve"), {"report": [r.pk for r in reports]}, follow=True
    )
    assert "有1份所选报告已不在待办中" in response.content.decode()
    assert _statuses(reports) == ["submitted", "approved", "submitted"]


def test_return_one_with_a_reason(world: World, week47: Period, login: Callable[[User], Client]) -> None:
    _needs_approval(world)
    reports = _submitted(world, week47, 2)
    head = login(world.user("unithead"))
    response = head.post(
        _url("reporting:approval_return", report_id=reports[0].pk), {"reason": "  请补充照片 "}
    )
    assert response.status_code == 302
    assert _statuses(reports) == ["returned", "submitted"]
    note = Notification.objects.get(recipient=world.user("liaison"))
    assert "请补充照片" in note.body


@pytest.mark.parametrize(
    ("reason", "error"),
    [("", "请填写退回原因"), ("   ", "请填写退回原因"), ("长" * 1001, "不能超过1000个字")],
)
def test_return_without_a_valid_reason_is_refused(
    world: World, week47: Period, login: Callable[[User], Client], reason: str, error: str
) -> None:
    _needs_approval(world)
    [report] = _submitted(world, week47, 1)
    head = login(world.user("unithead"))
    before = Notification.objects.count()
    response = head.post(_url("reporting:approval_return", report_id=report.pk), {"reason": reason})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert _statuses([report]) == ["submitted"] and Notification.objects.count() == before


def test_queue_queries_do_not_grow(
    world: World,
    week47: Period,
    login: Callable[[User], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _needs_approval(world)
    week46 = Period.objects.get(cycle=week47.cycle, starts_on=week47.starts_on - timedelta(days=7))
    first = _submitted(world, week46, 2, at(2026, 11, 12, 9))
    head = login(world.user("unithead"))
    head.get(_url("reporting:approvals"))  # warm the session
    with django_assert_num_queries(9):
        head.get(_url("reporting:approvals"))
    # Twelve more, two with a report of the week before (the previous figure is read in the same query).
    actions.approve_reports(first, world.user("unithead"), at(2026, 11, 12, 11))
    _submitted(world, week47, 12)
    with django_assert_num_queries(10):  # one more: the previous reports, all read at once
        response = head.get(_url("reporting:approvals"))
    page = response.content.decode()
    assert page.count('name="report"') == 12 and page.count("首次报送") == 11
