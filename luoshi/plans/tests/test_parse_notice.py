from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.plans.parsing import ParsedPlan, parse_plan_file
from luoshi.plans.tests.workbooks import SAMPLE_MERGES, SAMPLE_ROWS, assert_consistent_tree, make_docx

Y = 2026
LINES = [
    "一、甲",
    "二、乙",
    "（一）丙",
    "（一）",
    "1. 丁。说明",
    "（1）戊",
    "①己",
    "牵头单位：区科技局",
    "责任单位：区财政局（牵头）、区审计局",
    "完成时限：2月30日",
    "完成时限：6月底前完成设计，年底前投用",
    "各单位要高度重视",
    "说明文字",
    "附件：1.清单",
    "（配合单位：区财政局）",
    "3. 庚（牵头单位：区人社局；完成时限：三季度）",
    "",
]

NOTICE = """青岛高新区2026年创建国家高新区工作任务分工方案

各部门、各单位：
为深入贯彻落实市委、市政府部署，加快创建国家高新区，现将任务分工如下：
一、提升科技创新能力
1. 培育壮大创新主体。实施高新技术企业倍增计划，新增高企100家。
牵头单位：区科技创新局
责任单位：区财政局、区发展和改革局
完成时限：2026年12月底前
工作目标：高企总数达到800家
（1）细化申报辅导
牵头单位: 区科技创新局
完成时限：6月底前完成辅导，9月底前完成申报
2. 某某措施（牵头单位：区人社局；配合单位：区财政局；完成时限：6月底前）
二、优化营商环境
1. 深化一网通办。推进政务服务事项全程网办。
提升群众办事便利度。
（牵头单位：区行政审批局）
各单位要高度重视，认真抓好落实。
附件：1. 任务清单
2. 联系人名单
青岛高新区管理委员会办公室
2026年3月15日
"""


def parse(data: bytes, filename: str) -> ParsedPlan:
    return parse_plan_file(data, filename, Y)


def shape(plan: ParsedPlan) -> list[tuple[int, str, str, str | None]]:
    return [(n.level, n.code, n.title, n.parent) for n in plan.nodes]


EXPECTED_SHAPE = [
    (1, "一、", "提升科技创新能力", None),
    (2, "1.", "培育壮大创新主体", "n1"),
    (3, "（1）", "细化申报辅导", "n2"),
    (2, "2.", "某某措施", "n1"),
    (1, "二、", "优化营商环境", None),
    (2, "1.", "深化一网通办", "n5"),
]


def test_text_notice() -> None:
    plan = parse(NOTICE.encode(), "方案.txt")
    assert plan.title == "青岛高新区2026年创建国家高新区工作任务分工方案"
    assert plan.level_names == ["任务", "措施", "子措施"]
    assert shape(plan) == EXPECTED_SHAPE
    assert [n.row for n in plan.nodes] == [5, 6, 11, 14, 15, 16]  # line numbers
    first = plan.nodes[1]
    assert first.description == "实施高新技术企业倍增计划，新增高企100家。"
    assert (first.lead_unit, first.co_units) == ("区科技创新局", ["区财政局", "区发展和改革局"])
    assert first.unit_cells == {"lead": "牵头单位", "co": "责任单位"}
    assert (first.due, first.due_text, first.target) == (
        date(2026, 12, 31),
        "2026年12月底前",
        "高企总数达到800家",
    )
    sub = plan.nodes[2]
    assert (sub.lead_unit, sub.due) == ("区科技创新局", date(Y, 9, 30))
    assert sub.milestones == [("完成辅导", date(Y, 6, 30)), ("完成申报", date(Y, 9, 30))]
    inline = plan.nodes[3]
    assert (inline.title, inline.lead_unit, inline.co_units, inline.due) == (
        "某某措施",
        "区人社局",
        ["区财政局"],
        date(Y, 6, 30),
    )
    assert inline.unit_cells == {"lead": "牵头单位", "co": "配合单位"}
    last = plan.nodes[5]
    assert last.description == "推进政务服务事项全程网办。\n提升群众办事便利度。"
    assert last.lead_unit == "区行政审批局"
    assert not plan.problems  # closing text, attachments, signature and date are not items


