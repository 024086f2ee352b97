"""Who made a change: django-simple-history reads it from the instance when it writes the history row."""

from django.contrib.auth.models import User
from django.db.models import Model

Actor = User | None


def changed_by(obj: Model, user: Actor) -> None:
    """Name the person behind the next save or delete of `obj` (None: the system, e.g. an import command)."""
    obj._history_user = user  # type: ignore[attr-defined]
