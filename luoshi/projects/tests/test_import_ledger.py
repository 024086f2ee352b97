"""`import_actions.import_ledger`: what exists after an import, its history, a re-import that updates by name, and the
refusal of a preview with errors."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User

from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.projects.actions import ProjectError
from luoshi.projects.actions import imports as import_actions
from luoshi.projects.choices import BlockerCategory, BlockerStatus, Stage
from luoshi.projects.importing import preview_ledger
from luoshi.projects.ledger import parse_ledger
from luoshi.projects.models import Blocker, InvestmentMonth, Project, StageDate
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.workbooks import make_ledger, project_row, sample_ledger


@pytest.fixture(autouse=True)
def november() -> Iterator[None]:
    with time_machine.travel("2026-11-15 10:00 +0800", tick=False):
        yield


def _import(world: World, data: bytes, user: User | None = None, year: int | None = None) -> list[Project]:
    preview = preview_ledger(world.zone, parse_ledger(data, "台账.xlsx", year), year)
    assert not preview.has_errors, preview.problems
    return import_actions.import_ledger(preview, user)


def test_the_sample_ledger_is_written_whole(world: World) -> None:
    east = org_actions.create_park(world.zone, "东区")
    supervisor = world.user("supervisor")
    factory, battery, hub, phase = _import(world, sample_ledger(), supervisor)

    factory.refresh_from_db()
    assert (factory.year, factory.stage, factory.park, factory.lead_unit) == (
        2026,
        Stage.CAPPED,
        east,
        world.tech,
    )
    assert factory.total_investment_wan == Decimal("50000.00")
    assert (factory.completed_wan, factory.completed_month) == (Decimal("4500.00"), 10)
    assert factory.owner_uscc == "91350100M000100Y43"
    assert (factory.longitude, factory.latitude) == (Decimal("120.410000"), Decimal("36.320000"))
    assert factory.progress_text == "主体封顶，设备进场调试"
    assert [p.position for p in (factory, battery, hub, phase)] == [1, 2, 3, 4]
    assert phase.parent_id == hub.pk and hub.parent_id is None

    dates = {(d.project_id, d.stage): (d.planned, d.actual) for d in StageDate.objects.all()}
    assert dates[(factory.pk, Stage.STARTED)] == (date(2025, 3, 1), date(2025, 3, 1))  # capped: it started
    assert dates[(factory.pk, Stage.COMPLETED)] == (date(2026, 12, 1), None)
    assert dates[(battery.pk, Stage.COMPLETED)] == (date(2026, 3, 1), date(2026, 3, 1))
    assert dates[(hub.pk, Stage.STARTED)] == (date(2026, 3, 1), None)  # still planning: start overdue

    month = InvestmentMonth.objects.get(project=factory)
    assert (month.month, month.actual_cum_wan, month.plan_cum_wan) == (10, Decimal("4500.00"), None)
    blockers = {b.description: b for b in Blocker.objects.filter(project__in=[factory, hub])}
    assert blockers["用地指标未落实"].category == BlockerCategory.LAND
    assert blockers["配套资金缺口2000万元"].category == BlockerCategory.FUNDING
    assert blockers["施工许可未办理"].category == BlockerCategory.APPROVALS
    assert blockers["供电线路未接入"].category == BlockerCategory.UTILITIES
    assert blockers["供电线路未接入"].unit == world.dev
    assert all(
        b.raised_on == date(2026, 11, 15) and b.status == BlockerStatus.OPEN for b in blockers.values()
    )

    for model in (Project, StageDate, InvestmentMonth, Blocker):
        records = model.history.all()  # type: ignore[attr-defined]
        assert records.count() == model.objects.count()
        assert {r.history_user for r in records} == {supervisor}


def test_reimport_updates_by_name_and_keeps_what_the_file_leaves_out(world: World, ledger: Ledger) -> None:
    factory = ledger.factory
    versions = factory.history.count()
    last = max(Project.objects.filter(zone=world.zone, year=2026).values_list("position", flat=True))
    rows = [
        project_row(
            序号=1,
            项目名称="智能装备产业园",
            责任单位="区科技创新局",
            **{"1-10月完成": 1500, "形象进度": "主体封顶", "存在问题": "供电线路未接入；环评未批复"},
        ),
        project_row(序号=2, 项目名称="新项目", 责任单位="区发改局", **{"总投资（亿元）": 1}),
    ]
    same, new = _import(world, make_ledger(rows))
    assert same.pk == factory.pk
    factory.refresh_from_db()
    assert factory.stage == Stage.CAPPED
    assert (factory.completed_wan, factory.completed_month) == (Decimal("1500.00"), 10)
    assert factory.code == "2026-001"  # the file has no 项目编号 column: kept
    assert factory.park is not None  # a blank cell keeps what the project had
    assert factory.total_investment_wan == Decimal("50000")
    assert InvestmentMonth.objects.get(project=factory, month=10).actual_cum_wan == Decimal("1500.00")
    descriptions = sorted(Blocker.objects.filter(project=factory).values_list("description", flat=True))
    assert descriptions == ["供电线路未接入", "环评未批复"]  # the open one is not raised twice
    assert factory.history.count() == versions + 1
    assert new.position == last + 1  # added after the ledger's projects
    assert Project.objects.filter(zone=world.zone, year=2026, name="智能装备产业园").count() == 1


def test_a_preview_with_errors_is_refused(world: World) -> None:
    data = make_ledger([project_row(序号=1, 项目名称="甲项目", **{"总投资（亿元）": -1})])
    preview = preview_ledger(world.zone, parse_ledger(data, "台账.xlsx"))
    assert preview.has_errors
    with pytest.raises(ProjectError):
        import_actions.import_ledger(preview, None)
    assert not Project.objects.exists()


def test_unit_created_in_the_preview(world: World) -> None:
    data = make_ledger([project_row(序号=1, 项目名称="甲项目", 责任单位="区住建局")])
    preview = preview_ledger(
        world.zone, parse_ledger(data, "台账.xlsx"), resolutions={"区住建局": "new:department"}
    )
    (project,) = import_actions.import_ledger(preview, None)
    assert project.lead_unit is not None
    assert project.lead_unit.name == "区住建局"
