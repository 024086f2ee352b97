"""A department's sheet of figures for a year, read against the data catalogue: headings matched to fields,
money converted to the field's unit, yes/no items, and every problem at its row and column. `read_figures` only
reads; nothing here touches the database."""

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from luoshi.innovation import table
from luoshi.innovation.collection import DataField, FigureRow, read_figures
from luoshi.innovation.tests.conftest import credit_code
from luoshi.sheets.problems import Problem

RD, STAFF, REVENUE, PATENTS, DISHONEST = 1, 2, 3, 4, 5
FIELDS = [
    DataField(RD, "研发费用", "万元", False),
    DataField(STAFF, "研发人员占比", "比例", False),
    DataField(REVENUE, "营业收入", "万元", False),
    DataField(PATENTS, "发明专利", "件", False),
    DataField(DISHONEST, "严重失信", "", True),
]
ENTERPRISES = {credit_code(n): 100 + n for n in range(4)}


def csv_bytes(header: list[str], rows: list[list[object]], above: int = 0) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for n in range(above):
        writer.writerow([f"2025年度税务数据（第{n + 1}行标题）"])
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def read_csv(
    header: list[str], rows: list[list[object]], above: int = 0
) -> tuple[list[FigureRow], list[Problem], list[str]]:
    return read_figures(table.read(csv_bytes(header, rows, above), "税务.csv"), FIELDS, ENTERPRISES)


def test_headings_matched_to_catalogue_fields() -> None:
    rows, problems, found = read_csv(
        ["统一社会信用代码", "企业名称", "研发费用", "备注", "发明专利", "研发人员 占比"],
        [
            [credit_code(0), "甲", "120.5", "", "3", "12%"],
            [credit_code(1), "乙", "1,234.5", "核对过", "", "0.3"],
        ],
        above=1,
    )
    assert problems == []
    assert found == ["研发费用", "发明专利", "研发人员占比"]
    assert [(r.row, r.enterprise_id) for r in rows] == [(3, 100), (4, 101)]
    assert rows[0].values == {RD: Decimal("120.5"), PATENTS: Decimal(3), STAFF: Decimal("0.12")}
    assert rows[1].values == {RD: Decimal("1234.5"), STAFF: Decimal("0.3")}  # a blank cell: no figure


def test_money_in_yuan_is_converted_to_wan_yuan() -> None:
    rows, problems, found = read_csv(
        ["统一社会信用代码", "研发费用（元）", "营业收入（亿元）"],
        [[credit_code(0), "1234567.8", "2.5"], [credit_code(1), "500", "0.00001"]],
    )
    assert problems == []
    assert found == ["研发费用", "营业收入"]
    assert rows[0].values == {RD: Decimal("123.4568"), REVENUE: Decimal(25000)}
    assert rows[1].values == {RD: Decimal("0.05"), REVENUE: Decimal("0.1")}


def test_money_heading_in_wan_yuan_or_without_unit_is_kept() -> None:
    rows, problems, _found = read_csv(
        ["统一社会信用代码", "研发费用(万元)", "营业收入"], [[credit_code(0), "88.5", "900"]]
    )
    assert problems == []
    assert rows[0].values == {RD: Decimal("88.5"), REVENUE: Decimal(900)}


def test_unit_in_a_heading_of_a_field_that_is_not_money_changes_nothing() -> None:
    rows, problems, _found = read_csv(["统一社会信用代码", "发明专利（元）"], [[credit_code(0), "3"]])
    assert problems == []
    assert rows[0].values == {PATENTS: Decimal(3)}


def test_money_heading_written_with_danwei() -> None:
    rows, problems, _found = read_csv(
        ["统一社会信用代码", "研发费用（单位：元）"], [[credit_code(0), "1200000"]]
    )
    assert problems == []
    assert rows[0].values == {RD: Decimal(120)}


@pytest.mark.parametrize(
    ("written", "flag"),
    [("是", 1), ("否", 0), ("1", 1), ("0", 0), ("有", 1), ("无", 0), ("Yes", 1), ("N", 0)],
)
def test_yes_no_field(written: str, flag: int) -> None:
    rows, problems, _found = read_csv(["统一社会信用代码", "严重失信"], [[credit_code(0), written]])
    assert problems == []
    assert rows[0].values == {DISHONEST: Decimal(flag)}


def test_yes_no_field_from_xlsx_numbers_and_booleans() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["统一社会信用代码", "严重失信", "研发费用（元）"])
    sheet.append([credit_code(0), 1, 50000])
    sheet.append([credit_code(1), 0, 12345.6])
    sheet.append([credit_code(2), True, None])
    data = io.BytesIO()
    book.save(data)
    rows, problems, _found = read_figures(table.read(data.getvalue(), "金融.xlsx"), FIELDS, ENTERPRISES)
    assert problems == []
    assert [r.values for r in rows] == [
        {DISHONEST: Decimal(1), RD: Decimal(5)},
        {DISHONEST: Decimal(0), RD: Decimal("1.2346")},
        {DISHONEST: Decimal(1)},
    ]


