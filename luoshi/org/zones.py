"""The zone part of every URL: resolves the user's Access once, before the view runs."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django_htmx.middleware import HtmxDetails

from luoshi.org.queries import Access, access_for


class ZoneRequest(HttpRequest):
    """What a zone view receives: a logged-in user, their Access (templates read it too) and htmx details."""

    user: User
    access: Access
    htmx: HtmxDetails


def zone_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Log-in required; the view receives `access` instead of the zone code. Unknown zones are 404. A page is
    for staff unless `open_to` says more: the auditor (审计管理员, 三权分立), an enterprise's account and a financial
    institution's each see only the pages made for them."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, zone: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        zone_request = cast(ZoneRequest, request)
        zone_request.access = access_for(zone_request.user, zone)
        if zone_request.access.audience not in getattr(view, "audiences", ("staff",)):
            raise Http404
        return view(zone_request, zone_request.access, *args, **kwargs)

    return wrapper


def auditor_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A zone page for the auditor role (the audit trail): only auditors open it, admins included not."""
    view.audiences = ("auditor",)  # type: ignore[attr-defined]
    return zone_view(view)


def open_to(*audiences: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Below @zone_view (it marks the view zone_view wraps): the page is also for these audiences ("enterprise", "institution"); the view itself
    narrows what each sees."""

    def mark(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        view.audiences = ("staff", *audiences)  # type: ignore[attr-defined]
        return view

    return mark
