"""django-axes configuration: per account and per address, limits from the strictest zone of the account
(settings.AXES_*). An unknown username gets the defaults, so it locks exactly like a real one."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest

from luoshi.audit.actions import client_address
from luoshi.security.policy import Policy, policy_for_username


def _policy(request: HttpRequest | None, username: str | None = None) -> Policy:
    if username is None and request is not None:
        username = request.POST.get("username") if request.method == "POST" else None
    return policy_for_username(username)


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    username = (credentials or {}).get("username")
    return _policy(request, username).lockout_failures


def cool_off(request: HttpRequest | None) -> timedelta:
    return timedelta(minutes=_policy(request).lockout_minutes)


def client_ip(request: HttpRequest) -> str | None:
    return client_address(request)
