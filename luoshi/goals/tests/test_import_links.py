"""The import columns of the line of sight (goals.imports): a plan's 对应指标 and 关联项目 and a ledger's 对应任务 are
checked in the preview — an unknown or ambiguous name is an error at its row and column, with a suggestion, and
nothing is written — and linked when the import commits."""

from collections.abc import Iterator

import pytest
import time_machine

from luoshi.conftest import World
from luoshi.goals.imports import names_in
from luoshi.goals.models import IndicatorLink, ProjectLink
from luoshi.goals.tests.conftest import National
from luoshi.plans.actions import import_plan
from luoshi.plans.importing import preview_import
from luoshi.plans.models import PlanItem
from luoshi.plans.parsing import parse_plan_file
from luoshi.plans.tests.workbooks import make_xlsx
from luoshi.projects.actions.imports import import_ledger
from luoshi.projects.importing import preview_ledger
from luoshi.projects.ledger import parse_ledger
from luoshi.projects.models import Project
from luoshi.projects.tests.workbooks import HEADER_BOTTOM, HEADER_TOP, make_ledger, project_row

HEADER = ["序号", "重点任务", "牵头单位", "完成时限", "对应指标", "关联项目"]


@pytest.fixture(autouse=True)
def november() -> Iterator[None]:
    with time_machine.travel("2026-11-15 10:00 +0800", tick=False):
        yield


def _plan(world: World, rows: list[list[object]]):  # type: ignore[no-untyped-def]
    parsed = parse_plan_file(make_xlsx([HEADER, *rows]), "计划.xlsx", 2026)
    return preview_import(world.zone, 2026, parsed, title="创新计划")


def test_names_in_a_cell() -> None:
    assert names_in("研发经费占营业收入比例、PAT；\n单位增加值综合能耗, ") == [
        "研发经费占营业收入比例",
        "PAT",
        "单位增加值综合能耗",
    ]


def test_the_plan_import_links_indicators_and_projects(world: World, national: National) -> None:
    preview = _plan(
        world,
        [
            [1, "加大研发投入", "区科技创新局", "12月底前", "研发经费占营业收入比例、PAT", "研发中心大楼"],
            [2, "推动节能降耗", "区发展和改革局", "12月底前", "EN", None],
        ],
    )
    assert preview.problems == []
    import_plan(preview, None)
    rd = PlanItem.objects.get(title="加大研发投入")
    linked = set(IndicatorLink.objects.filter(item=rd).values_list("indicator__code", flat=True))
    assert linked == {"RD", "PAT"}
    assert ProjectLink.objects.filter(item=rd, project=national.project).exists()
    energy = PlanItem.objects.get(title="推动节能降耗")
    assert list(IndicatorLink.objects.filter(item=energy).values_list("indicator__code", flat=True)) == ["EN"]


def test_unknown_names_are_errors_with_a_suggestion(world: World, national: National) -> None:
    preview = _plan(
        world,
        [[1, "加大研发投入", "区科技创新局", "12月底前", "研发经费占营业收入比", "研发中心大厦"]],
    )
    problems = [(p.row, p.column, p.severity, p.message) for p in preview.problems]
    assert problems == [
        (2, "E", "error", "对应指标“研发经费占营业收入比”不在本区指标库中，是否是“研发经费占营业收入比例”？"),
        (2, "F", "error", "关联项目“研发中心大厦”不在2026年重点项目台账中，是否是“研发中心大楼”？"),
    ]
    assert preview.has_errors  # the import refuses to write


def test_a_plan_without_the_columns_is_untouched(world: World, national: National) -> None:
    parsed = parse_plan_file(
        make_xlsx([["序号", "重点任务", "牵头单位"], [1, "加大研发投入", "区科技创新局"]]), "计划.xlsx", 2026
    )
    preview = preview_import(world.zone, 2026, parsed, title="创新计划")
    assert preview.problems == []
    import_plan(preview, None)
    assert not IndicatorLink.objects.exists()


def _ledger(items: str | None) -> bytes:
    top = [*HEADER_TOP, "对应任务"]
    bottom = [*HEADER_BOTTOM, None]
    row = project_row(项目名称="新材料产业园", 责任单位="区科技创新局", 计划投资=5000)
    return make_ledger([[1, *row[1:], items]], top=top, bottom=bottom)


def test_the_ledger_import_links_projects_to_items(world: World) -> None:
    preview = preview_ledger(
        world.zone, parse_ledger(_ledger("培育高新技术企业、3.扩大有效投资"), "台账.xlsx", 2026), 2026
    )
    assert not preview.has_errors, preview.problems
    import_ledger(preview, None)
    project = Project.objects.get(name="新材料产业园")
    linked = set(ProjectLink.objects.filter(project=project).values_list("item_id", flat=True))
    assert linked == {world.item_a.pk, world.item_c.pk}


def test_the_ledger_refuses_unknown_and_ambiguous_items(world: World) -> None:
    preview = preview_ledger(
        world.zone, parse_ledger(_ledger("培育高新企业；科技创新；3."), "台账.xlsx", 2026), 2026
    )
    column = chr(ord("A") + len(HEADER_TOP))
    messages = [(p.row, p.column, p.message) for p in preview.problems if p.severity == "error"]
    assert (4, column, "对应任务“培育高新企业”不在2026年的计划中，是否是“培育高新技术企业”？") in messages
    assert all(row == 4 and col == column for row, col, _m in messages)
    assert preview.has_errors
