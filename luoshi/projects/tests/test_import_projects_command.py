"""`luoshi import_projects`: the exact --dry-run --json contract, the write, unit answers, refusals."""

import json
import pathlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.models import Park, Unit
from luoshi.projects.actions import boundary as boundary_actions
from luoshi.projects.models import Blocker, Project
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.workbooks import make_ledger, project_row, sample_ledger

PROJECT_KEYS = {
    "ref",
    "name",
    "owner",
    "total_investment_wan",
    "annual_plan_wan",
    "completed_wan",
    "stage",
    "start",
    "finish",
    "lead_unit",
    "leader",
    "blockers",
}
ERROR_KEYS = {"row", "column", "severity", "message"}


@pytest.fixture(autouse=True)
def november() -> Iterator[None]:
    with time_machine.travel("2026-11-15 10:00 +0800", tick=False):
        yield


@pytest.fixture
def east(world: World) -> Park:
    return org_actions.create_park(world.zone, "东区")


@pytest.fixture
def sample_file(tmp_path: pathlib.Path) -> Path:
    path = tmp_path / "重点项目台账.xlsx"
    path.write_bytes(sample_ledger())
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[dict[str, Any] | None, str]:
    try:
        call_command("import_projects", *args)
        failed = ""
    except CommandError as error:
        failed = str(error)
    out = capsys.readouterr().out
    return (json.loads(out) if "--json" in args else None), failed


