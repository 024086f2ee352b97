"""Mainland China's working days: weekends, the State Council's holidays and make-up working days (调休).

The years the `chinesecalendar` package knows come from it. Overrides win over it: the platform administrator's
national entries (reporting.CalendarDay: a year the package does not know yet), under each zone's own days
(reporting.ZoneCalendarDay: a local holiday); reporting.queries.work_calendars layers them per zone."""

from collections.abc import Mapping
from datetime import date, timedelta

from chinese_calendar import constants as cn

_NAMES_ZH = {holiday.value: holiday.chinese for holiday in cn.Holiday}
PACKAGE_YEARS = range(min(cn.holidays).year, max(cn.holidays).year + 1)


def package_days(year: int) -> list[tuple[date, bool, str]]:
    """The package's exceptions for a year: (day, is_workday, holiday name in Chinese), in date order."""
    days = [(d, False, _NAMES_ZH.get(name, name)) for d, name in cn.holidays.items() if d.year == year]
    days += [(d, True, _NAMES_ZH.get(name, name)) for d, name in cn.workdays.items() if d.year == year]
    return sorted(days)


class WorkCalendar:
    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self.overrides = dict(overrides or {})

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day in cn.workdays:
            return True
        if day in cn.holidays:
            return False
        return day.weekday() < 5

    def on_or_before(self, day: date) -> date:
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def add_workdays(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n ≥ 0; n = 0 is `day` itself if it is a working day, else the next)."""
        day = self.on_or_after(day)
        for _i in range(n):
            day = self.on_or_after(day + timedelta(days=1))
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in [start, end]."""
        return sum(self.is_workday(start + timedelta(days=i)) for i in range((end - start).days + 1))
