"""Writes of the notices app.

`notify` and `notify_group` write inbox rows and outbox rows in the caller's transaction (a transactional
outbox): if the caller rolls back, nothing is queued; once it commits, a worker delivers. A dedupe key makes a
second call with the same key a no-op, so a sweep that runs twice never notifies twice. The worker's own writes
(claim, record, release) are here too, each a conditional UPDATE so two workers never hold the same message.
"""

import random
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.audit.choices import Outcome as AuditOutcome
from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.notices.channels import Outcome, content, send_webhook
from luoshi.notices.choices import Channel, NoticeKind, OutboxStatus
from luoshi.notices.models import DeliveryAttempt, Notification, OutboxMessage, WebhookEndpoint
from luoshi.org.models import Unit, Zone

BACKOFF_BASE = 30  # seconds before the first retry; doubles with each failed attempt
BACKOFF_CAP = 3600


def _check_key(dedupe_key: str) -> None:
    if not dedupe_key or len(dedupe_key) > 200:
        raise ValueError("dedupe_key must have 1 to 200 characters")


def _subject(title: str) -> str:
    """One line (an email subject with a line break is refused) that fits the column."""
    return " ".join(title.split())[:200]


@transaction.atomic
def notify(
    zone: Zone,
    users: Iterable[User],
    kind: str,
    title: str,
    body: str,
    link: str,
    dedupe_key: str,
) -> int:
    """An inbox line for each active user, and an email for those with an address. Returns how many users
    were newly notified (those already notified under `dedupe_key` are skipped)."""
    _check_key(dedupe_key)
    kind = NoticeKind(kind)
    title = _subject(title)
    recipients = {user.pk: user for user in users if user.is_active}
    done = set(
        Notification.objects.filter(
            zone=zone, dedupe_key=dedupe_key, recipient_id__in=recipients
        ).values_list("recipient_id", flat=True)
    )
    fresh = [user for pk, user in recipients.items() if pk not in done]
    # ignore_conflicts: a concurrent sweep that got there first wins quietly instead of failing the caller.
    Notification.objects.bulk_create(
        [
            Notification(
                zone=zone, recipient=user, kind=kind, title=title, body=body, link=link, dedupe_key=dedupe_key
            )
            for user in fresh
        ],
        ignore_conflicts=True,
    )
    if settings.LUOSHI_EMAIL_ENABLED:
        now = timezone.now()
        OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    zone=zone,
                    channel=Channel.EMAIL,
                    to_address=user.email,
                    subject=title,
                    payload=content(title, body, link),
                    dedupe_key=f"{zone.pk}:{dedupe_key}:email:{user.pk}",
                    next_attempt_at=now,
                )
                for user in fresh
                if user.email
            ],
            ignore_conflicts=True,
        )
    return len(fresh)


@transaction.atomic
def notify_group(zone: Zone, unit: Unit | None, title: str, body: str, link: str, dedupe_key: str) -> int:
    """A message to each active robot of the unit's group (None: the zone-wide groups). Returns how many
    messages were newly queued."""
    _check_key(dedupe_key)
    title = _subject(title)
    endpoints = WebhookEndpoint.objects.filter(zone=zone, unit=unit, is_active=True).only("pk")
    keys = {f"{zone.pk}:{dedupe_key}:webhook:{endpoint.pk}": endpoint for endpoint in endpoints}
    done = set(OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                zone=zone,
                channel=Channel.WEBHOOK,
                endpoint=endpoint,
                subject=title,
                payload=content(title, body, link),
                dedupe_key=key,
                next_attempt_at=now,
            )
            for key, endpoint in keys.items()
            if key not in done
        ],
        ignore_conflicts=True,
    )
    return len(keys) - len(done)


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def mark_all_read(zone: Zone, user: User) -> int:
    return Notification.objects.filter(zone=zone, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


ENDPOINT_FIELDS = ("name", "platform", "url", "secret", "unit", "is_active")


def _audit_endpoint(
    endpoint: WebhookEndpoint,
    by: Actor,
    request: HttpRequest | None,
    detail: dict[str, Any],
    outcome: str = AuditOutcome.SUCCESS,
) -> None:
    """The URL carries the robot's access token and the secret signs for it: neither goes in the trail."""
    host = urlsplit(endpoint.url).hostname or ""
    record(
        Event.ENDPOINT_CHANGE,
        request=request,
        user=by,
        zone=endpoint.zone,
        obj=endpoint,
        outcome=outcome,
        detail={"platform": endpoint.platform, "host": host} | detail,
    )


@transaction.atomic
def create_endpoint(
    zone: Zone, data: dict[str, Any], by: Actor, request: HttpRequest | None = None
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(zone=zone, **{f: data[f] for f in ENDPOINT_FIELDS if f in data})
    changed_by(endpoint, by)
    endpoint.save()
    _audit_endpoint(endpoint, by, request, {"action": "create"})
    return endpoint


@transaction.atomic
def update_endpoint(
    endpoint: WebhookEndpoint,
    changes: dict[str, Any],
    by: Actor,
    request: HttpRequest | None = None,
    action: str = "update",
) -> WebhookEndpoint:
    changed = apply_changes(endpoint, ENDPOINT_FIELDS, changes, by)
    if changed:
        _audit_endpoint(endpoint, by, request, {"action": action, "fields": changed})
    return endpoint


def deactivate_endpoint(
    endpoint: WebhookEndpoint, by: Actor, request: HttpRequest | None = None
) -> WebhookEndpoint:
    """Messages still waiting for a deactivated robot are given up when the worker reaches them."""
    return update_endpoint(endpoint, {"is_active": False}, by, request, action="deactivate")


def send_test_message(endpoint: WebhookEndpoint, by: User, request: HttpRequest | None = None) -> Outcome:
    """Send now, through the same checks as the worker, and keep the result in the outbox and the audit trail.
    A failed test is not retried by itself (it is dead at once); the outbox's 立即重试 can send it again."""
    title = _("落实平台测试消息")
    text = _("%(name)s 发送的测试消息：群机器人“%(robot)s”已接通。") % {
        "name": by.first_name or by.username,
        "robot": endpoint.name,
    }
    message = content(title, text, "")
    started, clock = timezone.now(), time.monotonic()
    outcome = send_webhook(endpoint, message)  # outside any transaction: no lock is held while we wait
    duration_ms = int((time.monotonic() - clock) * 1000)
    with transaction.atomic():
        queued = OutboxMessage.objects.create(
            zone_id=endpoint.zone_id,
            channel=Channel.WEBHOOK,
            endpoint=endpoint,
            subject=title,
            payload=message,
            dedupe_key=f"{endpoint.zone_id}:test:{endpoint.pk}:{uuid4().hex}",
            next_attempt_at=started,
            status=OutboxStatus.SENT if outcome.ok else OutboxStatus.DEAD,
            attempts=1,
            sent_at=timezone.now() if outcome.ok else None,
            last_error=outcome.error,
            last_status_code=outcome.status_code,
            last_platform_code=outcome.platform_code,
        )
        _log_attempt(queued, started, duration_ms, outcome)
        detail = {
            "action": "test",
            "message": queued.pk,
            "status_code": outcome.status_code,
            "platform_code": outcome.platform_code,
            "error": outcome.error[:200],
        }
        result = AuditOutcome.SUCCESS if outcome.ok else AuditOutcome.FAILURE
        _audit_endpoint(endpoint, by, request, detail, result)
    return outcome


def retry_message(message: OutboxMessage) -> bool:
    """Give a dead message a fresh set of attempts, due now. False when it was not dead (any more)."""
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.DEAD).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None
        )
    )


