"""Indicator values from a spreadsheet as statistics offices send them: one row per indicator, entity and
period, a header row somewhere in the first rows (titles above it are skipped), headings in any of their usual
names. Reading and checking only; actions.import_values writes."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO

import openpyxl
from django.utils.translation import gettext as _

from luoshi.assessment.forms import MAX_UPLOAD_BYTES
from luoshi.assessment.models import Indicator
from luoshi.lib.periods import parse_period
from luoshi.org.matching import UnitMatcher
from luoshi.org.models import Unit, Zone
from luoshi.sheets.guard import MAX_COLUMNS, UploadRefused, capped, check_upload
from luoshi.sheets.problems import Problem, error

HEADINGS: dict[str, tuple[str, ...]] = {
    "indicator": ("指标代码", "指标编码", "指标名称", "指标", "代码"),
    "entity": ("单位", "单位名称", "评价对象", "对象", "部门", "镇街", "区县"),
    "period": ("期间", "统计期", "时间", "年份", "季度", "月份", "年度"),
    "value": ("数值", "指标值", "完成值", "实际值", "值"),
    "source": ("数据来源", "来源", "出处"),
}
REQUIRED = ("indicator", "period", "value")
ZONE_WORDS = ("", "全区", "全园区", "园区", "本区")  # an empty entity or one of these: the zone as a whole
SCAN_ROWS = 10


@dataclass(frozen=True)
class ValueRow:
    row: int
    indicator_id: int
    unit_id: int | None
    period: str
    period_end: date
    value: Decimal
    source: str


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _headings(rows: list[tuple[object, ...]]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and the column of each field, or None when no row has the required ones."""
    for r, row in enumerate(rows[:SCAN_ROWS]):
        cells = [_text(c).replace(" ", "").replace("（", "(").split("(")[0] for c in row]
        found: dict[str, int] = {}
        for field, names in HEADINGS.items():
            for name in names:
                if name in cells and field not in found and cells.index(name) not in found.values():
                    found[field] = cells.index(name)
                    break
        if all(f in found for f in REQUIRED):
            return r, found
    return None


def _period(cell: object) -> tuple[str, date]:
    if isinstance(cell, datetime | date):  # a date typed into Excel: its month
        return parse_period(f"{cell.year}-{cell.month:02d}")
    if isinstance(cell, int | float) and float(cell).is_integer():
        return parse_period(str(int(cell)))
    return parse_period(_text(cell))


def _number(cell: object) -> Decimal:
    if isinstance(cell, bool):
        raise InvalidOperation
    if isinstance(cell, int | float):
        return Decimal(str(cell))
    return Decimal(_text(cell).replace(",", "").replace("，", ""))


def first_sheet_rows(workbook: openpyxl.Workbook) -> list[tuple[object, ...]]:
    """The first worksheet's values within the row cap of every import; columns past the column cap are not
    read (a sheet may declare itself 16,384 columns wide)."""
    rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    return [tuple(row) for row in capped(rows)]


def read_values(data: bytes, zone: Zone) -> tuple[list[ValueRow], list[Problem]]:
    """Every row checked against the zone's indicators and units; nothing is written here."""
    try:
        check_upload(data, max_bytes=MAX_UPLOAD_BYTES)
        workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except UploadRefused as refused:
        return [], [error(refused.message, 1, "")]
    except Exception:  # openpyxl raises many kinds on a damaged file
        return [], [error(_("文件无法作为 Excel 工作簿打开"), 1, "")]
    try:
        rows = first_sheet_rows(workbook)
    except UploadRefused as refused:
        return [], [error(refused.message, 1, "")]
    finally:
        workbook.close()
    found = _headings(rows)
    if found is None:
        names = "、".join(HEADINGS[f][0] for f in REQUIRED)
        return [], [
            error(_("前%(n)d行中找不到表头：需要%(names)s等列") % {"n": SCAN_ROWS, "names": names}, 1, "")
        ]
    header, columns = found
    indicators = {i.code: i for i in Indicator.objects.filter(zone=zone)}
    by_name = {i.name: i for i in indicators.values()}
    units = Unit.objects.filter(zone=zone)
    matcher = UnitMatcher((u.pk, u.name, u.alias_list) for u in units)
    out: list[ValueRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[int, int | None, str], int] = {}
    heading = {field: _text(rows[header][col]) for field, col in columns.items()}
    for r in range(header + 1, len(rows)):
        row, n = rows[r], r + 1

        def cell(field: str, row: tuple[object, ...] = row) -> object:
            col = columns.get(field)
            return row[col] if col is not None and col < len(row) else None

        if all(_text(c) == "" for c in row):
            continue
        written = _text(cell("indicator"))
        if written in ("合计", "总计", "小计"):
            continue
        indicator = indicators.get(written) or by_name.get(written)
        if indicator is None:
            problems.append(
                error(_("指标“%(name)s”不在指标库中") % {"name": written}, n, heading["indicator"])
            )
            continue
        entity = _text(cell("entity"))
        unit_id = None
        if entity not in ZONE_WORDS:
            match = matcher.match(entity)
            if match.unit_id is None:
                hint = (
                    _("；是否指“%(name)s”？") % {"name": match.suggestion_name}
                    if match.suggestion_name
                    else ""
                )
                problems.append(
                    error(_("单位“%(name)s”不存在") % {"name": entity} + hint, n, heading["entity"])
                )
                continue
            unit_id = match.unit_id
        try:
            period, period_end = _period(cell("period"))
        except ValueError:
            problems.append(
                error(
                    _("期间“%(text)s”无法识别（如 2026、2026Q3、2026-09）") % {"text": _text(cell("period"))},
                    n,
                    heading["period"],
                )
            )
            continue
        try:
            value = _number(cell("value"))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            problems.append(
                error(_("“%(text)s”不是数字") % {"text": _text(cell("value"))}, n, heading["value"])
            )
            continue
        key = (indicator.pk, unit_id, period)
        if key in seen:
            problems.append(
                error(
                    _("与第%(other)d行重复（同一指标、对象和期间）") % {"other": seen[key]},
                    n,
                    heading["indicator"],
                )
            )
            continue
        seen[key] = n
        out.append(ValueRow(n, indicator.pk, unit_id, period, period_end, value, _text(cell("source"))[:200]))
    if not out and not problems:
        problems.append(error(_("表头下没有数据行"), header + 1, ""))
    return out, problems
