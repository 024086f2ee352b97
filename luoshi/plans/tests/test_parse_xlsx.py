from collections.abc import Sequence
from datetime import date, datetime

import pytest

from luoshi.plans.tests.workbooks import (
    FLAT_HEADER,
    HEADER,
    Y,
    make_xlsx,
    parse,
    sample_xlsx,
    tree,
)

# ---- layouts --------------------------------------------------------------------------------------------------


def test_sample_plan() -> None:
    plan = parse(sample_xlsx())
    assert plan.title == "青岛高新区2026年重点工作任务分解表"
    assert plan.sheet == "任务分解表"
    assert plan.level_names == ["重点任务", "具体措施"]
    assert not plan.problems
    assert tree(plan) == [
        (1, "一", "提升科技创新能力"),
        (2, "", "实施高新技术企业倍增计划"),
        (2, "", "建设重大创新平台"),
        (1, "二", "优化营商环境"),
        (2, "", "深化“一网通办”改革"),
        (2, "", "开展政策兑现专项行动"),
    ]
    task, measure, second = plan.nodes[0], plan.nodes[1], plan.nodes[2]
    assert [n.parent for n in plan.nodes] == [None, "n1", "n1", None, "n4", "n4"]
    assert (task.row, task.lead_unit, measure.row) == (3, None, 3)
    assert measure.lead_unit == "区科技创新局"
    assert measure.co_units == ["区财政局", "区发展和改革局"]  # 和 inside a name is not a separator
    assert measure.unit_cells == {"lead": "D3", "co": "E3"}
    assert (measure.due, measure.due_text, measure.target) == (
        date(2026, 12, 31),
        "2026年12月底前",
        "新增高企100家",
    )
    assert second.milestones == [("完成设计", date(Y, 6, 30)), ("建成投用", date(Y, 12, 31))]
    last = plan.nodes[5]
    assert (last.lead_unit, last.co_units) == ("区财政局", ["区发展和改革局", "区审计局"])  # "（牵头）" wins
    assert last.unit_cells == {"lead": "E6", "co": "D6,E6"}
    assert (last.due, last.due_text) == (None, "持续推进")


def test_several_title_rows_and_messy_header_cells() -> None:
    rows: list[list[object]] = [
        ["青岛高新区2026年重点工作任务分解表"],
        ["（第一批）"],
        ["填报单位：区发展和改革局", None, None, "日期：2026年3月1日"],
        [
            "序　号",
            "重点\n任务",
            "具 体 措 施",
            "牵头\n单位（部门）",
            "配合单位",
            "完成时限（年月）",
            "＊工作目标",
        ],
        [1, "任务甲", "措施甲", "区科技局", None, "6月底前", None],
    ]
    plan = parse(make_xlsx(rows, ["A1:G1", "A2:G2"]))
    assert plan.title == "青岛高新区2026年重点工作任务分解表"
    assert plan.level_names == ["重点任务", "具体措施"]
    assert tree(plan) == [(1, "", "任务甲"), (2, "1", "措施甲")]
    assert plan.nodes[1].row == 5 and plan.nodes[1].due == date(Y, 6, 30)


