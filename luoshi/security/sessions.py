"""Who is signed in where, and the session rules: idle timeout and absolute lifetime (zone settings), ending
one's other sessions. The rules a session is held to are read once at login and kept in the session, so a
request costs no extra query."""

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from luoshi.audit.actions import client_address, record
from luoshi.audit.choices import Event
from luoshi.security.models import UserSession
from luoshi.security.policy import Policy, password_change_due, policy_for
from luoshi.security.two_factor import has_device

SESSION_KEY = "luoshi_security"
SEEN_EVERY = 60  # seconds between writes of "last seen"


def start(request: HttpRequest, user: User) -> None:
    """At login: the rules this session is held to, what the person must do first, and the session row."""
    policy = policy_for(user)
    now = time.time()
    request.session[SESSION_KEY] = {
        "idle": policy.idle_minutes * 60,
        "max": policy.max_hours * 3600,
        "started": now,
        "seen": now,
        "force": pending_step(user, policy),
    }
    key = request.session.session_key
    if key is None:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


def pending_step(user: User, policy: Policy | None = None) -> str:
    """What a person must do before anything else: choose a password, or set up two-factor login."""
    policy = policy or policy_for(user)
    if password_change_due(user, policy):
        return "password"
    if policy.two_factor_required and not has_device(user):
        return "two_factor"
    return ""


def refresh_step(request: HttpRequest) -> None:
    state = request.session.get(SESSION_KEY)
    if state is not None:
        state["force"] = pending_step(request.user)  # type: ignore[arg-type]  # signed in: a User
        request.session.modified = True


def expired(request: HttpRequest) -> str:
    """ "idle" or "lifetime" when the session has run out, else ""; notes the activity at most once a minute."""
    state = request.session.get(SESSION_KEY)
    if state is None:
        return ""
    now = time.time()
    if now - state["started"] > state["max"]:
        return "lifetime"
    if now - state["seen"] > state["idle"]:
        return "idle"
    if now - state["seen"] > SEEN_EVERY:
        state["seen"] = now
        request.session.modified = True
        UserSession.objects.filter(session_key=request.session.session_key).update(last_seen=timezone.now())
    return ""


def forget(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def rekey(old: str | None, new: str | None) -> None:
    if old and new and old != new:
        UserSession.objects.filter(session_key=old).update(session_key=new)


def sessions_of(user: User) -> list[UserSession]:
    return list(UserSession.objects.filter(user=user))


@transaction.atomic
def end_sessions(user: User, keep: str | None, by: User | None = None) -> int:
    """Sign the person out of every browser but `keep` (None: all of them)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    record(Event.SESSION_REVOKE, user=by or user, obj=user, detail={"sessions": len(keys)})
    return len(keys)