def test_docx_notice_counts_non_empty_paragraphs() -> None:
    plan = parse(make_docx(NOTICE.splitlines()), "方案.docx")
    assert shape(plan) == EXPECTED_SHAPE
    assert [n.row for n in plan.nodes] == [4, 5, 10, 13, 14, 15]
    assert plan.title == "青岛高新区2026年创建国家高新区工作任务分工方案" and not plan.problems


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_encodings(encoding: str) -> None:
    assert shape(parse(NOTICE.encode(encoding), "方案.txt")) == EXPECTED_SHAPE


def test_word_automatic_numbering() -> None:
    paragraphs: list[str | tuple[str, str]] = [
        "任务分工",
        ("List Number", "培育主体"),
        "牵头单位：区科技局",
        ("List Number", "平台建设"),
        "牵头单位：区财政局",
    ]
    plan = parse(make_docx(paragraphs), "方案.docx")
    assert [(n.code, n.title, n.lead_unit) for n in plan.nodes] == [
        ("1.", "培育主体", "区科技局"),
        ("2.", "平台建设", "区财政局"),
    ]


def test_docx_task_table_is_read_like_a_sheet() -> None:
    plan = parse(
        make_docx(["青岛高新区2026年重点任务分工", "各单位："], tables=[(SAMPLE_ROWS, SAMPLE_MERGES)]),
        "方案.docx",
    )
    assert plan.title == "青岛高新区2026年重点任务分工"
    assert plan.level_names == ["重点任务", "具体措施"]
    assert [(n.level, n.title) for n in plan.nodes][:3] == [
        (1, "提升科技创新能力"),
        (2, "实施高新技术企业倍增计划"),
        (2, "建设重大创新平台"),
    ]
    measure = plan.nodes[2]
    assert (measure.row, measure.parent, measure.unit_cells) == (3, "n1", {"lead": "D3", "co": "E3"})
    assert not plan.problems


def test_table_with_bad_deadline_points_at_its_column() -> None:
    rows = [["序号", "工作任务", "牵头单位", "完成时限"], ["1", "任务甲", "区科技局", "2月30日"]]
    plan = parse(make_docx(["方案"], tables=[rows]), "方案.docx")
    assert [(p.row, p.column, p.message) for p in plan.problems] == [(2, "D", "日期不存在：2月30日")]


def test_pasted_tab_separated_table() -> None:
    text = "序号\t工作任务\t牵头单位\t完成时限\n1\t任务甲\t区科技局\t6月底前\n2\t任务乙\t区财政局\t年底前\n"
    plan = parse(text.encode(), "任务.txt")
    assert [(n.title, n.lead_unit, n.due) for n in plan.nodes] == [
        ("任务甲", "区科技局", date(Y, 6, 30)),
        ("任务乙", "区财政局", date(Y, 12, 31)),
    ]


def test_csv_table() -> None:
    text = '序号,工作任务,责任单位,完成时限\n1,任务甲,"区科技局,区财政局",三季度\n'
    node = parse(text.encode(), "任务.csv").nodes[0]
    assert (node.lead_unit, node.co_units, node.due) == ("区科技局", ["区财政局"], date(Y, 9, 30))


def test_problems_use_paragraph_and_label() -> None:
    text = "方案\n一、甲\n（一）甲一\n牵头单位：区科技局\n完成时限：2月30日\n（一）甲二\n1.甲二一\n二、乙\n1.乙一\n完成时限：尽快\n"
    plan = parse(text.encode(), "方案.txt")
    assert [(p.row, p.column, p.severity, p.message) for p in plan.problems] == [
        (5, "完成时限", "error", "日期不存在：2月30日"),
        (6, None, "error", "编号“（一）”重复"),
        (7, None, "warning", "没有牵头单位"),
        (9, None, "error", "编号跳级：“1.”前面缺少“（一）”这一级"),
        (9, None, "warning", "没有牵头单位"),
        (10, "完成时限", "warning", "无法识别完成时限“尽快”，请写成“6月底前”或“2026年12月31日”"),
    ]


def test_item_without_title() -> None:
    plan = parse("一、\n牵头单位：区科技局\n".encode(), "方案.txt")
    assert [(p.row, p.message) for p in plan.problems] == [(1, "缺少任务内容")]


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        ("各单位：\n请认真落实。\n".encode(), "方案.txt"),
        (make_docx(["各单位：", "请认真落实。"]), "方案.docx"),
        (b"\xef\xbb\xbf", "方案.txt"),
    ],
)
def test_no_numbered_items(data: bytes, filename: str) -> None:
    plan = parse(data, filename)
    assert not plan.nodes
    assert [p.message for p in plan.problems] == [
        "没有找到带编号的任务条目，请确认任务以“一、”“（一）”“1.”等编号开头"
    ]


