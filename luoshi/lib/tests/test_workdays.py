from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from luoshi.lib.workdays import PACKAGE_YEARS, WorkCalendar, package_days


def test_holidays_and_make_up_days_2026() -> None:
    calendar = WorkCalendar()
    assert not calendar.is_workday(date(2026, 1, 1))  # 元旦
    assert not calendar.is_workday(date(2026, 10, 1))  # 国庆节
    assert calendar.is_workday(date(2026, 11, 20))  # an ordinary Friday
    assert not calendar.is_workday(date(2026, 11, 21))  # Saturday
    make_up = [d for d, workday, _name in package_days(2026) if workday]
    assert make_up and all(d.weekday() >= 5 for d in make_up)
    assert all(calendar.is_workday(d) for d in make_up)


def test_names_are_chinese() -> None:
    names = {name for _d, _w, name in package_days(2026)}
    assert "春节" in names and "国庆节" in names


def test_admin_entries_win_and_cover_unknown_years() -> None:
    year = PACKAGE_YEARS.stop  # a year the package does not know
    new_year = date(year, 1, 1)
    assert WorkCalendar().is_workday(new_year) == (new_year.weekday() < 5)
    calendar = WorkCalendar({new_year: False, date(year, 1, 3): True})
    assert not calendar.is_workday(new_year)
    assert calendar.is_workday(date(year, 1, 3))


def test_moving_deadlines() -> None:
    calendar = WorkCalendar()
    assert calendar.on_or_before(date(2026, 10, 2)) == date(2026, 9, 30)  # National Day week → before it
    assert calendar.on_or_after(date(2026, 10, 2)).weekday() < 7
    assert calendar.add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 23)
    assert calendar.workdays_between(date(2026, 11, 16), date(2026, 11, 22)) == 5


@given(st.dates(min_value=date(2005, 1, 1), max_value=date(2030, 12, 31)))
def test_moved_days_are_working_days(day: date) -> None:
    calendar = WorkCalendar()
    before, after = calendar.on_or_before(day), calendar.on_or_after(day)
    assert calendar.is_workday(before) and calendar.is_workday(after)
    assert before <= day <= after
