"""Who made a change: django-simple-history reads it from the instance when it writes the history row."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model

Actor = User | None


def apply_changes(obj: Model, allowed: Sequence[str], changes: Mapping[str, Any], user: Actor) -> list[str]:
    """Set the allowed fields that really change and save only those, so a no-op writes no history row.
    Returns the names of the fields that changed."""
    changed = [f for f in allowed if f in changes and getattr(obj, f) != changes[f]]
    for field in changed:
        setattr(obj, field, changes[field])
    if changed:
        changed_by(obj, user)
        obj.save(update_fields=changed)
    return changed


def changed_by(obj: Model, user: Actor) -> None:
    """Name the person behind the next save or delete of `obj` (None: the system, e.g. an import command)."""
    obj._history_user = user  # type: ignore[attr-defined]  # read by simple_history on save
