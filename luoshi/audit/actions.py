"""Writing the security audit trail. Every security-relevant action calls `record` in the same transaction as
the change it records, so a change that rolls back leaves no row claiming it happened."""

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model
from django.http import HttpRequest

from luoshi.audit.choices import Event, Outcome
from luoshi.audit.models import AuditEvent


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address. Behind the reverse proxy the README describes (LUOSHI_BEHIND_PROXY), the
    proxy appends the address it saw as the last X-Forwarded-For entry; anything before it is the client's word."""
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.LUOSHI_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def record(
    event: Event | str,
    *,
    request: HttpRequest | None = None,
    user: User | AnonymousUser | None = None,
    username: str = "",
    zone: Model | None = None,
    obj: Model | None = None,
    object_type: str = "",
    object_repr: str = "",
    outcome: Outcome | str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row. The person and zone default to the request's; `obj` names what was acted on."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if zone is None and request is not None:
        access = getattr(request, "access", None)
        zone = access.zone if access is not None else None
    person = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        user=person,
        username=(person.get_username() if person is not None else username)[:150],
        zone=zone,
        zone_code=str(getattr(zone, "code", ""))[:40],
        address=client_address(request),
        event=str(event),
        object_type=(object_type or (obj._meta.label if obj is not None else ""))[:60],
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        outcome=str(outcome),
        detail=detail or {},
    )
