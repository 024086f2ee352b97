"""The enterprise registry (企业库) as read from a CSV or an .xlsx: every column of a good sheet, and each problem
at its row and column. Nothing here touches the database: `read_registry` only reads."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from luoshi.innovation import table
from luoshi.innovation.choices import Industry, LabelKind
from luoshi.innovation.collection import RegistryRow, read_registry
from luoshi.innovation.tests.conftest import credit_code
from luoshi.sheets.problems import Problem

PARKS = {"高新区主园": 11, "蓝色硅谷园": 12}
HEADER = ["统一社会信用代码", "企业名称", "成立日期", "所属行业", "所在园区", "联系人", "联系电话", "资质"]


def csv_bytes(rows: list[list[object]], header: list[str] | None = None, above: int = 0) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for n in range(above):
        writer.writerow([f"标题{n + 1}"])
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def read_csv(
    rows: list[list[object]], header: list[str] | None = None, above: int = 0
) -> tuple[list[RegistryRow], list[Problem]]:
    return read_registry(table.read(csv_bytes(rows, header, above), "企业库.csv"), PARKS)


def good(n: int, **cells: object) -> list[object]:
    """A row of HEADER that reads without a problem; keyword arguments by column replace its cells."""
    row: dict[str, object] = {
        "统一社会信用代码": credit_code(n),
        "企业名称": f"青岛企业{n:03d}有限公司",
        "成立日期": "2020-03-15",
        "所属行业": "C",
        "所在园区": "高新区主园",
        "联系人": "",
        "联系电话": "",
        "资质": "",
    }
    row.update(cells)
    return [row[label] for label in HEADER]


def only_error(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    assert problems[0].severity == "error"
    return problems[0]


def test_csv_registry_reads_every_column() -> None:
    rows, problems = read_csv(
        [
            [
                credit_code(1),
                "青岛芯云科技有限公司",
                "2023-04-01",
                "C",
                "高新区主园",
                "王晓",
                "13800000001",
                "高新技术企业（2023-2025）；专精特新（2024起）",
            ],
            [credit_code(2), "青岛海德材料有限公司", "2022/9/1", "制造业", "蓝色硅谷园", "", "", ""],
            [
                credit_code(3),
                "青岛博康生物有限公司",
                "2012年5月1日",
                "",
                "",
                "",
                "",
                "科技型中小企业（2024）",
            ],
        ],  # fmt: skip
        above=2,
    )
    assert problems == []
    assert [r.row for r in rows] == [4, 5, 6]  # two title rows, then the header on row 3
    first, second, third = rows
    assert (first.credit_code, first.name, first.founded) == (
        credit_code(1),
        "青岛芯云科技有限公司",
        date(2023, 4, 1),
    )
    assert (first.industry, first.park_id) == ("C", 11)
    assert (first.contact_name, first.contact_phone) == ("王晓", "13800000001")
    assert first.labels == [
        (LabelKind.HIGH_TECH.value, 2023, 2025),
        (LabelKind.SPECIALISED.value, 2024, None),
    ]
    assert (second.founded, second.industry, second.park_id, second.labels) == (date(2022, 9, 1), "C", 12, [])
    assert (third.founded, third.industry, third.park_id) == (date(2012, 5, 1), "", None)
    assert third.labels == [(LabelKind.TECH_SME.value, 2024, 2024)]  # one year: first and last alike


def test_csv_code_is_compacted_and_capitalised() -> None:
    code = credit_code(7)
    rows, problems = read_csv([good(7, 统一社会信用代码=f" {code[:6]} {code[6:].lower()} ")])
    assert problems == []
    assert rows[0].credit_code == code


def test_xlsx_registry_with_a_merged_title_row() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2025年度高新区企业创新积分企业库"])
    sheet.merge_cells("A1:H1")
    sheet.append(HEADER)
    sheet.append([credit_code(1), "青岛芯云科技有限公司", date(2023, 4, 1), "C", "蓝色硅谷园", "王晓", "0532-8888",
                  "高新技术企业（2023-2025）；专精特新（2024起）"])  # fmt: skip
    sheet.append([credit_code(2), "青岛海德材料有限公司", "2022-09-01", "制造业", "", "", "", ""])
    data = io.BytesIO()
    book.save(data)

    found = table.read(data.getvalue(), "企业库.xlsx")
    rows, problems = read_registry(found, PARKS)

    assert found.header_row == 2
    assert problems == []
    assert [(r.row, r.credit_code, r.name, r.founded, r.industry, r.park_id) for r in rows] == [
        (3, credit_code(1), "青岛芯云科技有限公司", date(2023, 4, 1), "C", 12),
        (4, credit_code(2), "青岛海德材料有限公司", date(2022, 9, 1), "C", None),
    ]
    assert rows[0].labels == [
        (LabelKind.HIGH_TECH.value, 2023, 2025),
        (LabelKind.SPECIALISED.value, 2024, None),
    ]
    assert (rows[0].contact_name, rows[0].contact_phone) == ("王晓", "0532-8888")


def test_xlsx_phone_typed_as_a_number_is_kept_as_digits() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append([credit_code(1), "青岛芯云科技有限公司", date(2023, 4, 1), "C", "", "王晓", 13800000001, ""])
    data = io.BytesIO()
    book.save(data)
    rows, problems = read_registry(table.read(data.getvalue(), "企业库.xlsx"), PARKS)
    assert problems == []
    assert rows[0].contact_phone == "13800000001"


@pytest.mark.parametrize(
    ("written", "letter"),
    [
        ("C", "C"),
        ("c", "C"),
        ("制造业", "C"),
        ("C制造业", "C"),
        ("信息传输、软件和信息技术服务业", "I"),
        ("", ""),
    ],
)
def test_industry_by_letter_or_name(written: str, letter: str) -> None:
    rows, problems = read_csv([good(1, 所属行业=written)])
    assert problems == []
    assert rows[0].industry == letter


def test_industry_letter_space_name() -> None:
    rows, problems = read_csv([good(1, 所属行业="C 制造业")])
    assert problems == []
    assert rows[0].industry == Industry.C


def test_bad_credit_code_is_an_error_at_its_row_and_column() -> None:
    wrong = credit_code(2)[:-1] + ("0" if credit_code(2)[-1] != "0" else "1")
    _rows, problems = read_csv([good(1), good(2, 统一社会信用代码=wrong)])
    problem = only_error(problems)
    assert (problem.row, problem.column) == (3, "统一社会信用代码")
    assert "A列" in problem.message and "校验位" in problem.message


def test_short_credit_code() -> None:
    _rows, problems = read_csv([good(1, 统一社会信用代码="9137020012345")])
    problem = only_error(problems)
    assert (problem.row, problem.column) == (2, "统一社会信用代码")
    assert "18位" in problem.message


def test_duplicate_code_names_the_first_row() -> None:
    _rows, problems = read_csv([good(1), good(2), good(1, 企业名称="重复企业")])
    problem = only_error(problems)
    assert (problem.row, problem.column) == (4, "统一社会信用代码")
    assert "与第2行重复" in problem.message


def test_unreadable_date() -> None:
    _rows, problems = read_csv([good(1), good(2, 成立日期="去年三月")])
    problem = only_error(problems)
    assert (problem.row, problem.column) == (3, "成立日期")
    assert "C列" in problem.message and "去年三月" in problem.message


def test_impossible_date() -> None:
    _rows, problems = read_csv([good(1, 成立日期="2023-02-30")])
    assert (only_error(problems).row, problems[0].column) == (2, "成立日期")


def test_unknown_industry() -> None:
    _rows, problems = read_csv([good(1, 所属行业="高科技")])
    problem = only_error(problems)
    assert (problem.row, problem.column) == (2, "所属行业")
    assert "高科技" in problem.message


def test_unknown_park_lists_the_known_ones() -> None:
    _rows, problems = read_csv([good(1), good(2, 所在园区="西海岸园")])
    problem = only_error(problems)
    assert (problem.row, problem.column) == (3, "所在园区")
    assert "西海岸园" in problem.message
    assert "高新区主园" in problem.message and "蓝色硅谷园" in problem.message


def test_park_named_when_the_zone_has_none() -> None:
    rows = csv_bytes([good(1)])
    _rows, problems = read_registry(table.read(rows, "企业库.csv"), {})
    assert "尚未设置园区" in only_error(problems).message


def test_label_without_a_year() -> None:
    _rows, problems = read_csv([good(1, 资质="高新技术企业（2023-2025）；专精特新")])
    problem = only_error(problems)
    assert (problem.row, problem.column) == (2, "资质")
    assert "专精特新" in problem.message and "缺少年度" in problem.message


def test_unknown_label() -> None:
    _rows, problems = read_csv([good(1, 资质="隐形冠军（2024）")])
    problem = only_error(problems)
    assert (problem.row, problem.column) == (2, "资质")
    assert "隐形冠军" in problem.message and "高新技术企业" in problem.message  # the kinds it knows


def test_label_ending_before_it_starts() -> None:
    _rows, problems = read_csv([good(1, 资质="高新技术企业（2025-2023）")])
    assert only_error(problems).column == "资质"


def test_missing_name_column_is_an_error_at_the_header_row() -> None:
    header = [label for label in HEADER if label != "企业名称"]
    rows, problems = read_csv([[credit_code(1), "2020-03-15", "C", "", "", "", ""]], header=header, above=1)
    assert rows == []
    problem = only_error(problems)
    assert (problem.row, problem.column) == (2, "企业名称")


def test_errors_in_several_rows_are_all_reported() -> None:
    _rows, problems = read_csv([good(1, 所属行业="Z"), good(2), good(3, 成立日期="", 所在园区="无名园")])
    assert [(p.row, p.column) for p in problems] == [(2, "所属行业"), (4, "成立日期"), (4, "所在园区")]
    assert all(p.severity == "error" for p in problems)


KIND_NAMES = [str(k.label) for k in LabelKind]


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(KIND_NAMES), min_size=1, max_size=3, unique=True),
    first=st.integers(1990, 2040),
    span=st.one_of(st.none(), st.integers(0, 10)),
    separator=st.sampled_from(["；", ";", "、", "，", "\n"]),
    dash=st.sampled_from(["-", "–", "~", "至", "到"]),
)
def test_labels_read_back(kinds: list[str], first: int, span: int | None, separator: str, dash: str) -> None:
    years = f"（{first}起）" if span is None else f"（{first}{dash}{first + span}）"
    rows, problems = read_csv([good(1, 资质=separator.join(k + years for k in kinds))])
    assert problems == []
    by_label = {str(k.label): k.value for k in LabelKind}
    last = None if span is None else first + span
    assert rows[0].labels == [(by_label[k], first, last) for k in kinds]


def test_chinese_names_are_read_whatever_the_readers_language() -> None:
    from django.utils import translation

    from luoshi.innovation.collection import _industry, _labels

    with translation.override("en"):
        assert _industry("制造业") == "C" and _labels("专精特新（2024起）") == [("specialised", 2024, None)]