def test_unreadable_yes_no_is_an_error() -> None:
    _rows, problems, _found = read_csv(["统一社会信用代码", "严重失信"], [[credit_code(0), "不清楚"]])
    assert len(problems) == 1
    assert (problems[0].severity, problems[0].row, problems[0].column) == ("error", 2, "严重失信")
    assert "不清楚" in problems[0].message


def test_text_in_a_number_cell_is_an_error_at_its_row_and_column() -> None:
    rows, problems, _found = read_csv(
        ["统一社会信用代码", "企业名称", "研发费用（元）", "发明专利"],
        [[credit_code(0), "甲", "100", "2"], [credit_code(1), "乙", "约五十万", "1"]],
        above=2,
    )
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.severity, problem.row, problem.column) == ("error", 5, "研发费用（元）")
    assert "C列" in problem.message and "约五十万" in problem.message
    assert rows[1].values == {PATENTS: Decimal(1)}  # the bad cell is left out, the rest of the row read


@pytest.mark.parametrize("dash", ["-", "—", "——", "/", "－"])
def test_a_dash_is_not_reported(dash: str) -> None:
    rows, problems, _found = read_csv(
        ["统一社会信用代码", "研发费用", "发明专利"], [[credit_code(0), dash, "4"]]
    )
    assert problems == []
    assert rows[0].values == {PATENTS: Decimal(4)}


def test_enterprise_not_in_registry_is_a_warning_and_left_out() -> None:
    stranger = credit_code(99)
    rows, problems, _found = read_csv(
        ["统一社会信用代码", "研发费用"],
        [[credit_code(0), "10"], [stranger, "20"], [credit_code(2), "30"]],
    )
    assert [r.enterprise_id for r in rows] == [100, 102]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.severity, problem.row, problem.column) == ("warning", 3, "统一社会信用代码")
    assert stranger in problem.message


def test_bad_code_is_an_error() -> None:
    _rows, problems, _found = read_csv(["统一社会信用代码", "研发费用"], [["91370200XYZ", "10"]])
    assert [(p.severity, p.row) for p in problems if p.severity == "error"] == [("error", 2)]


def test_row_without_a_code_is_an_error_and_left_out() -> None:
    rows, problems, _found = read_csv(
        ["统一社会信用代码", "企业名称", "研发费用"], [[credit_code(0), "甲", "10"], ["", "乙", "20"]]
    )
    assert [(p.severity, p.row, p.column) for p in problems] == [("error", 3, "统一社会信用代码")]
    assert [r.enterprise_id for r in rows] == [100]


def test_duplicate_code_is_an_error() -> None:
    _rows, problems, _found = read_csv(
        ["统一社会信用代码", "研发费用"], [[credit_code(0), "10"], [credit_code(0), "11"]]
    )
    assert [(p.severity, p.row, p.column) for p in problems] == [("error", 3, "统一社会信用代码")]


def test_sheet_with_no_known_heading_is_one_error() -> None:
    rows, problems, found = read_csv(
        ["统一社会信用代码", "企业名称", "纳税额", "备注"], [[credit_code(0), "甲", "10", ""]], above=1
    )
    assert (rows, found) == ([], [])
    assert len(problems) == 1
    assert (problems[0].severity, problems[0].row) == ("error", 2)
    assert "研发费用" in problems[0].message  # it names the catalogue's headings


def test_two_headings_for_one_field_are_not_silently_merged() -> None:
    rows, problems, _found = read_csv(
        ["统一社会信用代码", "营业收入（本年）", "营业收入（上年）"], [[credit_code(0), "900", "600"]]
    )
    assert [p.column for p in problems] == ["营业收入（上年）"] and "请删去或改名" in problems[0].message


@settings(max_examples=60, deadline=None)
@given(
    yuan=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from([("元", Decimal("0.0001")), ("万元", Decimal(1)), ("亿元", Decimal(10000))]),
)
def test_money_conversion_matches_the_unit(yuan: Decimal, unit: tuple[str, Decimal]) -> None:
    name, factor = unit
    rows, problems, _found = read_csv(
        ["统一社会信用代码", f"研发费用（{name}）"], [[credit_code(0), str(yuan)]]
    )
    assert problems == []
    assert rows[0].values == {RD: (yuan * factor).quantize(Decimal("0.0001"))}  # no float rounding
