"""One helper for htmx fragments: the same template answers both full pages and partial swaps."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], partial: str | None = None, **kwargs: Any
) -> HttpResponse:
    """Render `template`, or only its `{% partialdef partial %}` when htmx asks for a fragment."""
    htmx = getattr(request, "htmx", None)  # set by django_htmx's middleware
    if partial and htmx and not htmx.boosted:
        return render(request, f"{template}#{partial}", context, **kwargs)
    return render(request, template, context, **kwargs)
