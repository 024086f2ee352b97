"""Every write to a bulletin: draft (or redraft) from the data, edit the words, issue. Each keeps the history; an
issued bulletin is never written again, and its issue is announced to every member of the zone and audited."""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.bulletins import drafting
from luoshi.bulletins.choices import BulletinStatus
from luoshi.bulletins.facts import Period, gather
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.queries import next_number, office_of, previous_facts
from luoshi.notices.actions import notify, notify_group
from luoshi.notices.choices import NoticeKind
from luoshi.org.models import Membership, Zone

MAX_PARAGRAPH = 2000
MAX_TITLE = 200


class BulletinRefused(Exception):
    """A write the bulletin's state does not allow; the message says why, for the user."""


def compose(zone: Zone, period: Period, today: date) -> tuple[dict[str, Any], drafting.Bulletin]:
    """The facts of the period and the bulletin they tell, written to nothing (the command line's draft). The
    words are in the site's language, whoever asks: a bulletin is an official document, like the prints."""
    facts = gather(zone, period, today)
    previous = previous_facts(zone, period.kind, period.year, period.index)
    with translation.override(settings.LANGUAGE_CODE):
        document = drafting.draft(
            facts, previous, office=office_of(zone), number=next_number(zone, period.year), dated=today
        )
    return facts, document


@transaction.atomic
def draft_bulletin(zone: Zone, period: Period, by: User | None, today: date | None = None) -> Bulletin:
    """The period's draft, written afresh from the data (a redraft drops the edits). Refused once issued."""
    today = today or timezone.localdate()
    existing = (
        Bulletin.objects.select_for_update()
        .filter(zone=zone, year=period.year, kind=period.kind, index=period.index)
        .first()
    )
    if existing is not None and existing.is_issued:
        raise BulletinRefused(_("%(title)s已印发，不能重新生成。") % {"title": existing.title})
    if period.span.starts_on > today:
        raise BulletinRefused(_("%(period)s还没有开始，不能起草通报。") % {"period": period.span.label})
    facts, document = compose(zone, period, today)
    bulletin = existing or Bulletin(zone=zone, year=period.year, kind=period.kind, index=period.index)
    bulletin.title = document.title
    bulletin.content = document.content()
    bulletin.facts = facts
    bulletin.drafted_at, bulletin.drafted_by = timezone.now(), by
    bulletin._change_reason = _("重新生成") if existing else _("起草")  # type: ignore[attr-defined]
    bulletin.save()
    return bulletin


def _editable(bulletin: Bulletin) -> Bulletin:
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if locked.is_issued:
        raise BulletinRefused(_("通报已印发，不能再修改。"))
    return locked


@transaction.atomic
def edit_paragraph(bulletin: Bulletin, section: int, index: int, text: str, by: User) -> Bulletin:
    """Rewrite one paragraph of a section; an empty text removes it."""
    locked = _editable(bulletin)
    sections = locked.content.get("sections", [])
    if not 0 <= section < len(sections) or not 0 <= index < len(sections[section]["paragraphs"]):
        raise BulletinRefused(_("要修改的段落不存在，请刷新页面后重试。"))
    text = text.strip()
    if len(text) > MAX_PARAGRAPH:
        raise BulletinRefused(_("段落不能超过%(n)d个字。") % {"n": MAX_PARAGRAPH})
    paragraphs = sections[section]["paragraphs"]
    if text:
        paragraphs[index] = text
    else:
        del paragraphs[index]
    locked._change_reason = _("修改正文")  # type: ignore[attr-defined]
    locked.save(update_fields=["content"])
    return locked


@transaction.atomic
def edit_title(bulletin: Bulletin, title: str, by: User) -> Bulletin:
    locked = _editable(bulletin)
    title = " ".join(title.split())
    if not title:
        raise BulletinRefused(_("标题不能为空。"))
    if len(title) > MAX_TITLE:
        raise BulletinRefused(_("标题不能超过%(n)d个字。") % {"n": MAX_TITLE})
    locked.title = title
    locked._change_reason = _("修改标题")  # type: ignore[attr-defined]
    locked.save(update_fields=["title"])
    return locked


def _readers(zone: Zone) -> list[User]:
    """Every active member of the zone but the auditor, who reads only the audit trail."""
    rows = (
        Membership.objects.filter(zone=zone, user__is_active=True)
        .exclude(role="auditor")
        .select_related("user")
        .order_by("user_id")
    )
    return list({m.user_id: m.user for m in rows}.values())


@transaction.atomic
def issue_bulletin(bulletin: Bulletin, by: User, request: HttpRequest | None = None) -> Bulletin:
    """Number the bulletin in its year, freeze it, tell every member of the zone and the zone's groups."""
    locked = _editable(bulletin)
    Zone.objects.select_for_update().filter(pk=locked.zone_id).first()  # one numbering at a time per zone
    locked.number = next_number(locked.zone, locked.year)
    locked.status = BulletinStatus.ISSUED
    locked.issued_at, locked.issued_by = timezone.now(), by
    locked._change_reason = _("印发")  # type: ignore[attr-defined]
    locked.save(update_fields=["number", "status", "issued_at", "issued_by"])
    zone = locked.zone
    title = _("督查通报%(year)d年第%(n)d期：%(title)s") % {
        "year": locked.year,
        "n": locked.number,
        "title": locked.title,
    }
    body = _("%(office)s印发了%(title)s，请各单位认真阅研，对照问题抓好整改。") % {
        "office": office_of(zone),
        "title": locked.title,
    }
    link = reverse("bulletins:detail", args=[zone.code, locked.pk])
    key = f"bulletin:{locked.pk}"
    notify(zone, _readers(zone), NoticeKind.BULLETIN, title, body, link, key)
    notify_group(zone, None, title, body, link, key)
    record(
        Event.BULLETIN_ISSUE,
        request=request,
        user=by,
        zone=zone,
        obj=locked,
        detail={"number": locked.number, "year": locked.year, "period": locked.period},
    )
    return locked
