"""The demo's 督查通报: the bulletin of the month before last, issued early last month (so last month's draft has a
month to compare with), and last month's drafted from the data and waiting for the office to edit and issue."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from luoshi.bulletins import actions
from luoshi.bulletins.choices import PeriodKind
from luoshi.bulletins.facts import Period
from luoshi.bulletins.models import Bulletin
from luoshi.org.models import Zone

ISSUED_ON_DAY = 5  # offices issue a month's bulletin in the first week of the next


def build_bulletins(zone: Zone, supervisor: User, today: date) -> tuple[Bulletin, Bulletin]:
    last = Period(PeriodKind.MONTH, today.year, today.month).previous()
    before = last.previous()
    issued_on = min(date(last.year, last.index, ISSUED_ON_DAY), today - timedelta(days=1))
    issued = actions.draft_bulletin(zone, before, supervisor, today=issued_on)
    issued = actions.issue_bulletin(issued, supervisor)
    moment = timezone.make_aware(datetime.combine(issued_on, time(10, 0)))
    Bulletin.objects.filter(pk=issued.pk).update(drafted_at=moment - timedelta(hours=2), issued_at=moment)
    draft = actions.draft_bulletin(zone, last, supervisor, today=today)
    return issued, draft
