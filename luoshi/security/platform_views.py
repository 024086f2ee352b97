"""The platform administrator's pages (a Django superuser, outside every zone): accounts that span zones —
reset a password, (de)activate, unlock, clear two-factor login."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.org import actions as org_actions
from luoshi.org.forms import PasswordForm
from luoshi.security import lockouts, two_factor
from luoshi.security.account_views import SignedInRequest


def platform_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_superuser:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@platform_view
def people(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    users = User.objects.order_by("username").prefetch_related("memberships__zone", "memberships__unit")
    if query:
        users = users.filter(username__icontains=query) | users.filter(first_name__icontains=query)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    locked = lockouts.locked_usernames([u.username for u in page])
    context = {"page": page, "q": query, "locked": locked, "year": timezone.localdate().year}
    return render(request, "security/platform_people.html", context)


@require_safe
@platform_view
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("zone", "unit"),
        "password_form": PasswordForm(user=person),
        "locked": bool(lockouts.locked_usernames([person.username])),
        "has_device": two_factor.has_device(person),
    }
    return render(request, "security/platform_person.html", context)


@require_POST
@platform_view
def person_action(request: SignedInRequest, user_id: int, what: str) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    if what == "password":
        form = PasswordForm(request.POST, user=person)
        if form.is_valid():
            org_actions.set_password(person, form.cleaned_data["password"], by=request.user)
            messages.success(request, _("密码已重置，该人员下次登录时须修改密码"))
        else:
            messages.error(request, " ".join(str(e) for e in form.errors.get("password", [])))
    elif what == "active" and person.pk != request.user.pk:
        org_actions.set_person_active(person, request.POST.get("active") == "1", by=request.user)
        messages.success(request, _("账号已启用") if person.is_active else _("账号已停用"))
    elif what == "unlock":
        lockouts.unlock(person.username, by=request.user)
        messages.success(request, _("已解除锁定"))
    elif what == "two_factor":
        two_factor.remove(person, by=request.user)
        messages.success(request, _("已清除双因素认证，该人员下次登录时重新绑定"))
    else:
        raise Http404
    return redirect("security:platform_person", person.pk)
