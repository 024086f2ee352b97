"""Locked accounts, as django-axes records them, and unlocking one (recorded)."""

from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth.models import User
from django.db.models import Model
from django.utils import timezone

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.security.policy import policy_for_username


def locked_usernames(usernames: list[str]) -> set[str]:
    """Those among `usernames` whose failures reach their limit within their lockout period."""
    attempts = list(AccessAttempt.objects.filter(username__in=usernames))
    # Only people with failures on record need their policy: one read each, not one per attempt row.
    policies = {name: policy_for_username(name) for name in {a.username for a in attempts}}
    failures: dict[str, int] = {}
    for attempt in attempts:
        policy = policies[attempt.username]
        if timezone.now() - attempt.attempt_time < timedelta(minutes=policy.lockout_minutes):
            failures[attempt.username] = failures.get(attempt.username, 0) + attempt.failures_since_start
    return {name for name, count in failures.items() if count >= policies[name].lockout_failures}


def unlock(username: str, by: User, zone: Model | None = None) -> int:
    count = reset(username=username)
    record(
        Event.UNLOCK, user=by, zone=zone, username=username, object_repr=username, detail={"attempts": count}
    )
    return count
