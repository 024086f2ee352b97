import pathlib
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from luoshi.conftest import World
from luoshi.plans import actions
from luoshi.plans.importing import preview_import
from luoshi.plans.models import Plan
from luoshi.plans.parsing import parse_plan_file
from luoshi.plans.queries import all_plan_items


def _shape(plan: Plan) -> list[tuple[object, ...]]:
    return [
        (
            i.depth,
            i.code,
            i.title,
            i.description,
            i.lead_unit.name if i.lead_unit else None,
            [u.name for u in i.co_unit_list],
            i.due_date,
            i.due_text,
            i.goal,
        )
        for i in all_plan_items(plan)
    ]


def _deep_plan(world: World) -> Plan:
    plan = actions.create_plan(
        world.zone, 2026, "“1264”发展战略", ["目标", "方向", "行动", "任务", "措施"], None
    )
    goal = actions.add_item(plan, None, {"title": "力争五年重回全国高新区前十"}, [], None)
    direction = actions.add_item(plan, goal, {"code": "一、", "title": "创新驱动发展示范区"}, [], None)
    action = actions.add_item(plan, direction, {"code": "（一）", "title": "科技创新能力提升行动"}, [], None)
    task = actions.add_item(
        plan,
        action,
        {
            "code": "1.",
            "title": "培育创新主体",
            "lead_unit": world.tech,
            "due_text": "年底前",
            "due_date": date(2026, 12, 31),
        },
        [],
        None,
    )
    actions.add_item(
        plan,
        task,
        {
            "code": "（1）",
            "title": "实施高企倍增计划",
            "description": "新认定高企100家。",
            "lead_unit": world.tech,
            "due_text": "6月底前",
            "due_date": date(2026, 6, 30),
            "goal": "新增高新技术企业100家",
        },
        [world.dev],
        None,
    )
    actions.add_item(
        plan,
        task,
        {"code": "（2）", "title": "建设孵化载体", "lead_unit": world.dev, "due_text": "持续推进"},
        [world.tech, world.office],
        None,
    )
    actions.add_item(
        plan,
        direction,
        {
            "code": "（二）",
            "title": "人才集聚增效行动",
            "lead_unit": world.office,
            "due_text": "第三季度",
            "due_date": date(2026, 9, 30),
        },
        [],
        None,
    )
    return plan


@pytest.mark.parametrize("which", ["flat", "deep"])
def test_export_then_import_gives_back_the_same_plan(
    world: World, tmp_path: pathlib.Path, which: str
) -> None:
    plan = world.plan if which == "flat" else _deep_plan(world)
    out = tmp_path / "plan.xlsx"
    call_command("export_plan", "--zone", "alpha", "--year", "2026", "--title", plan.title, "--out", str(out))
    parsed = parse_plan_file(out.read_bytes(), out.name, 2026)
    assert [p for p in parsed.problems if p.severity == "error"] == []
    assert parsed.title == plan.title
    assert parsed.level_names == plan.level_names
    preview = preview_import(world.zone, 2026, parsed, title=plan.title + "（导入）")
    assert not preview.has_errors, preview.problems
    again = actions.import_plan(preview, None)
    assert _shape(again) == _shape(plan)


def test_export_layout_merges_task_cells(world: World, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "plan.xlsx"
    call_command("export_plan", "--zone", "alpha", "--year", "2026", "--out", str(out))
    ws = load_workbook(out).active
    assert ws["A1"].value == "2026年重点工作"
    assert [c.value for c in ws[2]] == [
        "序号",
        "任务",
        "措施",
        "牵头单位",
        "配合单位",
        "完成时限",
        "工作目标",
        "状态",
        "最新进度",
    ]
    assert ws["B3"].value == "一、科技创新"
    assert "B3:B5" in {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(row=r, column=3).value for r in (3, 4, 5)] == [
        "1.培育高新技术企业",
        "2.建设创新平台",
        "3.扩大有效投资",
    ]
    assert ws["E4"].value == "区科技创新局"


def test_export_has_each_items_status_and_latest_progress(world: World, tmp_path: pathlib.Path) -> None:
    from luoshi.reporting.models import Pulse

    actions.set_item_status(world.item_a, "in_progress", None)
    Pulse.objects.create(item=world.item_a, zone=world.zone, progress=[42.5, 30.0], days=[20400, 20393])
    out = tmp_path / "plan.xlsx"
    call_command("export_plan", "--zone", "alpha", "--year", "2026", "--out", str(out))
    ws = load_workbook(out).active
    rows = {ws.cell(row=r, column=3).value: r for r in range(3, ws.max_row + 1)}
    reported = ws.cell(row=rows["1.培育高新技术企业"], column=9)
    assert ws.cell(row=rows["1.培育高新技术企业"], column=8).value == "推进中"
    assert reported.value == pytest.approx(0.425) and reported.number_format == "0.0%"
    assert ws.cell(row=rows["2.建设创新平台"], column=8).value == "未开始"
    assert ws.cell(row=rows["2.建设创新平台"], column=9).value is None  # nothing reported yet


@pytest.mark.parametrize(
    ("title", "filename"), [("2026年重点工作", "2026年重点工作.xlsx"), ("重点工作", "2026年重点工作.xlsx")]
)
def test_export_filename_names_the_year_once(world: World, title: str, filename: str) -> None:
    from luoshi.plans.export import export_filename

    world.plan.title = title
    assert export_filename(world.plan) == filename


def test_ambiguous_year_needs_a_title(world: World, tmp_path: pathlib.Path) -> None:
    actions.create_plan(world.zone, 2026, "第二个计划", ["任务"], None)
    with pytest.raises(CommandError, match="--title"):
        call_command("export_plan", "--zone", "alpha", "--year", "2026", "--out", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="没有找到"):
        call_command("export_plan", "--zone", "alpha", "--year", "2031", "--out", str(tmp_path / "x.xlsx"))


def test_demo_plans_survive_the_round_trip(db: None, tmp_path: pathlib.Path) -> None:
    from luoshi.demo.build import build_demo

    demo = build_demo(date(2026, 8, 15))
    for plan in demo.plans:
        out = tmp_path / f"{plan.pk}.xlsx"
        call_command(
            "export_plan", "--zone", "demo", "--year", "2026", "--title", plan.title, "--out", str(out)
        )
        parsed = parse_plan_file(out.read_bytes(), out.name, 2026)
        preview = preview_import(demo.zone, 2026, parsed, title=plan.title + "（导入）")
        assert not preview.has_errors, [p.message for p in preview.problems if p.severity == "error"]
        assert _shape(actions.import_plan(preview, None)) == _shape(plan)
