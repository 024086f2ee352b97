"""The report page and the period's review page show a report beside its planned progress and the previous
report, with figures written by their unit (no more "3.9500%（目标 4.5000）")."""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.conftest import World
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import PlanItem
from luoshi.reporting import actions
from luoshi.reporting.actions import ReportInput
from luoshi.reporting.models import Period, Report
from luoshi.reporting.tests.conftest import at


@pytest.fixture(autouse=True)
def late_november() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 26, 10, 0), tick=False):
        yield


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"zone": "alpha", **kwargs})


def _two_weeks(world: World, week47: Period) -> tuple[Report, Report]:
    """item_a reported in week 47 (60 %, 3.95 % R&D, 222.9 instruments) and week 48 (58 %, 4.2 %, 230)."""
    item = world.item_a
    rd = plan_actions.add_target(
        item, {"indicator": "研发投入强度", "unit_of_measure": "%", "target_value": Decimal("4.5")}, None
    )
    kit = plan_actions.add_target(
        item, {"indicator": "新增仪器设备", "unit_of_measure": "台", "target_value": Decimal("300")}, None
    )
    liaison, head = world.user("liaison"), world.user("supervisor")
    first = ReportInput(
        progress=Decimal(60),
        work_done="完成第一批申报",
        values={rd.pk: Decimal("3.95"), kit.pk: Decimal("222.9")},
    )
    earlier = actions.save_report(item, week47, first, liaison, at(2026, 11, 19, 9))
    earlier = actions.accept_report(
        actions.submit_report(earlier, liaison, at(2026, 11, 19, 9)), head, at(2026, 11, 19, 10)
    )
    week48 = Period.objects.get(cycle=week47.cycle, starts_on=date(2026, 11, 23))
    second = ReportInput(
        progress=Decimal(58),
        work_done="组织专家评审",
        regress_reason="一家企业退出申报",
        values={rd.pk: Decimal("4.2"), kit.pk: Decimal("230")},
    )
    latest = actions.save_report(item, week48, second, liaison, at(2026, 11, 25, 9))
    return earlier, actions.submit_report(latest, liaison, at(2026, 11, 25, 9))


def test_report_page_shows_plan_last_week_and_change(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    _earlier, latest = _two_weeks(world, week47)
    page = login(world.user("supervisor")).get(_url("reporting:detail", report_id=latest.pk)).content.decode()
    # item_a runs from 1 January to 30 June: by the end of week 48 it is planned done.
    assert "<strong>58%</strong>" in page
    assert "计划进度" in page and "100%" in page and "落后 42个百分点" in page
    assert "上期进度" in page and "60%" in page and "变化 -2个百分点" in page
    assert "4.2%" in page and "3.9500" not in page and "4.5%" in page and "+0.3个百分点" in page
    assert "230台" in page and "223台" in page and "300台" in page and "+7台" in page
    assert "完成第一批申报" in page  # last week's text, folded


def test_first_report_says_so(world: World, week47: Period, login: Callable[[User], Client]) -> None:
    liaison = world.user("liaison")
    draft = actions.save_report(
        world.item_a, week47, ReportInput(progress=Decimal(10)), liaison, at(2026, 11, 19)
    )
    page = login(liaison).get(_url("reporting:detail", report_id=draft.pk)).content.decode()
    assert "首次报送" in page and "该事项没有量化指标" in page


def test_review_page_shows_plan_and_previous(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    _earlier, latest = _two_weeks(world, week47)
    page = login(world.user("supervisor")).get(_url("reporting:review_period", period_id=latest.period_id))
    text = page.content.decode()
    assert "计划进度" in text and "差 42个百分点" in text and "-2个百分点" in text


def test_review_page_queries_do_not_grow(
    world: World,
    week47: Period,
    login: Callable[[User], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _two_weeks(world, week47)
    office = login(world.user("supervisor"))
    url = _url("reporting:review_period", period_id=week47.pk)
    office.get(url)
    with CaptureQueriesContext(connection) as few:
        office.get(url)
    for i in range(8):
        data = {"code": f"{i + 20}.", "title": f"新增事项{i}", "lead_unit": world.dev}
        item: PlanItem = plan_actions.add_item(world.plan, world.task, data, [], None)
        draft = actions.save_report(item, week47, ReportInput(progress=Decimal(i)), None, at(2026, 11, 19))
        actions.submit_report(draft, None, at(2026, 11, 19, 1))
    with django_assert_num_queries(len(few.captured_queries)):
        office.get(url)
