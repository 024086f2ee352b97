"""How the plan reader reports what it cannot use: problems at the cell, unusable sheets, files that are not what
they say, and size."""

import re
import time
import zipfile
from collections.abc import Sequence
from datetime import date
from io import BytesIO

import pytest

from luoshi.plans.tests.workbooks import (
    FLAT_HEADER,
    HEADER,
    Y,
    big_rows,
    make_docx,
    make_xlsx,
    parse,
    problems,
    sample_xlsx,
    tree,
)
from luoshi.sheets.uploads import MAX_FILE_BYTES

# ---- problems -------------------------------------------------------------------------------------------------


def test_duplicate_codes_under_one_parent() -> None:
    rows: list[list[object]] = [
        ["序号", "工作任务", "牵头单位"],
        [1, "一、甲", "区科技局"],
        [2, "（一）甲一", "区科技局"],
        [3, "（二）甲二", "区科技局"],
        [4, "（二）甲三", "区科技局"],
    ]
    plan = parse(make_xlsx(rows))
    assert problems(plan, "error") == [(5, "B", "编号“（二）”重复")]


def test_same_code_under_different_parents_is_fine() -> None:
    rows: list[list[object]] = [
        ["工作任务", "牵头单位"],
        ["一、甲", None],
        ["（一）甲一", "区科技局"],
        ["二、乙", None],
        ["（一）乙一", "区财政局"],
    ]
    assert not parse(make_xlsx(rows)).problems


def test_skipped_level() -> None:
    rows: list[list[object]] = [
        ["工作任务", "牵头单位"],
        ["一、甲", None],
        ["（一）甲一", "区科技局"],
        ["二、乙", None],
        ["1.乙一", "区财政局"],
    ]
    plan = parse(make_xlsx(rows))
    assert problems(plan) == [(5, "A", "编号跳级：“1.”前面缺少“（一）”这一级")]


def test_gap_and_out_of_order_are_warnings() -> None:
    rows = [["工作任务", "牵头单位"], ["一、甲", "区科技局"], ["三、丙", "区科技局"], ["二、乙", "区科技局"]]
    plan = parse(make_xlsx(rows))
    assert problems(plan, "warning") == [
        (3, "A", "编号不连续：这里应是“二、”，实际是“三、”"),
        (4, "A", "编号不连续：这里应是“四、”，实际是“二、”"),
    ]
    assert not plan.has_errors


def test_deadline_problems_point_at_the_cell() -> None:
    rows: list[Sequence[object]] = [
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


def test_missing_title_and_missing_lead() -> None:
    rows: list[list[object]] = [
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


def test_odd_merged_range_uses_top_left_and_warns() -> None:
    rows = [HEADER, [1, "任务甲", "措施一", "区科技局", None, None, None]]
    plan = parse(make_xlsx(rows, ["D2:F2"]))
    assert plan.nodes[1].lead_unit == "区科技局" and plan.nodes[1].due_text == ""
    assert problems(plan, "warning") == [
        (2, "D", "合并单元格跨越了不同的列，已按左上角单元格的值读取，请拆分后核对")
    ]


def test_excel_error_value() -> None:
    plan = parse(make_xlsx([FLAT_HEADER, [1, "任务甲", "#REF!", None, "年底前", None]]))
    assert (2, "C", "单元格是公式错误值 #REF!，请改正后重新导入") in problems(plan, "error")


def test_formula_without_cached_value() -> None:
    rows: list[Sequence[object]] = [
        FLAT_HEADER,
        [1, "任务甲", "区科技局", None, '=TEXT(DATE(2026,6,30),"m月d日")', None],
    ]
    plan = parse(make_xlsx(rows))  # openpyxl saves formulas without results, as some tools do
    assert problems(plan, "error") == [(2, "E", "公式没有计算结果，请在 Excel 中打开文件、保存后重新导入")]


def test_formula_with_cached_value_is_read() -> None:
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
def test_unusable_sheets(rows: list[list[object]], message: str) -> None:
    plan = parse(make_xlsx(rows))
    assert (plan.nodes, problems(plan)) == ([], [(None, None, message)])


def test_missing_unit_column() -> None:
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
def test_bad_files(data: bytes, filename: str, message: str) -> None:
    plan = parse(data, filename)
    assert (plan.nodes, problems(plan), plan.has_errors) == ([], [(None, None, message)], True)


def test_renamed_word_file() -> None:
    plan = parse(make_docx(["一、任务"]), "plan.xlsx")
    assert problems(plan) == [
        (None, None, "文件扩展名是 .xlsx，但内容是Word 文档（.docx），请改正扩展名或重新导出后导入")
    ]


def test_content_decides_when_the_extension_says_nothing() -> None:
    assert tree(parse(sample_xlsx(), "download")) == tree(parse(sample_xlsx()))


def test_damaged_workbook() -> None:
    data = bytearray(sample_xlsx())
    data[len(data) // 2 : len(data) // 2 + 200] = b"\0" * 200
    plan = parse(bytes(data))
    assert plan.has_errors and not plan.nodes


def test_too_big() -> None:
    plan = parse(bytes(MAX_FILE_BYTES + 1))
    assert problems(plan) == [(None, None, "文件太大（20.0 MB），最大 20 MB，请删除无关内容或拆分后重新导入")]


# ---- size -----------------------------------------------------------------------------------------------------


def test_ten_thousand_rows() -> None:
    data = make_xlsx(big_rows(10_000), title="大表")
    started = time.perf_counter()
    plan = parse(data)
    elapsed = time.perf_counter() - started
    assert len(plan.nodes) == 12_000 and not plan.problems
    assert plan.nodes[-1].row == 10_002 and plan.nodes[-1].parent == "n11995"
    assert elapsed < 10  # ~2.5 s on a developer machine; generous for slow CI
