import json
import pathlib
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from luoshi.conftest import World
from luoshi.org.models import Unit
from luoshi.plans.models import Milestone, Plan, PlanItem, Target
from luoshi.plans.tests.workbooks import HEADER, make_xlsx, sample_xlsx

NODE_KEYS = {"ref", "parent", "level", "code", "title", "lead_unit", "co_units", "due", "due_text", "target"}
ERROR_KEYS = {"row", "column", "severity", "message"}


@pytest.fixture
def sample_file(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "任务分解表.xlsx"
    path.write_bytes(sample_xlsx())
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[dict[str, Any] | None, str]:
    try:
        call_command("import_plan", *args)
        failed = ""
    except CommandError as error:
        failed = str(error)
    out = capsys.readouterr().out
    return (json.loads(out) if "--json" in args else None), failed


def _run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[dict[str, Any], str]:
    """`_run` for calls with "--json" among `args`, so the report is always there."""
    result, failed = _run(capsys, *args)
    assert result is not None
    return result, failed


def test_dry_run_json_has_exactly_the_contract_shape(
    world: World, sample_file: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result, failed = _run_json(
        capsys, str(sample_file), "--zone", "alpha", "--year", "2026", "--dry-run", "--json"
    )
    assert set(result) == {"nodes", "errors"}
    assert all(set(node) == NODE_KEYS for node in result["nodes"])
    assert all(set(error) == ERROR_KEYS for error in result["errors"])
    refs = [n["ref"] for n in result["nodes"]]
    assert len(refs) == len(set(refs)) == 6
    first, measure = result["nodes"][0], result["nodes"][1]
    assert first["parent"] is None and first["level"] == 1 and first["title"] == "提升科技创新能力"
    assert measure == {
        "ref": measure["ref"],
        "parent": first["ref"],
        "level": 2,
        "code": "",
        "title": "实施高新技术企业倍增计划",
        "lead_unit": "区科技创新局",
        "co_units": ["区财政局", "区发展和改革局"],
        "due": "2026-12-31",
        "due_text": "2026年12月底前",
        "target": "新增高企100家",
    }
    open_ended = result["nodes"][5]
    assert open_ended["due"] is None and open_ended["due_text"] == "持续推进"
    # Units the zone does not have are errors with their cell; nothing was written.
    unknown = {e["message"] for e in result["errors"] if e["severity"] == "error"}
    assert any("区财政局" in m for m in unknown) and any("区行政审批局" in m for m in unknown)
    assert failed
    assert not Plan.objects.filter(title="青岛高新区2026年重点工作任务分解表").exists()


def test_unknown_unit_error_points_at_its_cell(
    world: World, sample_file: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result, _failed = _run_json(
        capsys, str(sample_file), "--zone", "alpha", "--year", "2026", "--dry-run", "--json"
    )
    error = next(e for e in result["errors"] if "区行政审批局" in e["message"])
    assert (error["row"], error["column"], error["severity"]) == (5, "D", "error")


def test_commit_with_created_units(
    world: World, sample_file: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _result, failed = _run(
        capsys,
        str(sample_file),
        "--zone",
        "alpha",
        "--year",
        "2026",
        "--create-units",
        "department",
        "--user",
        "supervisor",
    )
    assert not failed
    plan = Plan.objects.get(title="青岛高新区2026年重点工作任务分解表")
    assert plan.level_names == ["重点任务", "具体措施"]
    assert plan.items.count() == 6
    assert Unit.objects.filter(zone=world.zone, name="区行政审批局").exists()
    measure = PlanItem.objects.get(plan=plan, title="实施高新技术企业倍增计划")
    assert measure.lead_unit == world.tech  # matched exactly
    assert [u.name for u in measure.co_units.order_by("co_item_links__position")] == [
        "区财政局",
        "区发展和改革局",
    ]
    target = Target.objects.get(item=measure)
    assert (target.indicator, target.target_value, target.unit_of_measure) == ("新增高企", 100, "家")
    assert list(Milestone.objects.filter(item__plan=plan).values_list("title", flat=True)) == [
        "完成设计",
        "建成投用",
    ]
    assert measure.history.get().history_user == world.user("supervisor")


def test_map_option_and_alias_matching(
    world: World, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(
        make_xlsx([HEADER, [1, "科技", "实施计划", "区发改局", "区科技", "6月底前", ""]], title="映射测试")
    )
    result, failed = _run_json(capsys, str(path), "--zone", "alpha", "--year", "2026", "--dry-run", "--json")
    assert failed  # 区科技 is close to 区科技创新局 but fuzzy is only a suggestion
    error = next(e for e in result["errors"] if "区科技" in e["message"])
    assert "区科技创新局" in error["message"]
    _result, failed = _run(
        capsys, str(path), "--zone", "alpha", "--year", "2026", "--map", "区科技=区科技创新局"
    )
    assert not failed
    item = PlanItem.objects.get(plan__title="映射测试", depth=2)
    assert item.lead_unit == world.dev  # by alias 区发改局
    assert list(item.co_units.all()) == [world.tech]


def test_same_title_twice_is_an_error(
    world: World, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(
        make_xlsx([HEADER, [1, "科技", "实施计划", "区发改局", "", "6月底前", ""]], title="2026年重点工作")
    )
    result, failed = _run_json(capsys, str(path), "--zone", "alpha", "--year", "2026", "--json")
    assert failed
    assert any("同名计划" in e["message"] for e in result["errors"])
    _result, failed = _run(capsys, str(path), "--zone", "alpha", "--year", "2026", "--title", "另一个标题")
    assert not failed


def test_bad_file_writes_nothing(
    world: World, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"this is not a spreadsheet at all")
    before = PlanItem.objects.count()
    result, failed = _run_json(capsys, str(path), "--zone", "alpha", "--year", "2026", "--json")
    assert failed and result["nodes"] == [] and result["errors"][0]["severity"] == "error"
    assert PlanItem.objects.count() == before


def test_oversized_file_is_refused_before_reading(
    world: World, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.xlsx"
    with open(path, "wb") as out:
        out.truncate(20 * 1024 * 1024 + 1)
    result, failed = _run_json(capsys, str(path), "--zone", "alpha", "--year", "2026", "--json")
    assert failed and "20 MB" in result["errors"][0]["message"]


def test_unknown_zone_and_missing_file(world: World, sample_file: pathlib.Path) -> None:
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_plan", str(sample_file), "--zone", "nowhere", "--year", "2026")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_plan", "/nonexistent.xlsx", "--zone", "alpha", "--year", "2026")


def test_text_output_names_row_and_column(
    world: World, sample_file: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError):
        call_command("import_plan", str(sample_file), "--zone", "alpha", "--year", "2026", "--dry-run")
    err = capsys.readouterr().err
    assert "第5行 D列" in err and "区行政审批局" in err
