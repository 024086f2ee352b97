"""Numbers and dates read the way offices write them in cells: money in 万元 from any unit (a column's factor),
a month from "2025.03" or "2026年3月", an Excel serial number, a dash for nothing. Each reader returns what
it read and, instead of raising, what is wrong with it."""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_WAN = Decimal("1e8")  # 1 万亿元: more than any project, so a larger figure is a typo or the wrong unit
CENT = Decimal("0.01")
BLANK = frozenset(("", "-", "—", "——", "/", "／", "无", "暂无", "…", "─"))
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def read_money(value: object, factor: Decimal) -> tuple[Decimal | None, str | None]:
    """(amount in 万元, None) or (None, why not). Blank and dash cells are None without a complaint."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, _("“%(text)s”不是数字") % {"text": value}
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, _("不是有效的数字")
        amount = Decimal(str(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        compact = re.sub(r"[,\s]", "", text)
        if compact in BLANK:
            return None, None
        if not NUMBER.fullmatch(compact):
            return None, _("“%(text)s”不是数字，请只填写金额数字") % {"text": text}
        try:
            amount = Decimal(compact)
        except InvalidOperation:
            return None, _("“%(text)s”不是数字，请只填写金额数字") % {"text": text}
    amount = (amount * factor).quantize(CENT)
    if amount < 0:
        return None, _("金额不能为负数（%(amount)s 万元）") % {"amount": f"{amount:,}"}
    if amount > MAX_WAN:
        return None, _("金额 %(amount)s 万元大得不合理，请检查单位（万元/亿元）") % {"amount": f"{amount:,}"}
    return amount, None


_DATE_TEXT = re.compile(
    r"^(?P<y>\d{4})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*(?:月\s*(?:(?P<d1>\d{1,2})\s*[日号])?|[.\-/]\s*(?P<d2>\d{1,2}))?"
)
_MONTH_ONLY = re.compile(r"^(?P<m>\d{1,2})\s*月")
_YEAR_ONLY = re.compile(r"^(?P<y>\d{4})\s*年?(?P<end>底|末)?(?:内|度)?$")


def read_date(value: object, year: int | None) -> tuple[date | None, str | None, str]:
    """(date, problem, severity): the first day of the month when only a month is given."""
    if value is None:
        return None, None, ""
    if isinstance(value, datetime):
        return value.date(), None, ""
    if isinstance(value, date):
        return value, None, ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial date in an unformatted cell
            return date(1899, 12, 30) + timedelta(days=int(value)), None, ""
        if 1900 <= value < 2200:  # "2025.03" typed into a number cell arrives as the float 2025.03
            y, m = int(value), round((value - int(value)) * 100)
            if m % 10 == 0 and m > 10:
                m //= 10  # 2025.3 shows "2025.3": March
            result = _make(y, m, None, str(value))
            if m == 10 and repr(value).endswith(".1"):  # 2025.10 and 2025.1 are the same number
                message = _("“%(text)s”按%(year)d年10月读取；若指1月，请写成文本“%(year)d.01”")
                return result[0], message % {"text": value, "year": y}, "warning"
            return result
        return None, _("无法识别日期“%(text)s”") % {"text": value}, "warning"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in BLANK or text in ("待定", "未定"):
        return None, None, ""
    if match := _DATE_TEXT.match(text):
        day = match.group("d1") or match.group("d2")
        return _make(int(match.group("y")), int(match.group("m")), int(day) if day else None, text)
    if (match := _MONTH_ONLY.match(text)) and year:
        return _make(year, int(match.group("m")), None, text)
    if match := _YEAR_ONLY.match(text):
        if match.group("end"):  # 年底: the year's last month
            return date(int(match.group("y")), 12, 1), None, ""
        message = _("“%(text)s”只有年份，按当年1月1日导入") % {"text": text}
        return date(int(match.group("y")), 1, 1), message, "warning"
    return None, _("无法识别日期“%(text)s”，请写成“2026.03”或“2026年3月”") % {"text": text}, "warning"


def _make(y: int, m: int, d: int | None, text: str) -> tuple[date | None, str | None, str]:
    try:
        return date(y, m, d or 1), None, ""
    except ValueError:
        return None, _("日期不存在：%(text)s") % {"text": text}, "error"
