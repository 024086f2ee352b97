"""More layouts offices write: freely named level columns, hidden templates, images, header synonyms, target
tables, several lead units."""

import time
from collections.abc import Sequence
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.plans.tests.workbooks import (
    FLAT_HEADER,
    Y,
    assert_consistent_tree,
    make_xlsx,
    parse,
    problems,
    tree,
)

CELLS = [
    "",
    "一、科技创新",
    "（二）服务",
    "1.培育主体",
    "1.",
    "①组织",
    "合计",
    "注：说明",
    "区科技局、区财政局",
    "（牵头）",
    "6月底前",
    "2月30日",
    "持续推进",
    "尽快",
    "1",
    "二",
    "任务甲",
    "序号",
    "工作任务",
]


# ---- more layouts ---------------------------------------------------------------------------------------------


def test_freely_named_level_columns_left_of_the_units() -> None:
    rows: list[list[object]] = [
        [
            "序号",
            "目标",
            "方向",
            "行动",
            "任务",
            "措施",
            "牵头单位",
            "分管领导",
            "完成时限",
            "工作目标",
            "备注",
        ],
        [
            None,
            "重回前十",
            "一、创新驱动",
            "（一）科技创新行动",
            "1.培育主体",
            None,
            "区科技局",
            "张三",
            "年底前",
            None,
            None,
        ],
        [
            1,
            None,
            None,
            None,
            None,
            "（1）高企倍增\n新认定高企100家。",
            "区科技局",
            "李四",
            "6月底前",
            "高企100家",
            "已启动",
        ],
    ]
    plan = parse(make_xlsx(rows, ["B2:B3", "C2:C3", "D2:D3", "E2:E3"]))
    assert plan.level_names == ["目标", "方向", "行动", "任务", "措施"]
    assert tree(plan) == [
        (1, "", "重回前十"),
        (2, "一、", "创新驱动"),
        (3, "（一）", "科技创新行动"),
        (4, "1.", "培育主体"),
        (5, "（1）", "高企倍增"),
    ]
    measure = plan.nodes[-1]
    assert (measure.description, measure.lead_unit, measure.target) == (
        "新认定高企100家。",
        "区科技局",
        "高企100家",
    )
    assert not plan.problems


def test_formatting_far_below_the_table_is_ignored() -> None:
    rows: list[Sequence[object]] = [FLAT_HEADER, [1, "任务甲", "区科技局", None, "年底前", None]]
    workbook = openpyxl.load_workbook(BytesIO(make_xlsx(rows)))
    workbook.active.cell(200_000, 1).number_format = "0"  # a styled, empty cell: Excel's used range grows
    out = BytesIO()
    workbook.save(out)
    started = time.perf_counter()
    plan = parse(out.getvalue())
    assert tree(plan) == [(1, "1", "任务甲")] and time.perf_counter() - started < 2


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(CELLS), min_size=6, max_size=6),
        max_size=15,
    )
)
def test_any_table_gives_a_consistent_tree(rows: list[list[str]]) -> None:
    """Random rows under a real header, pasted as tab-separated text: never raises, refs and parents hold."""
    text = "\n".join("\t".join(row) for row in [FLAT_HEADER, *rows])
    plan = parse(text.encode(), "任务.txt")
    assert_consistent_tree(plan)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["编号", "主要任务", "工作措施", "责任部门", "协办单位", "时间节点", "目标任务"],
            ("甲", "乙", "丙", ["丁"], date(Y, 6, 30), "戊"),
        ),
        (
            ["序号", "工作任务", "推进举措", "牵头部门", "参与单位", "进度安排", "量化指标"],
            ("甲", "乙", "丙", ["丁"], date(Y, 6, 30), "戊"),
        ),
        (
            ["序号", "重点工作", "工作内容", "主责单位", "协同单位", "完成时间", "预期目标"],
            ("甲", "乙", "丙", ["丁"], date(Y, 6, 30), "戊"),
        ),
    ],
)
def test_header_synonyms(header: list[object], expected: tuple[str, str, str, list[str], date, str]) -> None:
    plan = parse(make_xlsx([header, [1, "甲", "乙", "丙", "丁", "6月底前", "戊"]]))
    task, measure = plan.nodes
    assert (
        task.title,
        measure.title,
        measure.lead_unit,
        measure.co_units,
        measure.due,
        measure.target,
    ) == expected


def test_visible_sheet_preferred_over_a_hidden_template() -> None:
    workbook = openpyxl.load_workbook(
        BytesIO(make_xlsx([FLAT_HEADER, [1, "模板任务", "区科技局"]], sheet="模板"))
    )
    workbook.active.sheet_state = "hidden"
    real = workbook.create_sheet("任务")
    for row in [FLAT_HEADER, [1, "真实任务", "区财政局"]]:
        real.append(row)
    workbook.active = 1
    out = BytesIO()
    workbook.save(out)
    plan = parse(out.getvalue())
    assert plan.sheet == "任务" and tree(plan) == [(1, "1", "真实任务")]


def test_an_image_is_named_as_such() -> None:
    from luoshi.plans.parsing import parse_plan_file

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    [problem] = parse_plan_file(png, "计划.xlsx", 2026).problems
    assert "图片" in problem.message
    [problem] = parse_plan_file(png, "计划", 2026).problems
    assert "不支持这种文件格式" in problem.message


@pytest.mark.parametrize("heading", ["2025年预期目标", "目标任务", "主要指标"])
def test_target_table_without_a_task_column_reads_the_targets_as_items(heading: str) -> None:
    """Issue 12.7: a header "序号 | 2022年预期目标 | 责任单位" was refused with "没有找到表头"."""
    rows: list[list[object]] = [
        ["序号", heading, "责任单位"],
        [1, "城镇新增就业1.2万人", "区人力资源社会保障局"],
        [2, "空气质量优良天数比例达到85%以上。全年不发生重污染天气", "区生态环境分局、区城市管理局"],
    ]
    plan = parse(make_xlsx(rows, title="某区2025年民生实事目标"))
    assert not plan.problems
    assert plan.level_names == [heading]
    assert [(n.code, n.title, n.target, n.lead_unit, n.co_units) for n in plan.nodes] == [
        ("1", "城镇新增就业1.2万人", "城镇新增就业1.2万人", "区人力资源社会保障局", []),
        (
            "2",
            "空气质量优良天数比例达到85%以上",
            "空气质量优良天数比例达到85%以上。全年不发生重污染天气",
            "区生态环境分局",
            ["区城市管理局"],
        ),
    ]


def test_several_lead_units_in_the_lead_column_warn_at_the_cell() -> None:
    """Issue 12.7: the second of several 牵头单位 must not become a co-unit without a word."""
    node_rows: list[Sequence[object]] = [
        FLAT_HEADER,
        [1, "任务甲", "区卫生健康局、区文明办", "区财政局", "年底前", ""],
    ]
    plan = parse(make_xlsx(node_rows))
    node = plan.nodes[0]
    assert (node.lead_unit, node.co_units) == ("区卫生健康局", ["区文明办", "区财政局"])
    assert problems(plan) == [
        (
            2,
            "C",
            "牵头单位写了多个（区卫生健康局、区文明办），已取第一个“区卫生健康局”为牵头单位，其余作为配合单位",
        )
    ]
