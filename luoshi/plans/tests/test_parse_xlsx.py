import re
import time
import zipfile
from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.plans.parsing import MAX_FILE_BYTES, ParsedPlan, parse_plan_file
from luoshi.plans.tests.workbooks import (
    FLAT_HEADER,
    HEADER,
    assert_consistent_tree,
    big_rows,
    make_docx,
    make_xlsx,
    sample_xlsx,
)

Y = 2026
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


def parse(data: bytes, filename: str = "plan.xlsx") -> ParsedPlan:
    return parse_plan_file(data, filename, Y)


def tree(plan: ParsedPlan) -> list[tuple[int, str, str]]:
    """(level, code, title) per node, to compare shapes at a glance."""
    return [(n.level, n.code, n.title) for n in plan.nodes]


def problems(plan: ParsedPlan, severity: str | None = None) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in plan.problems if severity in (None, p.severity)]


# ---- layouts --------------------------------------------------------------------------------------------------


def test_sample_plan():
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


def test_several_title_rows_and_messy_header_cells():
    rows = [
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


def test_two_row_header_with_group_heading():
    rows = [
        ["序号", "重点任务", "具体措施", "责任单位", None, "完成时限"],
        [None, None, None, "牵头单位", "配合单位", None],
        [1, "任务甲", "措施甲", "区科技局", "区财政局", "年底前"],
    ]
    plan = parse(make_xlsx(rows, ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"]))
    measure = plan.nodes[1]
    assert (measure.lead_unit, measure.co_units, measure.row) == ("区科技局", ["区财政局"], 3)


def test_unmerged_two_row_header():
    rows = [
        ["序号", "工作任务", "责任主体", None, "完成时限"],
        [None, None, "牵头单位", "配合单位", None],
        [1, "任务甲", "区科技局", "区财政局", "年底前"],
    ]
    plan = parse(make_xlsx(rows))
    assert [(n.title, n.lead_unit, n.co_units) for n in plan.nodes] == [("任务甲", "区科技局", ["区财政局"])]


def test_responsible_column_alone_first_unit_leads():
    rows = [
        ["序号", "工作任务", "责任单位", "完成时限"],
        [1, "任务甲", "区科技局、区财政局，区审计局", "年底前"],
    ]
    node = parse(make_xlsx(rows)).nodes[0]
    assert (node.lead_unit, node.co_units) == ("区科技局", ["区财政局", "区审计局"])
    assert node.unit_cells == {"lead": "C2", "co": "C2"}


def test_responsible_beside_lead_column_are_co_units():
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
def test_unit_lists(written, lead, co):
    node = parse(
        make_xlsx([["序号", "工作任务", "责任单位", "完成时限"], [1, "任务甲", written, "年底前"]])
    ).nodes[0]
    assert (node.lead_unit, node.co_units) == (lead, co)


def test_fill_down_and_repeated_task_text():
    rows = [
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


def test_task_row_keeps_its_own_units_and_a_merged_unit_cell_applies_to_each_row():
    rows = [
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


def test_task_merged_across_level_columns_has_no_measure():
    rows = [
        HEADER,
        [1, "独立任务", None, "区科技局", None, "年底前", None],
        [2, "任务乙", "措施一", "区财政局", None, "年底前", None],
    ]
    plan = parse(make_xlsx(rows, ["B2:C2"]))
    assert tree(plan) == [(1, "1", "独立任务"), (1, "", "任务乙"), (2, "2", "措施一")]
    assert plan.nodes[0].lead_unit == "区科技局" and not plan.problems


def test_numbering_levels_in_one_column():
    rows = [
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


def test_levels_compress_to_the_kinds_used():
    rows = [
        ["工作任务", "牵头单位"],
        ["一、甲", None],
        ["1.甲一", "区科技局"],
        ["⑴甲一一", "区科技局"],
        ["二、乙", "区财政局"],
    ]
    plan = parse(make_xlsx(rows))
    assert tree(plan) == [(1, "一、", "甲"), (2, "1.", "甲一"), (3, "⑴", "甲一一"), (1, "二、", "乙")]


def test_codes_in_the_number_column():
    rows = [
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


def test_plain_count_is_not_a_level_beside_text_numbering():
    rows = [
        ["序号", "工作任务", "牵头单位"],
        [1, "一、科技创新", None],
        [2, "1.培育主体", "区科技局"],
        [3, "2.平台建设", "区科技局"],
    ]
    plan = parse(make_xlsx(rows))
    assert tree(plan) == [(1, "一、", "科技创新"), (2, "1.", "培育主体"), (2, "2.", "平台建设")]


def test_flat_list_counted_by_number_column():
    rows = [
        FLAT_HEADER,
        [1, "任务甲", "区科技局", None, "年底前", None],
        [2, "任务乙", "区财政局", None, "年底前", None],
    ]
    plan = parse(make_xlsx(rows))
    assert plan.level_names == ["工作任务"]
    assert tree(plan) == [(1, "1", "任务甲"), (1, "2", "任务乙")]


def test_section_rows_above_level_columns():
    rows = [
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


def test_uncoded_section_row_in_a_numbered_list():
    rows = [
        ["序号", "工作任务", "牵头单位"],
        ["科技创新"],
        [1, "1.培育主体", "区科技局"],
        [2, "2.平台建设", "区科技局"],
    ]
    plan = parse(make_xlsx(rows, ["A2:C2"]))
    assert tree(plan) == [(1, "", "科技创新"), (2, "1.", "培育主体"), (2, "2.", "平台建设")]


def test_footnotes_totals_blank_and_repeated_header_rows_are_skipped():
    rows = [
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


def test_excel_date_cells():
    excel_cell = datetime(2026, 6, 30)  # noqa: DTZ001 - Excel dates are naive
    rows = [FLAT_HEADER, [1, "任务甲", "区科技局", None, excel_cell, None]]
    node = parse(make_xlsx(rows)).nodes[0]
    assert (node.due, node.due_text) == (date(2026, 6, 30), "2026-06-30")


def test_picks_the_sheet_with_a_header():
    data = make_xlsx(
        [["说明：本表为2026年任务"]],
        sheet="说明",
        extra_sheets={"任务表": [FLAT_HEADER, [1, "任务甲", "区科技局"]]},
    )
    plan = parse(data)
    assert plan.sheet == "任务表" and tree(plan) == [(1, "1", "任务甲")]


# ---- problems -------------------------------------------------------------------------------------------------


def test_duplicate_codes_under_one_parent():
    rows = [
        ["序号", "工作任务", "牵头单位"],
        [1, "一、甲", "区科技局"],
        [2, "（一）甲一", "区科技局"],
        [3, "（二）甲二", "区科技局"],
        [4, "（二）甲三", "区科技局"],
    ]
    plan = parse(make_xlsx(rows))
    assert problems(plan, "error") == [(5, "B", "编号“（二）”重复")]


def test_same_code_under_different_parents_is_fine():
    rows = [
        ["工作任务", "牵头单位"],
        ["一、甲", None],
        ["（一）甲一", "区科技局"],
        ["二、乙", None],
        ["（一）乙一", "区财政局"],
    ]
    assert not parse(make_xlsx(rows)).problems


def test_skipped_level():
    rows = [
        ["工作任务", "牵头单位"],
        ["一、甲", None],
        ["（一）甲一", "区科技局"],
        ["二、乙", None],
        ["1.乙一", "区财政局"],
    ]
    plan = parse(make_xlsx(rows))
    assert problems(plan) == [(5, "A", "编号跳级：“1.”前面缺少“（一）”这一级")]


def test_gap_and_out_of_order_are_warnings():
    rows = [["工作任务", "牵头单位"], ["一、甲", "区科技局"], ["三、丙", "区科技局"], ["二、乙", "区科技局"]]
    plan = parse(make_xlsx(rows))
    assert problems(plan, "warning") == [
        (3, "A", "编号不连续：这里应是“二、”，实际是“三、”"),
        (4, "A", "编号不连续：这里应是“四、”，实际是“二、”"),
    ]
    assert not plan.has_errors


def test_deadline_problems_point_at_the_cell():
    rows = [
        FLAT_HEADER,
        [1, "任务甲", "区科技局", None, "2月30日", None],
        [2, "任务乙", "区科技局", None, "尽快", None],
    ]
    plan = parse(make_xlsx(rows))
    assert problems(plan, "error") == [(2, "E", "日期不存在：2月30日")]
    assert problems(plan, "warning") == [
        (3, "E", "无法识别完成时限“尽快”，请写成“6月底前”或“2026年12月31日”")
    ]
    assert plan.nodes[1].due_text == "尽快" and plan.nodes[1].due is None


def test_missing_title_and_missing_lead():
    rows = [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["一", "甲", None, None],
        [1, "1.", "区科技局", "年底前"],
        [2, "2.有内容", None, "年底前"],
        [3, None, "区财政局", "年底前"],
    ]
    plan = parse(make_xlsx(rows))
    assert problems(plan) == [
        (3, "B", "缺少任务内容"),
        (4, "C", "没有牵头单位"),
        (5, "C", "这一行有单位或时限，但没有任务内容"),
    ]
    assert [p.severity for p in plan.problems] == ["error", "warning", "error"]


def test_odd_merged_range_uses_top_left_and_warns():
    rows = [HEADER, [1, "任务甲", "措施一", "区科技局", None, None, None]]
    plan = parse(make_xlsx(rows, ["D2:F2"]))
    assert plan.nodes[1].lead_unit == "区科技局" and plan.nodes[1].due_text == ""
    assert problems(plan, "warning") == [
        (2, "D", "合并单元格跨越了不同的列，已按左上角单元格的值读取，请拆分后核对")
    ]


def test_excel_error_value():
    plan = parse(make_xlsx([FLAT_HEADER, [1, "任务甲", "#REF!", None, "年底前", None]]))
    assert (2, "C", "单元格是公式错误值 #REF!，请改正后重新导入") in problems(plan, "error")


def test_formula_without_cached_value():
    rows = [FLAT_HEADER, [1, "任务甲", "区科技局", None, '=TEXT(DATE(2026,6,30),"m月d日")', None]]
    plan = parse(make_xlsx(rows))  # openpyxl saves formulas without results, as some tools do
    assert problems(plan, "error") == [(2, "E", "公式没有计算结果，请在 Excel 中打开文件、保存后重新导入")]


def test_formula_with_cached_value_is_read():
    data = make_xlsx([FLAT_HEADER, [1, "任务甲", "区科技局", None, '="6月底前"', None]])
    plan = parse(_with_cached_value(data, "6月底前"))
    assert not plan.problems and plan.nodes[0].due == date(Y, 6, 30)


def _with_cached_value(data: bytes, value: str) -> bytes:
    """Give every formula cell the cached string result Excel would have stored."""
    source, out = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = re.sub(
                    r'<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
                    rf'<c r="\1" t="str"><f>\3</f><v>{value}</v>',
                    content.decode(),
                )
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "工作表是空的，没有可导入的内容"),
        (
            [["今年的任务"], ["区科技局"]],
            "没有找到表头，请确认表中有“重点任务”或“具体措施”、“牵头单位”、“完成时限”等列",
        ),
        ([FLAT_HEADER], "表头下面没有任务，请检查工作表内容"),
    ],
)
def test_unusable_sheets(rows, message):
    plan = parse(make_xlsx(rows))
    assert (plan.nodes, problems(plan)) == ([], [(None, None, message)])


def test_missing_unit_column():
    plan = parse(make_xlsx([["序号", "工作任务", "完成时限"], [1, "任务甲", "年底前"]]))
    assert problems(plan, "error") == [(None, None, "表头中没有找到“牵头单位”或“责任单位”列")]


# ---- files that are not what they say -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "plan.xlsx", "文件是空的"),
        (b"PK\x03\x04 broken", "plan.xlsx", "文件已损坏，无法打开，请在 Excel 或 Word 中重新保存后导入"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le"),
            "plan.xlsx",
            "文件已加密，请在 Excel 或 Word 中取消密码后重新导入",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "Workbook".encode("utf-16-le"),
            "plan.xls",
            "这是旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后重新导入",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "WordDocument".encode("utf-16-le"),
            "plan.doc",
            "这是旧版 Word 文件（.doc），请在 Word 中另存为 .docx 后重新导入",
        ),
        (
            "一、任务".encode(),
            "plan.xlsx",
            "文件扩展名是 .xlsx，但内容是纯文本，请改正扩展名或重新导出后导入",
        ),
        (b"%PDF-1.7", "plan.pdf", "不支持这种文件格式，请上传 .xlsx、.docx 或 .txt 文件"),
        (b"\x00\x01\x02\x03binary", "plan.bin", "不支持这种文件格式，请上传 .xlsx、.docx 或 .txt 文件"),
    ],
)
def test_bad_files(data, filename, message):
    plan = parse(data, filename)
    assert (plan.nodes, problems(plan), plan.has_errors) == ([], [(None, None, message)], True)


def test_renamed_word_file():
    plan = parse(make_docx(["一、任务"]), "plan.xlsx")
    assert problems(plan) == [
        (None, None, "文件扩展名是 .xlsx，但内容是Word 文档（.docx），请改正扩展名或重新导出后导入")
    ]


def test_content_decides_when_the_extension_says_nothing():
    assert tree(parse(sample_xlsx(), "download")) == tree(parse(sample_xlsx()))


def test_damaged_workbook():
    data = bytearray(sample_xlsx())
    data[len(data) // 2 : len(data) // 2 + 200] = b"\0" * 200
    plan = parse(bytes(data))
    assert plan.has_errors and not plan.nodes


def test_too_big():
    plan = parse(bytes(MAX_FILE_BYTES + 1))
    assert problems(plan) == [(None, None, "文件太大（20.0 MB），最大 20 MB，请删除无关内容或拆分后重新导入")]


# ---- size -----------------------------------------------------------------------------------------------------


def test_ten_thousand_rows():
    data = make_xlsx(big_rows(10_000), title="大表")
    started = time.perf_counter()
    plan = parse(data)
    elapsed = time.perf_counter() - started
    assert len(plan.nodes) == 12_000 and not plan.problems
    assert plan.nodes[-1].row == 10_002 and plan.nodes[-1].parent == "n11995"
    assert elapsed < 10  # ~2.5 s on a developer machine; generous for slow CI


# ---- more layouts ---------------------------------------------------------------------------------------------


def test_freely_named_level_columns_left_of_the_units():
    rows = [
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


def test_formatting_far_below_the_table_is_ignored():
    rows = [FLAT_HEADER, [1, "任务甲", "区科技局", None, "年底前", None]]
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
def test_any_table_gives_a_consistent_tree(rows):
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
def test_header_synonyms(header, expected):
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


def test_visible_sheet_preferred_over_a_hidden_template():
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


def test_an_image_is_named_as_such():
    from luoshi.plans.parsing import parse_plan_file

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    [problem] = parse_plan_file(png, "计划.xlsx", 2026).problems
    assert "图片" in problem.message
    [problem] = parse_plan_file(png, "计划", 2026).problems
    assert "不支持这种文件格式" in problem.message


@pytest.mark.parametrize("heading", ["2025年预期目标", "目标任务", "主要指标"])
def test_target_table_without_a_task_column_reads_the_targets_as_items(heading):
    """Issue 12.7: a header "序号 | 2022年预期目标 | 责任单位" was refused with "没有找到表头"."""
    rows = [
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


def test_several_lead_units_in_the_lead_column_warn_at_the_cell():
    """Issue 12.7: the second of several 牵头单位 must not become a co-unit without a word."""
    node_rows = [FLAT_HEADER, [1, "任务甲", "区卫生健康局、区文明办", "区财政局", "年底前", ""]]
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
