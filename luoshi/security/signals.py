"""Django's and django-axes' login signals are the only place every login, logout, failure and lockout passes
through (the login page, the test client, the admin), so the audit rows for them are written here."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from luoshi.audit.actions import record
from luoshi.audit.choices import Event, Outcome
from luoshi.security import sessions


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record(Event.LOGIN, request=request, user=user)
    if request is not None and hasattr(request, "session"):
        sessions.start(request, user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(Event.LOGOUT, request=request, user=user)
    if request is not None and hasattr(request, "session"):
        sessions.forget(request.session.session_key)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))
    record(Event.LOGIN_FAILED, request=request, username=username, outcome=Outcome.FAILURE)


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    record(
        Event.LOCKOUT,
        request=request,
        username=username or "",
        outcome=Outcome.DENIED,
        detail={"address": kwargs.get("ip_address") or ""},
    )
