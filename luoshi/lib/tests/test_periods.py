from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.lib.periods import (
    MONTHLY,
    QUARTERLY,
    WEEKLY,
    DueRule,
    due_at,
    parse_period,
    period_start,
    quarter_label,
    span_containing,
    spans_between,
)
from luoshi.lib.workdays import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_spans() -> None:
    week = span_containing(WEEKLY, date(2026, 11, 21))
    assert (week.starts_on, week.ends_on, week.label) == (
        date(2026, 11, 16),
        date(2026, 11, 22),
        "2026年第47周",
    )
    month = span_containing(MONTHLY, date(2026, 2, 10))
    assert (month.starts_on, month.ends_on, month.label) == (date(2026, 2, 1), date(2026, 2, 28), "2026年2月")
    quarter = span_containing(QUARTERLY, date(2026, 11, 21))
    assert (quarter.starts_on, quarter.ends_on, quarter.label) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        "2026年第4季度",
    )


def test_weekly_due_on_friday_and_before_a_holiday() -> None:
    calendar = WorkCalendar()
    rule = DueRule(WEEKLY, weekday=4, at=time(17, 0))
    assert due_at(rule, span_containing(WEEKLY, date(2026, 11, 18)), calendar, SHANGHAI) == datetime(
        2026, 11, 20, 17, 0, tzinfo=SHANGHAI
    )
    # The week of National Day: Friday 2 October is a holiday, so the report is due on the last working day before.
    national_day_week = span_containing(WEEKLY, date(2026, 10, 1))
    assert due_at(rule, national_day_week, calendar, SHANGHAI).date() == date(2026, 9, 30)
    late_rule = DueRule(WEEKLY, weekday=4, early=False)
    assert due_at(late_rule, national_day_week, calendar, SHANGHAI).date() > date(2026, 10, 2)


def test_monthly_and_quarterly_due_days() -> None:
    calendar = WorkCalendar()
    monthly = DueRule(MONTHLY, day=5)
    assert due_at(monthly, span_containing(MONTHLY, date(2026, 10, 15)), calendar, SHANGHAI).date() == date(
        2026, 11, 5
    )
    quarterly = DueRule(QUARTERLY, day=10, at=time(12, 0))
    due = due_at(quarterly, span_containing(QUARTERLY, date(2026, 5, 1)), calendar, SHANGHAI)
    assert due == datetime(2026, 7, 10, 12, 0, tzinfo=SHANGHAI)
    month_end = DueRule(MONTHLY, day=0)
    # 28 February 2026 is a Saturday but a make-up working day (调休) after the Spring Festival.
    assert due_at(month_end, span_containing(MONTHLY, date(2026, 2, 3)), calendar, SHANGHAI).date() == date(
        2026, 2, 28
    )
    # 31 May 2026 is an ordinary Sunday: due on Friday the 29th.
    assert due_at(month_end, span_containing(MONTHLY, date(2026, 5, 3)), calendar, SHANGHAI).date() == date(
        2026, 5, 29
    )


@given(
    st.sampled_from([WEEKLY, MONTHLY, QUARTERLY]),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
)
def test_spans_tile_time(cadence: str, day: date) -> None:
    span = span_containing(cadence, day)
    assert span.starts_on <= day <= span.ends_on
    following = span_containing(cadence, span.ends_on + timedelta(days=1))
    assert following.starts_on == span.ends_on + timedelta(days=1)
    spans = spans_between(cadence, day, day + timedelta(days=100))
    assert all(a.ends_on + timedelta(days=1) == b.starts_on for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize(
    "written, label, end",
    [
        ("2026", "2026", date(2026, 12, 31)),
        ("2026年度", "2026", date(2026, 12, 31)),
        ("2026Q3", "2026Q3", date(2026, 9, 30)),
        ("2026 q1", "2026Q1", date(2026, 3, 31)),
        ("2026年第三季度", "2026Q3", date(2026, 9, 30)),
        ("2026年4季度", "2026Q4", date(2026, 12, 31)),
        ("2026-02", "2026-02", date(2026, 2, 28)),
        ("2026.9", "2026-09", date(2026, 9, 30)),
        ("2026年12月", "2026-12", date(2026, 12, 31)),
    ],
)
def test_indicator_periods_as_offices_write_them(written: str, label: str, end: date) -> None:
    assert parse_period(written) == (label, end)


@pytest.mark.parametrize(
    "label, first",
    [
        ("2026", date(2026, 1, 1)),
        ("2026Q3", date(2026, 7, 1)),
        ("2026Q1", date(2026, 1, 1)),
        ("2026-09", date(2026, 9, 1)),
    ],
)
def test_period_start(label: str, first: date) -> None:
    assert period_start(label) == first
    assert quarter_label(first) == label or "Q" not in label


@pytest.mark.parametrize("written", ["", "第三季度", "2026-13", "26Q1", "2026Q5", "2026年13月", "去年"])
def test_unreadable_periods_are_refused(written: str) -> None:
    with pytest.raises(ValueError):
        parse_period(written)
