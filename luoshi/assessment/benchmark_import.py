"""A benchmark table (对标数据) from a spreadsheet or CSV: one row per zone, the zone's name in the first column
(名称), one column per indicator of the scheme (headed by its code or its name), and our row marked in a column
本区 (✓) or named on the form. A header row somewhere in the first rows (titles above it are skipped). Reading and
checking only; actions.import_benchmark writes. Between the preview and the confirmation the checked table
travels signed in the form, so nothing is stored until the office confirms."""

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import openpyxl
from django.core import signing
from django.utils.translation import gettext as _

from luoshi.assessment.forms import MAX_UPLOAD_BYTES
from luoshi.assessment.importing import first_sheet_rows
from luoshi.composite.frame import MISSING
from luoshi.lib.files import decode_text
from luoshi.org.queries import Access
from luoshi.sheets.guard import UploadRefused, capped, check_upload
from luoshi.sheets.problems import Problem, error

NAME = ("名称", "高新区", "高新区名称", "园区", "园区名称", "单位名称")
OWN = ("本区", "本园区", "我区")
MARKS = ("✓", "√", "✔", "☑", "是", "Y", "y", "1")
IGNORED = ("序号", "排名", "省份", "所在省份", "备注")  # kept by offices, not needed: the ranking is computed
TOTALS = ("合计", "总计", "平均", "平均值", "全国平均", "中位数")  # summary rows, not zones
SCAN_ROWS = 10
SEAL = "assessment.benchmark"
SEAL_MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class BenchmarkTable:
    rows: dict[str, dict[str, float | None]]  # zone name → indicator code → value (None when missing)
    own: str


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _heading(cell: object) -> str:
    """A heading without spaces and without a unit in brackets: 研发经费占比（%） → 研发经费占比."""
    return _text(cell).replace(" ", "").replace("\u3000", "").replace("（", "(").split("(")[0]


def _number(cell: object) -> float | None:
    """None when empty or marked missing; ValueError when not a finite number."""
    if isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = _text(cell).replace(",", "").replace("，", "")
        if text in MISSING:
            return None
        value = float(text)
    if not math.isfinite(value):
        raise ValueError(cell)
    return value


def _cells(data: bytes) -> list[tuple[object, ...]] | None:
    """The first worksheet of a workbook, or the rows of a CSV (UTF-8 or GB18030, comma or tab separated)."""
    kind = check_upload(data, max_bytes=MAX_UPLOAD_BYTES)
    if kind == "xlsx":
        try:
            workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds on a damaged file
            return None
        try:
            return first_sheet_rows(workbook)
        finally:
            workbook.close()
    text = decode_text(data) if kind == "text" else None
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    dialect = csv.excel_tab if "\t" in first and "," not in first else csv.excel
    return [tuple(row) for row in capped(csv.reader(io.StringIO(text), dialect))]


def read_benchmark(
    data: bytes, indicators: Mapping[str, str], own_name: str = ""
) -> tuple[BenchmarkTable | None, list[Problem]]:
    """Check every row and column against the scheme's indicators (code → name, in the scheme's order)."""
    try:
        rows = _cells(data)
    except UploadRefused as refused:
        return None, [error(refused.message, 1, "")]
    if rows is None:
        return None, [error(_("文件无法作为 Excel 工作簿（.xlsx）或 CSV 文件读取"), 1, "")]
    header = next((r for r, row in enumerate(rows[:SCAN_ROWS]) if set(map(_heading, row)) & set(NAME)), None)
    if header is None:
        return None, [
            error(_("前%(n)d行中找不到表头：第一列应为“名称”（高新区名称）") % {"n": SCAN_ROWS}, 1, "")
        ]
    problems: list[Problem] = []
    headings = [_text(c) for c in rows[header]]
    name_col, own_col, columns = _columns(rows, header, indicators, problems)
    own_heading = headings[own_col] if own_col is not None else ""
    table: dict[str, dict[str, float | None]] = {}
    seen: dict[str, int] = {}
    marked: list[int] = []
    for r in range(header + 1, len(rows)):
        row, n = rows[r], r + 1

        def cell(col: int | None, row: tuple[object, ...] = row) -> object:
            return row[col] if col is not None and col < len(row) else None

        if all(_text(c) == "" for c in row):
            continue
        name = _text(cell(name_col))
        if name in TOTALS:
            continue
        if not name:
            problems.append(error(_("缺少名称"), n, headings[name_col]))
            continue
        if name in seen:
            problems.append(
                error(_("与第%(other)d行重复（同一名称）") % {"other": seen[name]}, n, headings[name_col])
            )
            continue
        seen[name] = n
        mark = _text(cell(own_col))
        if mark in MARKS:
            marked.append(n)
        elif mark:
            problems.append(error(_("“本区”列只能标“✓”或留空"), n, own_heading))
        figures: dict[str, float | None] = {}
        for col, code in columns.items():
            try:
                figures[code] = _number(cell(col))
            except ValueError:
                problems.append(error(_("“%(text)s”不是数字") % {"text": _text(cell(col))}, n, headings[col]))
        table[name] = figures
    if len(table) < 2:
        problems.append(error(_("表头下至少需要两行：本区和一个对标园区"), header + 1, ""))
        return None, problems
    own = _own(table, seen, marked, own_name.strip(), header, problems)
    if own is not None:
        for col, code in columns.items():
            if code in table[own] and table[own][code] is None:
                problems.append(error(_("本区的这一指标没有数值"), seen[own], headings[col]))
    if problems or own is None:
        return None, problems
    return BenchmarkTable(table, own), []


