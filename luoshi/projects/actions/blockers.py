"""Blockers (问题): raised, edited, cleared (销号) and reopened."""

from collections.abc import Mapping
from datetime import date

from django.db import transaction

from luoshi.lib.history import Actor, apply_changes
from luoshi.projects.actions import save
from luoshi.projects.choices import BlockerStatus
from luoshi.projects.models import Blocker, Project

BLOCKER_FIELDS = ("description", "category", "unit", "deadline")


@transaction.atomic
def raise_blocker(project: Project, fields: Mapping[str, object], raised_on: date, user: Actor) -> Blocker:
    blocker = Blocker(
        project=project,
        zone_id=project.zone_id,
        raised_on=raised_on,
        **{k: v for k, v in fields.items() if k in BLOCKER_FIELDS},
    )
    save(blocker, user)
    return blocker


@transaction.atomic
def update_blocker(blocker: Blocker, changes: Mapping[str, object], user: Actor) -> list[str]:
    return apply_changes(blocker, BLOCKER_FIELDS, changes, user)


@transaction.atomic
def clear_blocker(blocker: Blocker, resolution: str, on: date, user: Actor) -> Blocker:
    """销号: the blocker is solved. Clearing it again changes nothing."""
    blocker = Blocker.objects.select_for_update().get(pk=blocker.pk)
    if blocker.status != BlockerStatus.CLEARED:
        blocker.status = BlockerStatus.CLEARED
        blocker.cleared_on = on
        blocker.resolution = resolution
        save(blocker, user, ["status", "cleared_on", "resolution"])
    return blocker


@transaction.atomic
def reopen_blocker(blocker: Blocker, user: Actor) -> Blocker:
    blocker = Blocker.objects.select_for_update().get(pk=blocker.pk)
    if blocker.status != BlockerStatus.OPEN:
        blocker.status = BlockerStatus.OPEN
        blocker.cleared_on = None
        save(blocker, user, ["status", "cleared_on"])
    return blocker
