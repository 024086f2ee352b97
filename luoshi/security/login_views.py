"""Logging in: the password (django-axes counts failures per account and per address), then, for people with an
authenticator, the code. Unknown usernames and wrong passwords get the same answer."""

import time
from typing import Any

from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from luoshi.audit.actions import record
from luoshi.audit.choices import Event, Outcome
from luoshi.security import two_factor
from luoshi.security.forms import TokenForm
from luoshi.security.lockout import cool_off

PENDING = "luoshi_pending_login"
PENDING_SECONDS = 300  # the code must follow the password within five minutes
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url("home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if two_factor.has_device(user):
            request.session[PENDING] = {"user": user.pk, "at": time.time(), "next": _next_url(request)}
            return redirect("security:verify")
        login(request, user, backend=BACKEND)
        return redirect(_next_url(request))
    return render(request, "registration/login.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def verify_view(request: HttpRequest) -> HttpResponse:
    """The second step. A wrong code counts as a failed login for the lockout, like a wrong password."""
    pending: dict[str, Any] = request.session.get(PENDING) or {}
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    if user is None or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return redirect("login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["token"])
        if device is not None:
            del request.session[PENDING]
            login(request, user, backend=BACKEND)
            record(Event.OTP_VERIFY, request=request, user=user, detail={"device": device.name})
            return redirect(pending["next"])
        record(Event.OTP_VERIFY, request=request, username=user.username, outcome=Outcome.FAILURE)
        user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING, None)
            return locked_out(request)
        form.add_error("token", _("验证码不正确或已过期"))
    return render(request, "security/verify.html", {"form": form})


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer once an account or address is locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(cool_off(request).total_seconds() // 60)
    context = {"form": AuthenticationForm(request), "locked_minutes": minutes, "next": _next_url(request)}
    return render(request, "registration/login.html", context, status=429)