def test_dry_run_json_is_exactly_the_contract(
    world: World, east: Park, sample_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result, failed = _run(capsys, str(sample_file), "--zone", "alpha", "--dry-run", "--json")
    assert result is not None
    assert set(result) == {"projects", "errors"}
    assert all(set(p) == PROJECT_KEYS for p in result["projects"])
    assert all(set(e) == ERROR_KEYS for e in result["errors"])
    assert failed == "" and result["errors"] == []
    factory, battery, hub, phase = result["projects"]
    assert factory == {
        "ref": "1",
        "name": "智能装备产业园",
        "owner": "青岛智造科技有限公司",
        "total_investment_wan": 50000,
        "annual_plan_wan": 6000,
        "completed_wan": 4500,
        "stage": "capped",
        "start": "2025-03-01",
        "finish": "2026-12-01",
        "lead_unit": "区科技局",
        "leader": "王副区长",
        "blockers": ["用地指标未落实", "配套资金缺口2000万元"],
    }
    assert battery["total_investment_wan"] == 125000  # 12.5 亿元
    assert (battery["stage"], battery["start"], battery["finish"]) == (
        "in_production",
        "2024-06-01",
        "2026-03-01",
    )
    assert battery["blockers"] == []
    assert (hub["stage"], hub["start"], hub["blockers"]) == (
        "planning",
        "2026-03-01",
        ["施工许可未办理", "供电线路未接入"],
    )
    assert (phase["ref"], phase["stage"]) == ("3.1", "started")
    assert Project.objects.filter(zone=world.zone).count() == 0  # a dry run writes nothing


def test_import_writes_projects_and_reports(
    world: World, east: Park, sample_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_projects", str(sample_file), "--zone", "alpha")
    out = capsys.readouterr().out
    assert "新增 4 个" in out
    hub = Project.objects.get(zone=world.zone, name="科创中心")
    assert hub.year == 2026
    assert Project.objects.get(name="科创中心一期").parent == hub
    assert hub.lead_unit == world.dev
    assert Project.objects.get(name="智能装备产业园").park == east
    assert Blocker.objects.filter(project=hub).count() == 2


def test_unknown_unit_is_an_error_with_a_suggestion_and_writes_nothing(
    world: World, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(make_ledger([project_row(序号=1, 项目名称="新项目", 责任单位="区科技创新服务局")]))
    result, failed = _run(capsys, str(path), "--zone", "alpha", "--json")
    assert result is not None
    assert failed
    (error,) = [e for e in result["errors"] if e["severity"] == "error"]
    assert error["row"] == 4 and error["column"] == "N"
    assert "区科技创新服务局" in error["message"] and "区科技创新局" in error["message"]
    assert not Project.objects.exists()


def test_map_and_create_units(
    world: World, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "台账.xlsx"
    rows = [
        project_row(序号=1, 项目名称="甲项目", 责任单位="科技口"),
        project_row(序号=2, 项目名称="乙项目", 责任单位="区住建局"),
    ]
    path.write_bytes(make_ledger(rows))
    call_command(
        "import_projects",
        str(path),
        "--zone",
        "alpha",
        "--map",
        "科技口=区科技创新局",
        "--create-units",
        "department",
    )
    assert Project.objects.get(name="甲项目").lead_unit == world.tech
    created = Project.objects.get(name="乙项目").lead_unit
    assert created is not None and created.name == "区住建局"
    assert Unit.objects.filter(zone=world.zone, name="区住建局", type="department").exists()


def test_text_errors_name_row_and_column(
    world: World, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(make_ledger([project_row(序号=1, 项目名称="甲项目", **{"总投资（亿元）": "约5亿"})]))
    with pytest.raises(CommandError, match="文件有错误，未写入任何数据"):
        call_command("import_projects", str(path), "--zone", "alpha")
    err = capsys.readouterr().err
    assert "错误 第4行 G列：总投资（亿元）：“约5亿”不是数字" in err
    assert not Project.objects.exists()


def test_bad_arguments(world: World, sample_file: Path, tmp_path: pathlib.Path) -> None:
    with pytest.raises(CommandError, match="园区"):
        call_command("import_projects", str(sample_file), "--zone", "nowhere")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_projects", str(tmp_path / "none.xlsx"), "--zone", "alpha")
    with pytest.raises(CommandError, match="用户"):
        call_command("import_projects", str(sample_file), "--zone", "alpha", "--user", "ghost")
    with pytest.raises(CommandError, match="--map"):
        call_command("import_projects", str(sample_file), "--zone", "alpha", "--map", "x=不存在的单位")


def test_year_option_and_history_user(
    world: World, sample_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "import_projects",
        str(sample_file),
        "--zone",
        "alpha",
        "--year",
        "2027",
        "--user",
        "supervisor",
    )
    assert "文件写的是2026年，将导入到2027年的台账" in capsys.readouterr().err
    project = Project.objects.get(name="智能装备产业园")
    assert project.year == 2027
    assert project.history.get().history_user == world.user("supervisor")


TOTAL, DONE, PLAN = "总投资（亿元）", "1-10月完成", "计划投资"
BAD_ROWS: list[tuple[dict[str, object], str, str]] = [
    ({TOTAL: -1}, "G", "金额不能为负数"),
    ({PLAN: 2e8}, "H", "大得不合理"),
    ({TOTAL: 1, DONE: 20000}, "I", "完成投资 20,000.00 万元超过总投资 10,000.00 万元"),
    (
        {"计划开工时间": "2026.05", "计划竣工时间": "2026年3月"},
        "K",
        "竣工时间 2026-03-01 早于开工时间 2026-05-01",
    ),
    ({"计划开工时间": "2026.13"}, "J", "日期不存在"),
    ({"经度": 2.35, "纬度": 48.85}, "P", "不在中国境内"),
    ({"经度": 36.3, "纬度": 120.4}, "P", "可能填反了"),
    ({"经度": 120.4}, "Q", "经度和纬度要么都填"),
    ({"经度": "东经120度"}, "P", "不是十进制度数"),
    ({DONE: "约5亿"}, "I", "“约5亿”不是数字"),
    ({"统一社会信用代码": "91350100M000100Y44"}, "D", "统一社会信用代码“91350100M000100Y44”无效"),
]


@pytest.mark.parametrize(("cells", "column", "message"), BAD_ROWS)
def test_bad_input_is_a_row_error_and_nothing_is_written(
    world: World,
    ledger: Ledger,
    tmp_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    cells: dict[str, object],
    column: str,
    message: str,
) -> None:
    before = Project.objects.count()
    path = tmp_path / "台账.xlsx"
    rows = [
        project_row(序号=1, 项目名称="好项目", 责任单位="区科技局"),
        project_row(序号=2, 项目名称="坏项目", 责任单位="区科技局", **cells),
    ]
    path.write_bytes(make_ledger(rows))
    result, failed = _run(capsys, str(path), "--zone", "alpha", "--json")
    assert result is not None
    assert failed
    errors = [e for e in result["errors"] if e["severity"] == "error"]
    assert [(e["row"], e["column"]) for e in errors] == [(5, column)]
    assert message in errors[0]["message"]
    assert Project.objects.count() == before


def test_duplicate_names_in_the_file(
    world: World, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "台账.xlsx"
    rows = [project_row(序号=n, 项目名称="同名项目", 责任单位="区科技局") for n in (1, 2)]
    path.write_bytes(make_ledger(rows))
    result, failed = _run(capsys, str(path), "--zone", "alpha", "--json")
    assert result is not None
    assert failed
    assert result["errors"][0] | {"message": ""} == {
        "row": 5,
        "column": "B",
        "severity": "error",
        "message": "",
    }
    assert "与第4行重复" in result["errors"][0]["message"]
    assert not Project.objects.exists()


def test_a_name_taken_by_another_project_of_the_year(
    world: World, ledger: Ledger, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same name, different 项目编号: not the same project, so not an update."""
    path = tmp_path / "台账.xlsx"
    data = make_ledger(
        [["2026-099", "智能装备产业园", "区科技局"]], top=["项目编号", "项目名称", "责任单位"], bottom=None
    )
    path.write_bytes(data)
    result, failed = _run(capsys, str(path), "--zone", "alpha", "--json")
    assert result is not None
    assert failed
    (error,) = result["errors"]
    assert (error["row"], error["column"]) == (3, "B")
    assert "已有同名项目“智能装备产业园”（编号 2026-001）" in error["message"]


def test_coordinates_outside_the_zone_boundary(
    world: World, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    square = {"type": "Polygon", "coordinates": [[[120, 36], [121, 36], [121, 37], [120, 37], [120, 36]]]}
    boundary_actions.set_boundary(world.zone, "甲高新区", square, None)
    path = tmp_path / "台账.xlsx"
    rows = [
        project_row(序号=1, 项目名称="区内项目", 责任单位="区科技局", 经度=120.5, 纬度=36.5),
        project_row(序号=2, 项目名称="区外项目", 责任单位="区科技局", 经度=116.4, 纬度=39.9),
    ]
    path.write_bytes(make_ledger(rows))
    result, failed = _run(capsys, str(path), "--zone", "alpha", "--json")
    assert result is not None
    assert failed
    (error,) = result["errors"]
    assert (error["row"], error["column"]) == (5, "P") and "不在本园区边界" in error["message"]


def test_completion_above_the_existing_total_when_the_row_leaves_it_blank(
    world: World, ledger: Ledger, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "台账.xlsx"
    row = project_row(序号=1, 项目名称="智能装备产业园", 责任单位="区科技局", **{DONE: 60000})
    path.write_bytes(make_ledger([row]))
    result, failed = _run(capsys, str(path), "--zone", "alpha", "--json")
    assert result is not None
    assert failed
    (error,) = result["errors"]
    assert (error["row"], error["column"]) == (4, "I")
    assert "超过项目已有的总投资 50,000.00 万元" in error["message"]
