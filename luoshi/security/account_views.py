"""One's own account: password, two-factor login, where one is signed in."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.org import actions as org_actions
from luoshi.org.queries import user_zones
from luoshi.security import sessions, two_factor
from luoshi.security.forms import OwnPasswordForm, TokenForm
from luoshi.security.policy import policy_for


class SignedInRequest(HttpRequest):
    user: User


@require_safe
@login_required
def account(request: SignedInRequest) -> HttpResponse:
    user = request.user
    context = {
        "sessions": sessions.sessions_of(user),
        "current_key": request.session.session_key,
        "has_device": two_factor.has_device(user),
        "policy": policy_for(user),
        "zones": user_zones(user),
    }
    return render(request, "security/account.html", context)


@login_required
def password(request: SignedInRequest) -> HttpResponse:
    form = OwnPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        org_actions.set_password(request.user, form.cleaned_data["password"], by=request.user)
        sessions.end_sessions(request.user, keep=old_key)
        update_session_auth_hash(request, request.user)  # this browser stays signed in, under a new key
        sessions.rekey(old_key, request.session.session_key)
        sessions.refresh_step(request)
        messages.success(request, _("密码已修改，其他设备上的登录已退出"))
        return redirect("security:account")
    step = (request.session.get(sessions.SESSION_KEY) or {}).get("force")
    return render(request, "security/password.html", {"form": form, "forced": step == "password"})


@login_required
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    """Enrol an authenticator: scan the QR code (drawn here), type a code to confirm, keep the recovery codes."""
    user = request.user
    if two_factor.has_device(user):
        return render(request, "security/two_factor.html", {"enrolled": True, "form": TokenForm()})
    device = two_factor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(user, device, form.cleaned_data["token"])
        if codes is not None:
            sessions.refresh_step(request)
            messages.success(request, _("双因素认证已启用"))
            return render(request, "security/recovery_codes.html", {"codes": codes})
        form.add_error("token", _("验证码不正确，请确认手机时间准确后重试"))
    step = (request.session.get(sessions.SESSION_KEY) or {}).get("force")
    context = {
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "forced": step == "two_factor",
    }
    return render(request, "security/two_factor.html", context)


@require_POST
@login_required
def recovery_codes(request: SignedInRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), after a code from the authenticator."""
    form = TokenForm(request.POST)
    if form.is_valid() and two_factor.verify(request.user, form.cleaned_data["token"]) is not None:
        codes = two_factor.new_recovery_codes(request.user)
        return render(request, "security/recovery_codes.html", {"codes": codes})
    messages.error(request, _("验证码不正确，恢复码未更换"))
    return redirect("security:two_factor")


@require_POST
@login_required
def two_factor_remove(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if policy_for(request.user).two_factor_required:
        messages.error(request, _("您所在园区要求管理员和督查室使用双因素认证，不能停用"))
    elif form.is_valid() and two_factor.verify(request.user, form.cleaned_data["token"]) is not None:
        two_factor.remove(request.user, by=request.user)
        messages.success(request, _("双因素认证已停用"))
    else:
        messages.error(request, _("验证码不正确，双因素认证未停用"))
    return redirect("security:two_factor")


@require_POST
@login_required
def end_sessions(request: SignedInRequest) -> HttpResponse:
    """Sign out everywhere: every other browser, and this one too when asked."""
    everywhere = request.POST.get("scope") == "all"
    count = sessions.end_sessions(request.user, keep=None if everywhere else request.session.session_key)
    if everywhere:
        logout(request)
        return redirect("login")
    messages.success(request, _("已退出其他 %(count)s 个登录") % {"count": count})
    return redirect("security:account")
