"""Per request, from the session alone (no query): end a session that was idle too long or has lived too long,
and hold a person on the password or two-factor page until they have done what their zones require."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from luoshi.security import sessions

# Pages a person may open while held: the step itself, logging out, switching language, static files.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/")


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            held = self.check(request)
            if held is not None:
                return held
        return self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        if sessions.SESSION_KEY not in request.session:  # signed in before these rules existed
            sessions.start(request, request.user)  # type: ignore[arg-type]  # signed in: a User
        ran_out = sessions.expired(request)
        if ran_out:
            logout(request)
            messages.warning(
                request,
                _("长时间未操作，已自动退出，请重新登录")
                if ran_out == "idle"
                else _("登录已超过有效期，请重新登录"),
            )
            return _redirect(request, f"{reverse('login')}?next={request.get_full_path()}")
        step = (request.session.get(sessions.SESSION_KEY) or {}).get("force")
        if step and not request.path.startswith(OPEN_PREFIXES):
            return _redirect(
                request, reverse("security:password" if step == "password" else "security:two_factor")
            )
        return None


def no_store_when_signed_in(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    """Nothing a signed-in person sees — page or download — is kept by the browser or a proxy: a shared office
    computer must not show the last person's supervision records from its cache."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
