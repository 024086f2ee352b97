"""Writing the security audit trail. Every security-relevant action calls `record` in the same transaction as
the change it records, so a change that rolls back leaves no row claiming it happened."""

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model
from django.http import HttpRequest

from luoshi.audit.choices import Event, Outcome
from luoshi.audit.middleware import current_request
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
    zone: Any = None,  # an org.Zone: the audit trail sits below org and imports none of it
    obj: Model | None = None,
    object_type: str = "",
    object_repr: str = "",
    outcome: Outcome | str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row. The request defaults to the one being served (none in commands and workers); the person
    and zone default to the request's; `obj` names what was acted on."""
    if request is None:
        request = current_request.get()
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
        object_repr=(object_repr or _describe(obj))[:200],
        outcome=str(outcome),
        detail=detail or {},
    )


def _describe(obj: Model | None) -> str:
    """People by name with their account (an auditor asks "who", and accounts are what logins show)."""
    if obj is None:
        return ""
    if isinstance(obj, User):
        return f"{obj.first_name}（{obj.username}）" if obj.first_name else obj.username
    return str(obj)
