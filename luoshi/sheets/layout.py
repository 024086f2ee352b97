"""The printed-table layout every export shares, as offices lay out the tables they print and file: a merged
bold title with an optional line under it (the money unit, a date), one- or two-row headings, thin borders,
headings frozen on screen and repeated on every printed page, the table fitted to the paper's width. Text goes
through `cells`, so nothing written here can become a formula."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.sheets.cells import append_row, write_cell

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
RIGHT = Alignment(vertical="center", horizontal="right")
HEAD_FONT = Font(name="黑体", size=11, bold=True)
SHEET_TITLE_MAX = 31  # Excel refuses longer sheet names


@dataclass(frozen=True)
class Group:
    """Columns under one heading: the heading merged across them in the top row, their names below it."""

    title: str
    columns: Sequence[str]


def new_sheet(title: str) -> tuple[Workbook, Worksheet]:
    """A workbook and its one sheet, named `title` (cut to the length Excel accepts)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:SHEET_TITLE_MAX]
    return book, sheet


def workbook_bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def title_row(
    ws: Worksheet,
    row: int,
    text: str,
    width: int,
    font: Font,
    height: float | None = None,
    alignment: Alignment | None = CENTER,
) -> Cell:
    """The table's title in column A, merged across `width` columns."""
    cell = write_cell(ws, row, 1, text)
    cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if width > 1:
        ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=width)
    if height is not None:
        ws.row_dimensions[row].height = height
    return cell


def subtitle_row(ws: Worksheet, row: int, text: str, width: int, alignment: Alignment = RIGHT) -> Cell:
    """The line between title and headings (金额单位：万元, a date), merged across the table, on the right."""
    cell = write_cell(ws, row, 1, text)
    cell.alignment = alignment
    ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=width)
    return cell


def style_range(
    ws: Worksheet,
    rows: tuple[int, int],
    last_column: int,
    font: Font | None = None,
    alignment: Alignment | None = None,
    border: Border | None = BORDER,
) -> None:
    """The given styles on every cell of `rows` (first, last) from column A to `last_column`, merged ones too:
    a merged range shows the border of each cell it covers."""
    for line in ws.iter_rows(min_row=rows[0], max_row=rows[1], max_col=last_column):
        for cell in line:
            if font is not None:
                cell.font = font
            if alignment is not None:
                cell.alignment = alignment
            if border is not None:
                cell.border = border


def header_row(
    ws: Worksheet,
    headers: Sequence[str],
    row: int | None = None,
    font: Font = HEAD_FONT,
    alignment: Alignment | None = CENTER,
    border: Border | None = BORDER,
) -> int:
    """One row of headings, at `row` or appended after the last row; returns the row it is on."""
    if row is None:
        append_row(ws, headers)
        row = ws.max_row
    else:
        for column, text in enumerate(headers, start=1):
            write_cell(ws, row, column, text)
    style_range(ws, (row, row), len(headers), font, alignment, border)
    return row


def two_row_header(
    ws: Worksheet,
    top: int,
    headings: Sequence[str | Group],
    font: Font = HEAD_FONT,
    alignment: Alignment = CENTER,
) -> int:
    """Headings over rows `top` and `top + 1`: a plain heading merged down over both, a group's heading merged
    across its columns with their names under it. Returns the number of columns."""
    column = 1
    for heading in headings:
        if isinstance(heading, Group):
            write_cell(ws, top, column, heading.title)
            last = column + len(heading.columns) - 1
            ws.merge_cells(start_row=top, end_row=top, start_column=column, end_column=last)
            for offset, text in enumerate(heading.columns):
                write_cell(ws, top + 1, column + offset, text)
            column = last + 1
        else:
            write_cell(ws, top, column, heading)
            ws.merge_cells(start_row=top, end_row=top + 1, start_column=column, end_column=column)
            column += 1
    style_range(ws, (top, top + 1), column - 1, font, alignment)
    return column - 1


def column_widths(ws: Worksheet, widths: Iterable[float], first: int = 1) -> None:
    """Widths in Excel's units (about one Latin character; a Chinese character takes two)."""
    for column, width in enumerate(widths, start=first):
        ws.column_dimensions[get_column_letter(column)].width = width


def freeze_below(ws: Worksheet, header_last_row: int, columns: int = 0) -> None:
    """Headings (and the first `columns` columns) stay on screen while the rest scrolls. Set by name: the cell
    under the headings may be inside a merged range and not a Cell."""
    ws.freeze_panes = f"{get_column_letter(columns + 1)}{header_last_row + 1}"


def print_setup(
    ws: Worksheet,
    header_rows: tuple[int, int],
    landscape: bool = True,
    a4: bool = True,
    centered: bool = False,
) -> None:
    """The headings repeated at the top of every printed page, the table fitted to the paper's width and as
    many pages long as it takes."""
    ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if a4:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if centered:
        ws.print_options.horizontalCentered = True
