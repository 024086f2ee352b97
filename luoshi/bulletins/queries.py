"""Who reads which bulletin: issued ones every member of the zone (they are published within it), drafts only the
office that edits them (admins and the supervision office)."""

from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.bulletins.choices import BulletinStatus
from luoshi.bulletins.document import Bulletin as Document
from luoshi.bulletins.document import sections_from
from luoshi.bulletins.models import Bulletin
from luoshi.org.models import Zone
from luoshi.org.queries import Access


def can_draft(access: Access) -> bool:
    return access.edits_plans


def visible_bulletins(access: Access) -> QuerySet[Bulletin]:
    bulletins = Bulletin.objects.filter(zone=access.zone)
    if not can_draft(access):
        bulletins = bulletins.filter(status=BulletinStatus.ISSUED)
    return bulletins.order_by("-year", "-index", "-pk")


def get_bulletin(access: Access, bulletin_id: int) -> Bulletin:
    found = visible_bulletins(access).filter(pk=bulletin_id).first()
    if found is None:
        raise Http404
    return found


def next_number(zone: Zone, year: int) -> int:
    """The number the zone's next bulletin of the year takes when issued."""
    last = Bulletin.objects.filter(zone=zone, year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def office_of(zone: Zone) -> str:
    """The issuing office as the masthead names it, in the site's language like the rest of the document."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(zone)s督查室") % {"zone": zone.name}


def previous_facts(zone: Zone, kind: str, year: int, index: int) -> dict[str, Any] | None:
    """The facts of the last bulletin issued for an earlier period of the same kind, for the change."""
    earlier = (
        Bulletin.objects.filter(zone=zone, kind=kind, status=BulletinStatus.ISSUED)
        .filter(year__lte=year)
        .exclude(year=year, index__gte=index)
        .order_by("-year", "-index")
        .values_list("facts", flat=True)
        .first()
    )
    return earlier or None


def document(bulletin: Bulletin) -> Document:
    """The bulletin as the writers lay it out: issued with its number and date, a draft with the number it
    would take and the day it was drafted."""
    sections, tables = sections_from(bulletin.content)
    issued = bulletin.issued_at is not None
    moment = bulletin.issued_at if bulletin.issued_at is not None else bulletin.drafted_at
    return Document(
        office=office_of(bulletin.zone),
        number=bulletin.number or next_number(bulletin.zone, bulletin.year),
        year=bulletin.year,
        period=bulletin.period,
        title=bulletin.title,
        dated=timezone.localdate(moment),
        sections=sections,
        tables=tables,
        draft=not issued,
    )