def test_renamed_spreadsheet_as_docx() -> None:
    from luoshi.plans.tests.workbooks import sample_xlsx

    plan = parse(sample_xlsx(), "方案.docx")
    assert [p.message for p in plan.problems] == [
        "文件扩展名是 .docx，但内容是Excel 工作簿（.xlsx），请改正扩展名或重新导出后导入"
    ]


def test_damaged_docx() -> None:
    data = bytearray(make_docx(["一、甲"]))
    data[len(data) // 2 : len(data) // 2 + 300] = b"\0" * 300
    plan = parse(bytes(data), "方案.docx")
    assert plan.has_errors and not plan.nodes


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=25))
def test_any_notice_gives_a_consistent_tree(lines: list[str]) -> None:
    assert_consistent_tree(parse("\n".join(lines).encode(), "方案.txt"))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_never_raise(data: bytes) -> None:
    plan = parse(data, "方案.txt")
    assert plan.nodes or plan.has_errors


@pytest.mark.parametrize(
    "lines",
    [
        ["1. 任务", "牵头部门：区科技局", "协办单位：区财政局", "时间节点：6月底前", "目标任务：完成"],
        ["1. 任务", "责任部门: 区科技局、区财政局", "完成时间: 6月底前", "预期目标: 完成"],
        ["1. 任务（牵头单位：区科技局，参与单位：区财政局，时限要求：6月底前，工作目标：完成）"],
    ],
)
def test_attribute_label_synonyms(lines: list[str]) -> None:
    node = parse("\n".join(lines).encode(), "方案.txt").nodes[0]
    assert (node.title, node.lead_unit, node.co_units, node.due, node.target) == (
        "任务",
        "区科技局",
        ["区财政局"],
        date(Y, 6, 30),
        "完成",
    )


@pytest.mark.parametrize(
    "line",
    [
        "1. 开展爱国卫生月活动【牵头单位：区卫生健康局；责任单位：各街道（含开发区）】",
        "1. 开展爱国卫生月活动［牵头单位：区卫生健康局；责任单位：各街道（含开发区）］",
        "1. 开展爱国卫生月活动〔牵头单位：区卫生健康局；责任单位：各街道（含开发区）〕",
        "1. 开展爱国卫生月活动（牵头单位：区卫生健康局；责任单位：各街道（含开发区））",
    ],
)
def test_bracketed_unit_list_holding_parentheses_drops_its_closing_bracket(line: str) -> None:
    """Issue 12.7: 【…；责任单位：各街办（新区）】 gave the co-unit "各街办（新区）】"; ［…］ was never stripped."""
    plan = parse(line.encode(), "方案.txt")
    node = plan.nodes[0]
    assert (node.title, node.lead_unit, node.co_units) == (
        "开展爱国卫生月活动",
        "区卫生健康局",
        ["各街道（含开发区）"],
    )
    assert not plan.problems


def test_full_width_square_brackets_around_a_label_line() -> None:
    plan = parse("1. 整治背街小巷\n［牵头单位：区城市管理局（区综合执法局）］".encode(), "方案.txt")
    assert plan.nodes[0].lead_unit == "区城市管理局（区综合执法局）"


def test_several_lead_units_keep_the_first_and_warn_about_the_others() -> None:
    """Issue 12.7: "牵头单位：区卫健局、区创文办" silently demoted the second lead to a co-unit."""
    text = "1. 创建国家卫生城区\n牵头单位：区卫生健康局、区文明办\n责任单位：区财政局"
    plan = parse(text.encode(), "方案.txt")
    node = plan.nodes[0]
    assert (node.lead_unit, node.co_units) == ("区卫生健康局", ["区文明办", "区财政局"])
    assert [(p.row, p.column, p.severity, p.message) for p in plan.problems] == [
        (
            2,
            "牵头单位",
            "warning",
            "牵头单位写了多个（区卫生健康局、区文明办），已取第一个“区卫生健康局”为牵头单位，其余作为配合单位",
        )
    ]


def test_a_marked_lead_among_several_needs_no_warning() -> None:
    plan = parse("1. 任务\n牵头单位：区文明办、区卫生健康局（牵头）".encode(), "方案.txt")
    assert (plan.nodes[0].lead_unit, plan.problems) == ("区卫生健康局", [])
