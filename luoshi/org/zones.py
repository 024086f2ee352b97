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
    """Log-in required; the view receives `access` instead of the zone code. Unknown zones are 404. The auditor
    (审计管理员, a role held alone) sees only the pages made for auditors, and nobody else sees those (三权分立)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, zone: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        zone_request = cast(ZoneRequest, request)
        zone_request.access = access_for(zone_request.user, zone)
        if zone_request.access.is_auditor != getattr(view, "for_auditors", False):
            raise Http404
        return view(zone_request, zone_request.access, *args, **kwargs)

    return wrapper


def auditor_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A zone page for the auditor role (the audit trail): only auditors open it, admins included not."""
    view.for_auditors = True  # type: ignore[attr-defined]
    return zone_view(view)
