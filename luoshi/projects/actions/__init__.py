"""Writes for key projects, by topic: ledger (the projects themselves), stages (stages and approvals),
investment, blockers, photos, dispatch (weekly meetings and their decisions), boundary (the zone's map outline)
and imports (a whole ledger at once). Each write is atomic and recorded (django-simple-history). The project row
repeats the latest actual investment (`completed_wan`, `completed_month`) and the most advanced stage reached,
and only these functions change what it repeats."""

from collections.abc import Sequence

from django.db.models import Model

from luoshi.lib.history import Actor, changed_by


class ProjectError(ValueError):
    """A write refused for a reason the user can fix; the message is in the user's language."""


def save(obj: Model, user: Actor, update_fields: Sequence[str] | None = None) -> None:
    changed_by(obj, user)
    obj.save(update_fields=update_fields)
