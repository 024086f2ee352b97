"""Writing cells so that what people typed stays data. A title such as `=HYPERLINK("http://…"&D6,"x")` would
otherwise be stored as a live formula: openpyxl turns every string starting with "=" into one. Text is
written as a string cell, which Excel and WPS never evaluate, so it reads back exactly as typed; text that a
spreadsheet would take for a formula when retyped (OWASP's leading = + - @ tab CR) also gets Excel's
quote prefix, so editing the cell keeps it text."""

from collections.abc import Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def safe_value(value: object) -> object:
    """A value ready for a cell: text without the control characters a workbook cannot hold (openpyxl
    refuses them); anything else unchanged."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def set_value(cell: Cell | MergedCell, value: object) -> None:
    """`cell.value = value`, but text is always a string cell, never a formula or an error code."""
    value = safe_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.lstrip(" ").startswith(FORMULA_LEADS):
            cell.quotePrefix = True


def write_cell(ws: Worksheet, row: int, column: int, value: object = None) -> Cell:
    """`ws.cell(row, column, value)` for values that come from people."""
    cell = ws.cell(row=row, column=column)
    set_value(cell, value)
    return cell


def append_row(ws: Worksheet, values: Iterable[object]) -> None:
    """`ws.append(values)` for values that come from people."""
    cells = []
    for value in values:
        cell = Cell(ws)
        set_value(cell, value)
        cells.append(cell)
    ws.append(cells)