# The worker's writes ------------------------------------------------------------------------------------------


def _due(now: datetime) -> Q:
    """Pending and due, or claimed by a worker whose lease ran out (it died or hung mid-send)."""
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, lease_until__lt=now
    )


def due_ids(now: datetime, batch: int) -> list[int]:
    ids = (
        OutboxMessage.objects.filter(_due(now)).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    )
    if connection.vendor == "postgresql":
        # Concurrent workers take different rows instead of queueing behind each other's locks.
        ids = ids.select_for_update(skip_locked=True)
    return list(ids[:batch])


def claim(ids: list[int], worker: str, now: datetime, lease: timedelta) -> list[OutboxMessage]:
    """Take the rows that are still due; a row another worker claimed meanwhile no longer matches `_due`."""
    until = now + lease
    OutboxMessage.objects.filter(_due(now), pk__in=ids).update(
        status=OutboxStatus.SENDING, claimed_by=worker, lease_until=until, attempts=F("attempts") + 1
    )
    mine = OutboxMessage.objects.filter(
        pk__in=ids, status=OutboxStatus.SENDING, claimed_by=worker, lease_until=until
    )
    return list(mine.select_related("endpoint").order_by("next_attempt_at", "pk"))


def claim_due(worker: str, batch: int, lease: timedelta) -> list[OutboxMessage]:
    now = timezone.now()
    with transaction.atomic():  # on SQLite an IMMEDIATE transaction: claimers take turns
        return claim(due_ids(now, batch), worker, now, lease)


def backoff(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, capped at an hour; jitter spreads retries of a burst."""
    seconds = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=seconds * random.uniform(0.75, 1.0))


def _log_attempt(message: OutboxMessage, started: datetime, duration_ms: int, outcome: Outcome) -> None:
    DeliveryAttempt.objects.create(
        message=message,
        started=started,
        duration_ms=duration_ms,
        ok=outcome.ok,
        status_code=outcome.status_code,
        platform_code=outcome.platform_code,
        error=outcome.error[:2000],
    )


@transaction.atomic
def record_delivery(
    message: OutboxMessage, worker: str, started: datetime, duration_ms: int, outcome: Outcome
) -> str:
    """Log the attempt and settle the message: sent, back to pending with back-off, or dead."""
    _log_attempt(message, started, duration_ms, outcome)
    now = timezone.now()
    changes: dict[str, Any] = {
        "lease_until": None,
        "last_status_code": outcome.status_code,
        "last_platform_code": outcome.platform_code,
    }
    if outcome.ok:
        changes |= {"status": OutboxStatus.SENT, "sent_at": now, "last_error": ""}
    elif outcome.permanent or message.attempts >= settings.LUOSHI_OUTBOX_MAX_ATTEMPTS:
        changes |= {"status": OutboxStatus.DEAD, "last_error": outcome.error}
    else:
        changes |= {
            "status": OutboxStatus.PENDING,
            "next_attempt_at": now + backoff(message.attempts),
            "last_error": outcome.error,
        }
    # Only while the claim is still ours: after a lost lease another worker owns the row.
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING, claimed_by=worker).update(
        **changes
    )
    return changes["status"]


def release_claims(worker: str, ids: list[int]) -> int:
    """A stopping worker hands back what it claimed but did not send, without counting an attempt."""
    return OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.SENDING, claimed_by=worker).update(
        status=OutboxStatus.PENDING, lease_until=None, attempts=F("attempts") - 1
    )
