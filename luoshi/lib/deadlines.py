"""Deadlines as offices write them ("6月底前", "三季度", "2026.06.30", "持续推进") → a due date for plan year Y."""

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from luoshi.lib.numbering import chinese_to_int


@dataclass(frozen=True)
class Deadline:
    due: date | None
    text: str  # the original text, trimmed; an ISO date for date cells
    open_ended: bool = False  # 持续推进, 常态化, 每季度…: no due date on purpose
    error: str | None = None  # a date that does not exist
    warning: str | None = None  # text that is not a recognisable deadline
    milestones: list[tuple[str, date]] = field(default_factory=list)


_OPEN_ENDED = (
    "持续",
    "长期",
    "长效",
    "常态",
    "常年",
    "每月",
    "每周",
    "每季",
    "每半年",
    "每年",
    "逐年",
    "按月",
    "按季",
    "按年",
    "定期",
    "动态",
)
_CN_NUM = "零〇一二两三四五六七八九十"
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
_CN_BEFORE_UNIT = re.compile(rf"([{_CN_NUM}]{{1,3}})(?=[月日号])")
_YEAR = re.compile(r"(\d{4})(?:年|[-/.]\d|[Qq][1-4])")
_PRE = r"(?:截至|截止|到|于|在|至)?"
_POST = r"(?:之前|以前|前|左右|止|完成前)?"
_DATE = re.compile(
    _PRE
    + r"(?P<core>"
    + r"(?P<iso>(?P<iy>\d{4})[-/.](?P<im>\d{1,2})(?:[-/.](?P<id>\d{1,2}))?(?!\d)(?!\.\d))"
    + r"|(?:(?:\d{4})年)?(?P<mm>\d{1,2})月份?(?:(?P<md>\d{1,2})[日号]|(?P<mpart>上中旬|中下旬|上旬|中旬|下旬|初|中|底|末))?"
    + r"|(?:(?:\d{4})年?)?(?:第?(?P<qn>[1-4一二三四])季度?|[Qq](?P<qq>[1-4]))(?:末|底)?"
    + r"|(?:(?:\d{4})年)?(?P<half>上|下)半年"
    + r"|(?:(?:\d{4})年|今年|本年|当年)?年中"
    + r"|(?:(?:\d{4})年度?|今年|本年度?|当年)(?P<yend>年底|年末|年内|年度内|全年|底|末|内)?(?!\d)"
    + r"|(?:本年度|年度内|年底|年末|年内|全年)"
    + r")"
    + _POST
)
_CLAUSE = re.compile(r"[，,；;。\n]")
_LABEL_TRIM = " \t-—–~～至到、和及或，,；;。:：()（）"
_MONTH_PART_DAY = {"上旬": 10, "初": 10, "上中旬": 20, "中旬": 20, "中": 20}


def parse_deadline(value: object, year: int) -> Deadline:
    """Read a deadline cell or text; never raises. A range gives its end, several dated clauses milestones."""
    if value is None:
        return Deadline(None, "")
    if isinstance(value, datetime):
        return Deadline(value.date(), value.date().isoformat())
    if isinstance(value, date):
        return Deadline(value, value.isoformat())
    if isinstance(value, bool):
        return Deadline(None, str(value), warning=_unrecognised(str(value)))
    if isinstance(value, int | float):
        return _parse_number(value, year)
    text = str(value).strip()
    if not text:
        return Deadline(None, "")
    return _parse_text(text, year)


def _unrecognised(text: str) -> str:
    return _("无法识别完成时限“%(text)s”，请写成“6月底前”或“2026年12月31日”") % {"text": text}


def _parse_number(value: float, year: int) -> Deadline:
    if not -1e12 < value < 1e12:  # NaN, infinities, huge numbers: no date in any notation
        return Deadline(None, "", warning=_unrecognised(_("（无效的数字）")))
    if 1900 <= value <= 2200 and value == int(value):  # a bare year typed as a number
        return _parse_text(str(int(value)) + "年", year, original=str(int(value)))
    if 20000 <= value <= 80000:  # an Excel serial date in an unformatted cell
        due = date(1899, 12, 30) + timedelta(days=int(value))
        return Deadline(due, due.isoformat())
    # "2026.6" typed into Excel arrives as the float 2026.6
    return _parse_text(repr(value), year)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    text = _CN_YEAR.sub(lambda m: "".join(str(chinese_to_int(ch)) for ch in m.group(1)) + "年", text)
    return _CN_BEFORE_UNIT.sub(lambda m: str(chinese_to_int(m.group(1)) or m.group(1)), text)


