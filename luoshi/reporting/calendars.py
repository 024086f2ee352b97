"""Deadlines on the working-day calendars, and the writes to those calendars: the national one (the platform
administrator's entries over the chinesecalendar package) and each zone's own overrides. Each write is atomic,
recorded (history rows and the security audit trail) and moves the deadlines of the periods not yet due, which
are indexed columns."""

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.lib.history import Actor, changed_by
from luoshi.lib.periods import DueRule, Span, due_at
from luoshi.lib.workdays import WorkCalendar
from luoshi.org.models import Zone
from luoshi.reporting.models import CalendarDay, Cycle, Period, ZoneCalendarDay
from luoshi.reporting.queries import work_calendars

# Monthly and quarterly deadlines fall in the following month, and the grace period runs on from there.
CALENDAR_REACH = timedelta(days=120)


def period_deadlines(cycle: Cycle, span: Span, calendar: WorkCalendar) -> tuple[datetime, datetime]:
    """When a period's report is due, and when the period stops taking late reports, on the zone's calendar."""
    rule = DueRule(cycle.cadence, cycle.due_weekday, cycle.due_day, cycle.due_time, cycle.due_early)
    tz = ZoneInfo(settings.TIME_ZONE)
    due = due_at(rule, span, calendar, tz)
    closes = datetime.combine(
        calendar.add_workdays(due.date(), cycle.grace_days), time(23, 59, 59), tzinfo=tz
    )
    return due, closes


def _audit(entry: CalendarDay | ZoneCalendarDay, zone: Zone | None, change: str) -> None:
    detail = {
        "scope": "zone" if zone else "national",
        "change": change,
        "date": entry.date.isoformat(),
        "is_workday": entry.is_workday,
        "name": entry.name,
    }
    record(Event.CALENDAR_CHANGE, zone=zone, obj=entry, detail=detail)


@transaction.atomic
def set_national_day(day: date, is_workday: bool, name: str, user: Actor) -> CalendarDay:
    entry = CalendarDay.objects.select_for_update().filter(date=day).first() or CalendarDay(date=day)
    entry.is_workday, entry.name = is_workday, name.strip()
    changed_by(entry, user)
    entry.save()
    _audit(entry, None, "set")
    reschedule_periods(None, timezone.now())
    return entry


@transaction.atomic
def remove_national_day(entry: CalendarDay, user: Actor) -> None:
    _audit(entry, None, "remove")
    changed_by(entry, user)
    entry.delete()
    reschedule_periods(None, timezone.now())


@transaction.atomic
def set_zone_day(zone: Zone, day: date, is_workday: bool, name: str, user: Actor) -> ZoneCalendarDay:
    entry = ZoneCalendarDay.objects.select_for_update().filter(zone=zone, date=day).first()
    entry = entry or ZoneCalendarDay(zone=zone, date=day)
    entry.is_workday, entry.name = is_workday, name.strip()
    changed_by(entry, user)
    entry.save()
    _audit(entry, zone, "set")
    reschedule_periods([zone.pk], timezone.now())
    return entry


@transaction.atomic
def remove_zone_day(entry: ZoneCalendarDay, user: Actor) -> None:
    _audit(entry, entry.zone, "remove")
    changed_by(entry, user)
    entry.delete()
    reschedule_periods([entry.zone_id], timezone.now())


def reschedule_periods(zone_ids: Collection[int] | None, now: datetime) -> int:
    """Recompute the deadlines of the periods not yet due (of these zones; None: every zone) after a calendar
    change; returns how many moved. Periods already due keep theirs: no one becomes late after the fact."""
    periods = Period.objects.filter(due_at__gt=now).select_related("cycle")
    if zone_ids is not None:
        periods = periods.filter(zone_id__in=zone_ids)
    pending = list(periods.order_by("starts_on"))
    if not pending:
        return 0
    start, end = pending[0].starts_on, max(p.ends_on for p in pending) + CALENDAR_REACH
    calendars = work_calendars({p.zone_id for p in pending}, start, end)
    moved = []
    for period in pending:
        span = Span(period.starts_on, period.ends_on, period.label)
        due, closes = period_deadlines(period.cycle, span, calendars[period.zone_id])
        if (due, closes) != (period.due_at, period.closes_at):
            period.due_at, period.closes_at = due, closes
            moved.append(period)
    Period.objects.bulk_update(moved, ["due_at", "closes_at"], batch_size=500)
    return len(moved)
