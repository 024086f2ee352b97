"""The Excel export in the office layout, with the ledger's filters and access."""

from collections.abc import Callable
from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.choices import Level
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.test_ledger_view import warn


def _get(client: Client, world: World, query: str = "year=2026") -> Worksheet:
    response = client.get(reverse("projects:ledger_export", args=[world.zone.code]) + "?" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content)).active


def test_office_layout(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    warn(ledger.factory, Level.RED)
    ws = _get(login(world.user("supervisor")), world)
    assert ws["A1"].value == "甲高新区2026年重点项目推进情况表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:P1", "A3:A4", "B3:B4", "G3:J3"} <= merged
    assert ws["G3"].value == "2026年投资（万元）"
    assert [ws.cell(row=4, column=c).value for c in range(7, 11)] == [
        "年度计划",
        "1-10月完成",
        "完成率（%）",
        "序时进度（%）",
    ]
    assert [ws.cell(row=r, column=1).value for r in (5, 6, 7)] == ["1", "2", "2.1"]
    assert [ws.cell(row=r, column=2).value for r in (5, 6, 7)] == [
        "智能装备产业园",
        "科创中心",
        "科创中心一期",
    ]
    assert ws["B7"].alignment.indent == 2
    factory = {
        ws.cell(row=4 if c > 6 and c < 11 else 3, column=c).value: ws.cell(row=5, column=c).value
        for c in range(1, 17)
    }
    assert (
        factory["总投资（万元）"] == 50000 and factory["年度计划"] == 6000 and factory["1-10月完成"] == 1000
    )
    assert factory["完成率（%）"] == pytest.approx(16.67, abs=0.01)
    assert factory["序时进度（%）"] == pytest.approx(83.33, abs=0.01)
    assert (
        factory["所处阶段"] == "开工"
        and factory["责任单位"] == "区科技创新局"
        and factory["包抓领导"] == "王副区长"
    )
    assert factory["存在问题"] == "供电线路未接入" and factory["预警"] == "红色"
    assert ws["A8"].value == "合计" and "A8:E8" in merged
    assert ws["G8"].value == 36000 and ws["H8"].value == 1000
    assert ws.freeze_panes == "C5"
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws["F5"].number_format == "#,##0.00" and ws["A5"].border.left.style == "thin"


def test_filters_and_money_unit_apply(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    ws = _get(login(world.user("supervisor")), world, f"year=2026&unit={world.dev.pk}&money=yi")
    assert ws["F3"].value == "总投资（亿元）"
    assert [ws.cell(row=r, column=2).value for r in (5, 6)] == ["科创中心", "科创中心一期"]
    assert ws["F5"].value == 20 and ws["A7"].value == "合计"


def test_unit_exports_what_it_sees(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    ws = _get(login(world.user("liaison")), world)
    assert ws["B5"].value == "智能装备产业园" and ws["A6"].value == "合计"


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_other_zones_get_404(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    url = reverse("projects:ledger_export", args=[world.zone.code])
    assert login(world.user(persona)).get(url).status_code == 404


def test_query_budget(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(12):
        _get(client, world)


def test_read_only_and_other_unit_export_what_they_see(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    assert _get(login(world.user("viewer")), world)["A8"].value == "合计"
    assert _get(login(world.user("liaison_dev")), world)["A8"].value == "合计"  # asked to help on the factory


@pytest.mark.parametrize("query", ["year=2026&q=没有这个项目", "year=2031"])
def test_an_export_with_no_rows_has_the_headers_and_a_zero_total(
    world: World, ledger: Ledger, login: Callable[[User], Client], query: str
) -> None:
    """Issue defect 6: a filter that matches nothing (or a year with no projects) was a 500, "'MergedCell'
    object is not iterable" at the freeze pane."""
    ws = _get(login(world.user("supervisor")), world, query)
    assert ws["B3"].value == "项目名称" and ws["G4"].value == "年度计划"
    assert ws["A5"].value == "合计" and (ws["F5"].value, ws["G5"].value, ws["H5"].value) == (0, 0, 0)
    assert ws.max_row == 5 and ws.freeze_panes == "C5"


def test_a_unit_with_no_projects_exports_an_empty_ledger(
    world: World, login: Callable[[User], Client]
) -> None:
    """Issue defect 6, the other case: a unit with no projects at all."""
    ws = _get(login(world.user("liaison")), world)
    assert ws["A5"].value == "合计" and ws["F5"].value == 0


def test_the_export_is_audited(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    _get(login(world.user("supervisor")), world, "year=2026&money=yi")
    event = AuditEvent.objects.get(event="export")
    assert event.zone == world.zone and event.user == world.user("supervisor")
    assert event.detail["rows"] == 3 and event.detail["year"] == 2026