def _parse_text(text: str, year: int, original: str | None = None) -> Deadline:
    original = original if original is not None else text
    normal = _normalise(text)
    if re.fullmatch(r"\d{4}", normal):
        normal += "年"
    years = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(normal)]
    dates: list[tuple[int, int, date]] = []  # (start, end, date) of every date in the text
    for match in _DATE.finditer(normal):
        explicit = [y for pos, y in years if pos <= match.start("core")]
        found = _resolve(match, explicit[-1] if explicit else year)
        if isinstance(found, str):
            return Deadline(None, original, error=_("日期不存在：%(text)s") % {"text": found})
        dates.append((match.start(), match.end(), found))
    if not dates:
        if any(word in normal for word in _OPEN_ENDED):
            return Deadline(None, original, open_ended=True)
        return Deadline(None, original, warning=_unrecognised(original))
    due = max(d for _s, _e, d in dates)
    milestones = _milestones(normal, dates)
    return Deadline(due, original, milestones=milestones if len(milestones) > 1 else [])


def _resolve(match: re.Match[str], year: int) -> date | str:
    """The date a match stands for, or the offending text when that date does not exist."""
    core = match.group("core")
    if match.group("iso"):
        y, m = int(match.group("iy")), int(match.group("im"))
        day = match.group("id")
        return _make(y, m, int(day) if day else None, core)
    if match.group("mm"):
        m = int(match.group("mm"))
        part = match.group("mpart")
        day = int(match.group("md")) if match.group("md") else _MONTH_PART_DAY.get(part or "")
        return _make(year, m, day, core.rstrip("底末份"))
    quarter = match.group("qn") or match.group("qq")
    if quarter:
        q = int(quarter) if quarter.isdigit() else chinese_to_int(quarter) or 4
        return _make(year, q * 3, None, core)
    if match.group("half"):
        return _make(year, 6 if match.group("half") == "上" else 12, None, core)
    return _make(year, 6 if core.endswith("年中") else 12, None, core)


def _make(y: int, m: int, day: int | None, written: str) -> date | str:
    if not 1 <= m <= 12 or not 1 <= y <= 9999:
        return written
    last = calendar.monthrange(y, m)[1]
    if day is None:
        return date(y, m, last)
    if not 1 <= day <= last:
        return written
    return date(y, m, day)


def _milestones(text: str, dates: list[tuple[int, int, date]]) -> list[tuple[str, date]]:
    """Group dated clauses with what they deliver: "6月底前完成设计，12月底前建成投用" → two milestones.

    A clause that is only a date ("3月—6月", or "3月、6月、9月、12月底前报送") joins the next labelled clause,
    and a dateless clause just before a label-less date ("完成设计：6月底前") lends it its label.
    """
    groups: list[tuple[str, date]] = []
    pending: list[date] = []
    label_before = ""
    start = 0
    for sep in [*(m.start() for m in _CLAUSE.finditer(text)), len(text)]:
        clause_dates = [(s, e, d) for s, e, d in dates if start <= s < sep]
        if not clause_dates:
            label_before = text[start:sep].strip(_LABEL_TRIM)
        else:
            label = _without_dates(text, start, sep, clause_dates) or label_before
            label_before = ""
            pending += [d for _s, _e, d in clause_dates]
            if label:
                groups.append((label, max(pending)))
                pending = []
        start = sep + 1
    if pending:
        if groups:
            groups[-1] = (groups[-1][0], max(groups[-1][1], *pending))
        else:
            groups.append(("", max(pending)))
    return groups


def _without_dates(text: str, start: int, end: int, clause_dates: list[tuple[int, int, date]]) -> str:
    pieces, pos = [], start
    for s, e, _d in clause_dates:
        pieces.append(text[pos:s])
        pos = e
    pieces.append(text[pos:end])
    return "".join(piece.strip(_LABEL_TRIM) for piece in pieces).strip(_LABEL_TRIM)
