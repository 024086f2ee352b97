"""Reporting periods (weeks, months, quarters) and their deadlines. Pure: no database."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from luoshi.lib.workdays import WorkCalendar

WEEKLY, MONTHLY, QUARTERLY = "weekly", "monthly", "quarterly"
EPOCH = date(1970, 1, 1)


def day_number(value: date) -> int:
    """Days since 1970-01-01: how SQL that must run on SQLite and PostgreSQL alike compares and subtracts dates."""
    return (value - EPOCH).days


@dataclass(frozen=True)
class Span:
    starts_on: date
    ends_on: date
    label: str


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def span_containing(cadence: str, day: date) -> Span:
    if cadence == WEEKLY:
        start = day - timedelta(days=day.weekday())
        iso_year, iso_week, _weekday = start.isocalendar()
        return Span(
            start,
            start + timedelta(days=6),
            _("%(year)d年第%(week)d周") % {"year": iso_year, "week": iso_week},
        )
    if cadence == MONTHLY:
        return Span(
            date(day.year, day.month, 1),
            _month_end(day.year, day.month),
            _("%(year)d年%(month)d月") % {"year": day.year, "month": day.month},
        )
    if cadence == QUARTERLY:
        quarter = (day.month - 1) // 3
        start = date(day.year, quarter * 3 + 1, 1)
        return Span(
            start,
            _month_end(day.year, quarter * 3 + 3),
            _("%(year)d年第%(q)d季度") % {"year": day.year, "q": quarter + 1},
        )
    raise ValueError(cadence)


def spans_between(cadence: str, first: date, last: date) -> list[Span]:
    """Every period that overlaps [first, last], in order."""
    spans = []
    span = span_containing(cadence, first)
    while span.starts_on <= last:
        spans.append(span)
        span = span_containing(cadence, span.ends_on + timedelta(days=1))
    return spans


@dataclass(frozen=True)
class DueRule:
    """When a period's report is due.

    Weekly: on `weekday` (0 = Monday) of the period's own week. Monthly and quarterly: on day `day` of the month
    after the period (0 = the period's last day). At `at` o'clock. A deadline that falls on a day off moves to the
    working day before it (`early`, the usual practice before a holiday) or after it."""

    cadence: str
    weekday: int = 4
    day: int = 0
    at: time = time(17, 0)
    early: bool = True


def due_at(rule: DueRule, span: Span, calendar: WorkCalendar, tz: ZoneInfo) -> datetime:
    if rule.cadence == WEEKLY:
        day = span.starts_on + timedelta(days=rule.weekday)
    elif rule.day == 0:
        day = span.ends_on
    else:
        after = span.ends_on + timedelta(days=1)
        day = date(after.year, after.month, min(rule.day, _month_end(after.year, after.month).day))
    day = calendar.on_or_before(day) if rule.early else calendar.on_or_after(day)
    return datetime.combine(day, rule.at, tzinfo=tz)


_YEAR = re.compile(r"^(\d{4})\s*年?(?:度)?$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:年\s*)?(?:[Qq]\s*([1-4])|第?\s*([1-4一二三四])\s*季度?)$")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-./年]\s*)(\d{1,2})\s*月?$")
_CHINESE_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}


def parse_period(text: str) -> tuple[str, date]:
    """An indicator's period as offices write it — 2026 / 2026年, 2026Q3 / 2026年第三季度 / 2026年3季度,
    2026-09 / 2026.9 / 2026年9月 — as a canonical label (2026, 2026Q3, 2026-09) and its last day.
    ValueError when it is none of these."""
    cleaned = str(text).strip().replace("（", "(").replace("）", ")")
    if m := _YEAR.match(cleaned):
        year = int(m[1])
        return str(year), date(year, 12, 31)
    if m := _QUARTER.match(cleaned):
        year, quarter = int(m[1]), int(m[2] or _CHINESE_DIGITS.get(m[3], m[3]))
        return f"{year}Q{quarter}", _month_end(year, quarter * 3)
    if m := _MONTH.match(cleaned):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return f"{year}-{month:02d}", _month_end(year, month)
    raise ValueError(text)


def period_start(label: str) -> date:
    """The first day of a canonical period label from parse_period (2026, 2026Q3, 2026-09)."""
    if "Q" in label:
        year, quarter = label.split("Q")
        return date(int(year), int(quarter) * 3 - 2, 1)
    if "-" in label:
        year, month = label.split("-")
        return date(int(year), int(month), 1)
    return date(int(label), 1, 1)


def quarter_label(day: date) -> str:
    """The canonical label (as parse_period writes it) of the quarter a day falls in: 2026Q4."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"
