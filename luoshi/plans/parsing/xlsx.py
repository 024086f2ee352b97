"""Excel task-decomposition lists (任务分解表, .xlsx) → ParsedPlan.

Values are streamed with openpyxl's read-only mode, so memory stays proportional to the cells read, not to
a sheet's nominal size (a stray format at XFD1048576 costs nothing); sheets, merged ranges and whether a sheet
holds formulas come from luoshi.sheets.xlsx."""

import zipfile
from io import BytesIO

import openpyxl
from django.utils.translation import gettext as _

from luoshi.sheets.grid import Grid
from luoshi.sheets.header import HEADER_SEARCH_ROWS
from luoshi.sheets.problems import Problem, error
from luoshi.sheets.xlsx import SheetInfo, scan_sheets, sheet_grid

from ._model import ParsedPlan, failed
from ._table import find_grid_header, parse_grid
from ._tree import dedupe


def parse_xlsx(data: bytes, year: int) -> ParsedPlan:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        sheets = scan_sheets(archive)
        workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile, lxml and openpyxl raise many kinds of error on damaged files
        return failed(_("Excel 文件已损坏，无法打开，请在 Excel 中另存为 .xlsx 后重新导入"))
    try:
        return _parse_workbook(workbook, sheets, data, year)
    finally:
        workbook.close()


def _parse_workbook(
    workbook: openpyxl.Workbook, sheets: list[SheetInfo], data: bytes, year: int
) -> ParsedPlan:
    best: tuple[int, SheetInfo, int] | None = None  # (header score, sheet, width to read)
    first_with_content: SheetInfo | None = None
    for sheet in sorted((s for s in sheets if s.name in workbook.sheetnames), key=lambda s: not s.visible):
        top = _grid(workbook, sheet, max_row=HEADER_SEARCH_ROWS + 1)
        if not any(any(v is not None for v in row) for row in top.rows):
            continue
        first_with_content = first_with_content or sheet
        header = find_grid_header(top)
        if header is not None and (best is None or header.score > best[0]):
            best = (header.score, sheet, max(header.used_columns) + 1)
    if best is None:
        if first_with_content is None:
            return failed(_("工作表是空的，没有可导入的内容"))
        return failed(_no_header(), first_with_content.name)
    _score, sheet, width = best
    grid = _grid(workbook, sheet, max_col=width)
    if sheet.has_formulas:
        grid.formulas_without_value = lambda cells: _formulas_among(data, sheet.name, cells)
    problems: list[Problem] = []
    result = parse_grid(grid, year, problems)
    if result is None:  # the header found above, unless the sheet changed its mind: be safe all the same
        return failed(_no_header(), sheet.name)
    if not result.nodes and not any(p.severity == "error" for p in problems):
        problems.append(error(_("表头下面没有任务，请检查工作表内容")))
    problems = dedupe(sorted(problems, key=lambda p: p.row or 0))
    return ParsedPlan(result.title, result.level_names, result.nodes, problems, sheet.name)


def _no_header() -> str:
    return _("没有找到表头，请确认表中有“重点任务”或“具体措施”、“牵头单位”、“完成时限”等列")


def _grid(
    workbook: openpyxl.Workbook, sheet: SheetInfo, max_row: int | None = None, max_col: int | None = None
) -> Grid:
    rows = workbook[sheet.name].iter_rows(max_row=max_row, max_col=max_col, values_only=True)
    return sheet_grid(rows, sheet)


def _formulas_among(data: bytes, sheet: str, cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of the blank cells (0-based), those holding a formula: a second streaming read, of formulas this time."""
    workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=False)
    try:
        first, last = min(r for r, _c in cells), max(r for r, _c in cells)
        width = max(c for _r, c in cells) + 1
        found = set()
        rows = workbook[sheet].iter_rows(min_row=first + 1, max_row=last + 1, max_col=width)
        for r, row in enumerate(rows, start=first):
            for c, cell in enumerate(row):
                if cell.data_type == "f" and (r, c) in cells:
                    found.add((r, c))
        return found
    finally:
        workbook.close()
