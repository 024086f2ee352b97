"""The leader's cockpit as a big screen (驾驶舱大屏): the cockpit's figures (front.cockpit) on a dark
1920×1080 page that fits one screen, reloads itself and rotates its lower-right panels."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from luoshi.front import cockpit as cockpit_reads
from luoshi.front.pace import PACE_RULES
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view

SCREEN_UNITS = 8  # lines of the per-unit lists (missing reports, open blockers) that fit their panel
SCREEN_PLANS = 6  # plans shown with their pace bars


@require_safe
@zone_view
def cockpit_screen(request: ZoneRequest, access: Access) -> HttpResponse:
    """Zone-wide figures, for those who read the whole zone (admin, office, leaders, viewers); a unit's people
    have their own home pages."""
    if not access.zone_wide:
        raise Http404
    c = cockpit_reads.cockpit(access, timezone.localdate(), timezone.now())
    context = {
        "c": c,
        "plans": c.plans[:SCREEN_PLANS],
        "more_plans": max(0, len(c.plans) - SCREEN_PLANS),
        "missing": c.missing_units[:SCREEN_UNITS],
        "more_missing": max(0, len(c.missing_units) - SCREEN_UNITS),
        "blockers": c.blocker_units[:SCREEN_UNITS],
        "escalated": c.escalated[:SCREEN_UNITS],
        "rules": PACE_RULES,
    }
    return render(request, "front/screen_cockpit.html", context)