def test_two_row_header_with_group_heading() -> None:
    rows: list[list[object]] = [
        ["序号", "重点任务", "具体措施", "责任单位", None, "完成时限"],
        [None, None, None, "牵头单位", "配合单位", None],
        [1, "任务甲", "措施甲", "区科技局", "区财政局", "年底前"],
    ]
    plan = parse(make_xlsx(rows, ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"]))
    measure = plan.nodes[1]
    assert (measure.lead_unit, measure.co_units, measure.row) == ("区科技局", ["区财政局"], 3)


def test_unmerged_two_row_header() -> None:
    rows: list[list[object]] = [
        ["序号", "工作任务", "责任主体", None, "完成时限"],
        [None, None, "牵头单位", "配合单位", None],
        [1, "任务甲", "区科技局", "区财政局", "年底前"],
    ]
    plan = parse(make_xlsx(rows))
    assert [(n.title, n.lead_unit, n.co_units) for n in plan.nodes] == [("任务甲", "区科技局", ["区财政局"])]


def test_responsible_column_alone_first_unit_leads() -> None:
    rows: list[list[object]] = [
        ["序号", "工作任务", "责任单位", "完成时限"],
        [1, "任务甲", "区科技局、区财政局，区审计局", "年底前"],
    ]
    node = parse(make_xlsx(rows)).nodes[0]
    assert (node.lead_unit, node.co_units) == ("区科技局", ["区财政局", "区审计局"])
    assert node.unit_cells == {"lead": "C2", "co": "C2"}


def test_responsible_beside_lead_column_are_co_units() -> None:
    node = parse(
        make_xlsx([FLAT_HEADER, [1, "任务甲", "区科技局", "区财政局；区审计局", "年底前", ""]])
    ).nodes[0]
    assert (node.lead_unit, node.co_units) == ("区科技局", ["区财政局", "区审计局"])
    assert node.unit_cells == {"lead": "C2", "co": "D2"}


@pytest.mark.parametrize(
    ("written", "lead", "co"),
    [
        ("区科技局 区财政局\n区审计局", "区科技局", ["区财政局", "区审计局"]),
        ("区教育和体育局、区卫生健康局等", "区教育和体育局", ["区卫生健康局"]),
        ("区财政局,区科技局（牵头）", "区科技局", ["区财政局"]),
        ("区财政局、区科技局 （牵头）", "区科技局", ["区财政局"]),
        ("区市场监管局（知识产权局）、区财政局", "区市场监管局（知识产权局）", ["区财政局"]),
        ("区科技局（排在首位的为牵头单位）、区财政局", "区科技局", ["区财政局"]),
    ],
)
def test_unit_lists(written: str, lead: str, co: list[str]) -> None:
    node = parse(
        make_xlsx([["序号", "工作任务", "责任单位", "完成时限"], [1, "任务甲", written, "年底前"]])
    ).nodes[0]
    assert (node.lead_unit, node.co_units) == (lead, co)


def test_fill_down_and_repeated_task_text() -> None:
    rows: list[list[object]] = [
        HEADER,
        [1, "任务甲", "措施一", "区科技局", None, "6月底前", None],
        [2, None, "措施二", "区科技局", None, "6月底前", None],  # blank task cell: still 任务甲
        [3, "任务乙", "措施三", "区财政局", None, "6月底前", None],
        [4, "任务乙", "措施四", "区财政局", None, "6月底前", None],  # the task written again on each row
    ]
    plan = parse(make_xlsx(rows))
    assert tree(plan) == [
        (1, "", "任务甲"),
        (2, "1", "措施一"),
        (2, "2", "措施二"),
        (1, "", "任务乙"),
        (2, "3", "措施三"),
        (2, "4", "措施四"),
    ]
    assert [n.parent for n in plan.nodes] == [None, "n1", "n1", None, "n4", "n4"]


def test_task_row_keeps_its_own_units_and_a_merged_unit_cell_applies_to_each_row() -> None:
    rows: list[list[object]] = [
        HEADER,
        ["一", "任务甲", None, "区科技局", None, "年底前", "总目标"],
        [1, None, "措施一", "区财政局", None, "6月底前", None],
        [2, None, "措施二", None, None, None, None],
    ]
    plan = parse(make_xlsx(rows, ["D3:D4", "F3:F4"]))
    task, first, second = plan.nodes
    assert (task.lead_unit, task.due, task.target) == ("区科技局", date(Y, 12, 31), "总目标")
    assert (first.lead_unit, second.lead_unit) == ("区财政局", "区财政局")
    assert second.due == date(Y, 6, 30) and second.unit_cells == {"lead": "D3"}


def test_task_merged_across_level_columns_has_no_measure() -> None:
    rows = [
        HEADER,
        [1, "独立任务", None, "区科技局", None, "年底前", None],
        [2, "任务乙", "措施一", "区财政局", None, "年底前", None],
    ]
    plan = parse(make_xlsx(rows, ["B2:C2"]))
    assert tree(plan) == [(1, "1", "独立任务"), (1, "", "任务乙"), (2, "2", "措施一")]
    assert plan.nodes[0].lead_unit == "区科技局" and not plan.problems


def test_numbering_levels_in_one_column() -> None:
    rows: list[list[object]] = [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        [1, "一、科技创新", None, None],
        [2, "（一）培育主体", None, None],
        [3, "1. 高企倍增。实施倍增计划，新增高企100家。", "区科技局", "年底前"],
        [4, "（1）申报辅导", "区科技局", "6月底前"],
        [5, "①组织培训", "区科技局", "3月底前"],
        [6, "2、平台建设", "区科技局", "年底前"],
        [7, "（二）优化服务", "区行政审批局", "年底前"],
        [8, "二、营商环境", "区行政审批局", "年底前"],
    ]
    plan = parse(make_xlsx(rows))
    assert plan.level_names == ["任务", "措施", "子措施", "分项", "细项"]
    assert tree(plan) == [
        (1, "一、", "科技创新"),
        (2, "（一）", "培育主体"),
        (3, "1.", "高企倍增"),
        (4, "（1）", "申报辅导"),
        (5, "①", "组织培训"),
        (3, "2、", "平台建设"),
        (2, "（二）", "优化服务"),
        (1, "二、", "营商环境"),
    ]
    assert plan.nodes[2].description == "实施倍增计划，新增高企100家。"
    assert [n.parent for n in plan.nodes] == [None, "n1", "n2", "n3", "n4", "n2", "n1", None]
    assert not plan.problems


def test_levels_compress_to_the_kinds_used() -> None:
    rows: list[list[object]] = [
        ["工作任务", "牵头单位"],
        ["一、甲", None],
        ["1.甲一", "区科技局"],
        ["⑴甲一一", "区科技局"],
        ["二、乙", "区财政局"],
    ]
    plan = parse(make_xlsx(rows))
    assert tree(plan) == [(1, "一、", "甲"), (2, "1.", "甲一"), (3, "⑴", "甲一一"), (1, "二、", "乙")]


def test_codes_in_the_number_column() -> None:
    rows: list[list[object]] = [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["一", "科技创新", None, None],
        [1, "培育主体", "区科技局", "年底前"],
        [2, "平台建设", "区科技局", "年底前"],
        ["二", "营商环境", None, None],
        [1, "一网通办", "区行政审批局", "年底前"],
    ]
    plan = parse(make_xlsx(rows))
    assert tree(plan) == [
        (1, "一", "科技创新"),
        (2, "1", "培育主体"),
        (2, "2", "平台建设"),
        (1, "二", "营商环境"),
        (2, "1", "一网通办"),
    ]
    assert not plan.problems


def test_plain_count_is_not_a_level_beside_text_numbering() -> None:
    rows: list[list[object]] = [
        ["序号", "工作任务", "牵头单位"],
        [1, "一、科技创新", None],
        [2, "1.培育主体", "区科技局"],
        [3, "2.平台建设", "区科技局"],
    ]
    plan = parse(make_xlsx(rows))
    assert tree(plan) == [(1, "一、", "科技创新"), (2, "1.", "培育主体"), (2, "2.", "平台建设")]


def test_flat_list_counted_by_number_column() -> None:
    rows: list[Sequence[object]] = [
        FLAT_HEADER,
        [1, "任务甲", "区科技局", None, "年底前", None],
        [2, "任务乙", "区财政局", None, "年底前", None],
    ]
    plan = parse(make_xlsx(rows))
    assert plan.level_names == ["工作任务"]
    assert tree(plan) == [(1, "1", "任务甲"), (1, "2", "任务乙")]


def test_section_rows_above_level_columns() -> None:
    rows: list[list[object]] = [
        HEADER,
        ["一、科技创新（共2项）"],
        [1, "任务甲", "措施一", "区科技局", None, "年底前", None],
        [2, None, "措施二", "区科技局", None, "年底前", None],
        ["二、营商环境"],
        [3, "任务乙", "措施三", "区财政局", None, "年底前", None],
    ]
    plan = parse(make_xlsx(rows, ["A2:G2", "A5:G5"]))
    assert plan.level_names == ["领域", "重点任务", "具体措施"]
    assert tree(plan) == [
        (1, "一、", "科技创新"),
        (2, "", "任务甲"),
        (3, "1", "措施一"),
        (3, "2", "措施二"),
        (1, "二、", "营商环境"),
        (2, "", "任务乙"),
        (3, "3", "措施三"),
    ]
    assert not plan.problems  # sections and tasks without their own units are not warned about


def test_uncoded_section_row_in_a_numbered_list() -> None:
    rows: list[list[object]] = [
        ["序号", "工作任务", "牵头单位"],
        ["科技创新"],
        [1, "1.培育主体", "区科技局"],
        [2, "2.平台建设", "区科技局"],
    ]
    plan = parse(make_xlsx(rows, ["A2:C2"]))
    assert tree(plan) == [(1, "", "科技创新"), (2, "1.", "培育主体"), (2, "2.", "平台建设")]


def test_footnotes_totals_blank_and_repeated_header_rows_are_skipped() -> None:
    rows: list[Sequence[object]] = [
        FLAT_HEADER,
        [1, "任务甲", "区科技局", None, "年底前", None],
        [None, None, None, None, None, None],
        FLAT_HEADER,
        [2, "任务乙", "区财政局", None, "年底前", None],
        ["合计", "2项"],
        ["注：1.本表由各牵头单位填报；"],
        ["2.完成时限以正式文件为准。"],
        ["制表人：张三", None, None, None, "审核人：李四"],
    ]
    plan = parse(make_xlsx(rows))
    assert tree(plan) == [(1, "1", "任务甲"), (1, "2", "任务乙")]
    assert not plan.problems


def test_excel_date_cells() -> None:
    excel_cell = datetime(2026, 6, 30)  # noqa: DTZ001 - Excel dates are naive
    rows: list[Sequence[object]] = [FLAT_HEADER, [1, "任务甲", "区科技局", None, excel_cell, None]]
    node = parse(make_xlsx(rows)).nodes[0]
    assert (node.due, node.due_text) == (date(2026, 6, 30), "2026-06-30")


def test_picks_the_sheet_with_a_header() -> None:
    data = make_xlsx(
        [["说明：本表为2026年任务"]],
        sheet="说明",
        extra_sheets={"任务表": [FLAT_HEADER, [1, "任务甲", "区科技局"]]},
    )
    plan = parse(data)
    assert plan.sheet == "任务表" and tree(plan) == [(1, "1", "任务甲")]
