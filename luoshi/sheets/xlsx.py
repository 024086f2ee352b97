"""An .xlsx workbook's structure as importers need it: its worksheets (name, part, visibility), each one's
merged ranges and whether it holds formulas, read in one streaming pass over the sheet's XML (read-only
openpyxl worksheets do not expose merged ranges); and a sheet's rows turned into a Grid that stops where the
table does."""

import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from openpyxl.utils import range_boundaries

from luoshi.sheets.grid import Grid, column_letter
from luoshi.sheets.guard import capped

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CHUNK = 1 << 20
_OVERLAP = 256  # longer than any mergeCell or <f> tag split across two chunks
BLANK_ROWS_AFTER_TABLE = 1000  # this many blank rows in a row: the rest is formatting, not content
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class SheetInfo:
    name: str
    path: str  # the worksheet part inside the zip
    visible: bool
    merges: list[tuple[int, int, int, int]]
    has_formulas: bool


def sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """(name, part path, visible) for each worksheet, from the workbook and its relationships."""
    targets = {}
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_NS_PKG}Relationship"):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = (
            target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        )
    names = set(archive.namelist())
    parts = []
    for sheet in etree.fromstring(archive.read("xl/workbook.xml")).iter(f"{_NS_MAIN}sheet"):
        path = posixpath.normpath(targets.get(sheet.get(f"{_NS_REL}id"), ""))
        if path in names:
            parts.append((sheet.get("name", ""), path, sheet.get("state", "visible") == "visible"))
    return parts


def scan_sheet(archive: zipfile.ZipFile, name: str, path: str, visible: bool) -> SheetInfo:
    """Merged ranges and whether there are formulas, in one streaming pass over the sheet's XML."""
    refs: set[bytes] = set()
    has_formulas = False
    with archive.open(path) as part:
        tail = b""
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            refs.update(_MERGE.findall(window))
            has_formulas = has_formulas or bool(_FORMULA.search(window))
            tail = window[-_OVERLAP:]
    merges = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        merges.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    return SheetInfo(name, path, visible, sorted(merges), has_formulas)


def scan_sheets(archive: zipfile.ZipFile) -> list[SheetInfo]:
    return [scan_sheet(archive, *sheet) for sheet in sheet_parts(archive)]


def sheet_grid(rows: Iterable[tuple[object, ...]], sheet: SheetInfo) -> Grid:
    """The rows as read (within the caps of `guard.capped`) up to the table's end: a long run of blank rows
    is formatting, not content, and trailing blank rows are dropped."""
    kept: list[tuple[object, ...]] = []
    blank_run = 0
    for row in capped(rows):
        blank_run = 0 if any(v is not None for v in row) else blank_run + 1
        if blank_run > BLANK_ROWS_AFTER_TABLE:
            break
        kept.append(row)
    while kept and not any(v is not None for v in kept[-1]):
        kept.pop()
    return Grid(rows=kept, merges=sheet.merges, column_name=column_letter)
