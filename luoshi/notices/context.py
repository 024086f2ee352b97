"""The unread badge in the top bar."""

from django.http import HttpRequest

from luoshi.notices.queries import unread_count


def unread(request: HttpRequest) -> dict[str, int]:
    """One COUNT, only on zone pages (`zone_view` sets `request.access` before the template renders)."""
    access = getattr(request, "access", None)
    if access is None or not request.user.is_authenticated:
        return {}
    return {"unread_notices": unread_count(access)}
