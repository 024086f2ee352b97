"""One worksheet's cell values, streamed straight from the .xlsx with lxml.

The ledger import (luoshi.projects.ledger) must read 5,000 rows in well under its 5-second budget; openpyxl spends most of that building
an object per string and per cell. This reader returns what openpyxl's read-only, data-only mode returns for
the cells a ledger holds — text, numbers, booleans, error strings, cached formula results, and date-formatted
numbers as datetimes — using openpyxl's own date-format and calendar rules."""

import zipfile
from collections.abc import Iterator
from datetime import datetime

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}is", f"{_NS}t"
_PHONETIC = f"{_NS}rPh"  # furigana runs: not part of the text


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _text(element: etree._Element) -> str:
    """The text of an <si> or <is>: plain <t>, or rich-text runs <r><t>, without phonetic runs."""
    parts = []
    for t in element.iter(_TEXT):
        parent = t.getparent()
        if parent is not None and parent.tag != _PHONETIC:
            parts.append(t.text or "")
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    with archive.open("xl/sharedStrings.xml") as stream:  # streamed: a tree of it would be ten times its size
        for _event, si in etree.iterparse(stream, tag=f"{_NS}si", huge_tree=True):
            strings.append(_text(si))
            si.clear()
            while si.getprevious() is not None:
                del si.getparent()[0]
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats (the c/@s attribute) that show a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = etree.fromstring(archive.read("xl/styles.xml"))
    formats = dict(BUILTIN_FORMATS)
    for fmt in root.iter(f"{_NS}numFmt"):
        formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
    xfs = root.find(f"{_NS}cellXfs")
    if xfs is None:
        return set()
    found = set()
    for index, xf in enumerate(xfs.iterchildren(f"{_NS}xf")):
        code = formats.get(int(xf.get("numFmtId", "0")))
        if code and is_date_format(code):
            found.add(index)
    return found


def _epoch(archive: zipfile.ZipFile) -> datetime:
    root = etree.fromstring(archive.read("xl/workbook.xml"))
    pr = root.find(f"{_NS}workbookPr")
    is_1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
    return CALENDAR_MAC_1904 if is_1904 else CALENDAR_WINDOWS_1900


class Workbook:
    """The parts every sheet shares — strings, date formats, calendar — read once."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.strings = _shared_strings(archive)
        self.dates = _date_styles(archive)
        self.epoch = _epoch(archive)
        self._columns: dict[str, int] = {}  # column letters → 0-based index, computed once each

    def rows(
        self, part: str, max_row: int | None = None, max_col: int | None = None
    ) -> Iterator[tuple[object, ...]]:
        """Rows from the first, each a tuple as wide as its last value (at most `max_col`); gaps are ()."""
        expected = 1
        with self.archive.open(part) as stream:
            for _event, row in etree.iterparse(stream, tag=_ROW, huge_tree=True):
                number = int(row.get("r") or expected)
                if max_row is not None and number > max_row:
                    break
                while expected < number:
                    yield ()
                    expected += 1
                yield self._cells(row, max_col)
                expected = number + 1
                row.clear()  # keep memory flat: drop the rows already read
                while row.getprevious() is not None:
                    del row.getparent()[0]

    def _cells(self, row: etree._Element, max_col: int | None) -> tuple[object, ...]:
        cells: dict[int, object] = {}
        position = 0
        for cell in row:
            if cell.tag != _CELL:
                continue
            attrib = cell.attrib
            ref = attrib.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = self._columns.get(letters)
                if column is None:
                    column = self._columns[letters] = _column_index(letters)
                position = column
            if max_col is None or position < max_col:
                value = self._value(cell, attrib.get("t", "n"), attrib.get("s"))
                if value is not None:
                    cells[position] = value
            position += 1
        return tuple(cells.get(c) for c in range(max(cells) + 1)) if cells else ()

    def _value(self, cell: etree._Element, kind: str, style: str | None) -> object:
        text = None
        for child in cell:
            if child.tag == _VALUE:
                text = child.text
            elif child.tag == _INLINE:
                return _text(child)
        if text is None:
            return None
        if kind == "s":
            return self.strings[int(text)]
        if kind in ("str", "e", "inlineStr"):
            return text
        if kind == "b":
            return text == "1"
        if kind == "d":
            return datetime.fromisoformat(text)
        number: float | int = float(text) if any(ch in text for ch in ".eE") else int(text)
        if style is not None and int(style) in self.dates:
            return from_excel(number, self.epoch)
        return number