def _columns(
    rows: list[tuple[object, ...]], header: int, indicators: Mapping[str, str], problems: list[Problem]
) -> tuple[int, int | None, dict[int, str]]:
    """Which column holds the name, the 本区 mark and each indicator (by code or name); problems appended."""
    known = {code: code for code in indicators} | {_heading(name): code for code, name in indicators.items()}
    headings = [_text(c) for c in rows[header]]
    name_col = own_col = None
    columns: dict[int, str] = {}
    for col, cell in enumerate(rows[header]):
        heading = _heading(cell)
        if heading in NAME and name_col is None:
            name_col = col
        elif heading in OWN and own_col is None:
            own_col = col
        elif heading in known:
            code = known[heading]
            other = next((c for c, k in columns.items() if k == code), None)
            if other is None:
                columns[col] = code
            else:
                problems.append(
                    error(_("与“%(other)s”列是同一指标") % {"other": headings[other]}, header + 1, headings[col])
                )  # fmt: skip
        elif heading in IGNORED:
            continue
        elif heading:
            problems.append(
                error(_("不是方案中的指标：表头应为指标代码或指标名称"), header + 1, headings[col])
            )
        elif any(col < len(row) and _text(row[col]) for row in rows[header + 1 :]):
            problems.append(error(_("第%(n)d列有数据但没有表头") % {"n": col + 1}, header + 1, ""))
    for code, name in indicators.items():
        if code not in columns.values():
            problems.append(
                error(_("缺少指标“%(code)s %(name)s”的列") % {"code": code, "name": name}, header + 1, "")
            )
    assert name_col is not None  # the header row was found by it
    return name_col, own_col, columns


def _own(
    table: dict[str, dict[str, float | None]],
    seen: dict[str, int],
    marked: list[int],
    own_name: str,
    header: int,
    problems: list[Problem],
) -> str | None:
    """Our row: the one marked 本区, or the one named on the form (both given: they must agree)."""
    if len(marked) > 1:
        for n in marked[1:]:
            problems.append(error(_("只能有一行标为本区，第%(first)d行已标") % {"first": marked[0]}, n, ""))
        return None
    by_mark = next((name for name, n in seen.items() if marked and n == marked[0]), None)
    if own_name and own_name not in table:
        problems.append(error(_("表中没有名为“%(name)s”的行") % {"name": own_name}, header + 1, ""))
        return None
    if by_mark and own_name and by_mark != own_name:
        problems.append(
            error(_("标为本区的是“%(marked)s”，表单中填写的是“%(name)s”") % {"marked": by_mark, "name": own_name}, marked[0], "")
        )  # fmt: skip
        return None
    own = by_mark or own_name or None
    if own is None:
        problems.append(
            error(_("没有标明本区：在“本区”列中标“✓”，或在表单中填写本区在表中的名称"), header + 1, "")
        )
    return own


def seal(access: Access, table: BenchmarkTable, fields: Mapping[str, object]) -> str:
    """The checked table and the form's fields, signed for this user in this zone, to come back on confirmation."""
    payload = {"zone": access.zone.pk, "user": access.user_id, "rows": table.rows, "own": table.own, **fields}
    return signing.dumps(payload, salt=SEAL, compress=True)


def unseal(access: Access, token: str) -> tuple[BenchmarkTable, dict[str, Any]] | None:
    """The table and fields sealed by `seal`, or None when forged, expired or sealed for someone else."""
    try:
        payload = signing.loads(token, salt=SEAL, max_age=SEAL_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.pop("zone") != access.zone.pk or payload.pop("user") != access.user_id:
        return None
    return BenchmarkTable(payload.pop("rows"), payload.pop("own")), payload
