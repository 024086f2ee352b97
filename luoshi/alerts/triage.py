"""Writes of the office's triage of a warning: a note, or a dismissal with its reason (an order from a warning is
the third answer, and marks it too: alerts.orders.issue_order). Either takes the warning off the workbench's triage queue.

A dismissal (核销) resolves the warning, so it leaves every open count, and holds it: while the sweep keeps seeing
the same subject and rule at the same level or lower it opens nothing new; once the condition clears, or the
level goes up, the hold ends and the next warning opens as usual (alerts.actions)."""

from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.alerts.actions import lock_zone
from luoshi.alerts.choices import EventKind
from luoshi.alerts.models import Warning, WarningEvent
from luoshi.audit.actions import record
from luoshi.audit.choices import Event

NOTE_MAX = 1000
REASON_MIN = 4  # "已调整" says nothing about why; a reason names the decision or the fact behind it


# note_warning and dismiss_warning: (warning, text, user, now) → the warning.
TriageStep = Callable[[Warning, str, User, datetime], Warning]


class TriageRefused(Exception):
    """The warning cannot take this step (it resolved meanwhile, or the text is missing); the message says why."""


def _locked_open(warning: Warning) -> Warning:
    lock_zone(warning.zone_id)
    fresh = Warning.objects.select_for_update().filter(pk=warning.pk, resolved_at__isnull=True).first()
    if fresh is None:
        raise TriageRefused(_("该预警已解除或已核销"))
    return fresh


@transaction.atomic
def note_warning(warning: Warning, text: str, user: User, now: datetime) -> Warning:
    """督查室备注: the office's word on an open warning (what it checked, whom it called), kept in its record."""
    text = text.strip()
    if not text:
        raise TriageRefused(_("请填写备注内容"))
    if len(text) > NOTE_MAX:
        raise TriageRefused(_("备注不能超过%(n)d字") % {"n": NOTE_MAX})
    warning = _locked_open(warning)
    if warning.triaged_at is None:
        warning.triaged_at = now
        warning.save(update_fields=["triaged_at"])
    WarningEvent.objects.create(
        warning=warning, kind=EventKind.NOTED, at=now, level=warning.level, by=user, text=text
    )
    return warning


@transaction.atomic
def dismiss_warning(warning: Warning, reason: str, user: User, now: datetime) -> Warning:
    """核销: the office judges that an open warning calls for no action, says why, and it resolves."""
    reason = reason.strip()
    if len(reason) < REASON_MIN:
        raise TriageRefused(_("请说明核销理由（至少%(n)d个字）") % {"n": REASON_MIN})
    if len(reason) > 500:
        raise TriageRefused(_("核销理由不能超过500字"))
    warning = _locked_open(warning)
    warning.resolved_at = warning.dismissed_at = warning.updated_at = now
    warning.triaged_at = warning.triaged_at or now
    warning.dismissal, warning.held = reason, True
    warning.save(
        update_fields=["resolved_at", "dismissed_at", "updated_at", "triaged_at", "dismissal", "held"]
    )
    WarningEvent.objects.create(
        warning=warning, kind=EventKind.DISMISSED, at=now, level=warning.level, by=user, text=reason
    )
    detail = {"rule": warning.rule, "level": warning.level, "reason": reason}
    record(Event.WARNING_DISMISS, user=user, zone=warning.zone, obj=warning, detail=detail)
    return warning
