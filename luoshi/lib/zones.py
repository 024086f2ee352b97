"""The zone part of every URL: resolves the user's Access once, before the view runs."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from luoshi.org.queries import access_for


def zone_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log-in required; the view receives `access` instead of the zone code. Unknown zones are 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, zone: str, *args, **kwargs) -> HttpResponse:
        access = access_for(request.user, zone)
        request.access = access  # for templates: navigation and role badges
        return view(request, access, *args, **kwargs)

    return wrapper
