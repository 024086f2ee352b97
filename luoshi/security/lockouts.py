"""Locked accounts, as django-axes records them, and unlocking one (recorded)."""

from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth.models import User
from django.db.models import Model
from django.utils import timezone

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.security.policy import policy_for


def locked_usernames(usernames: list[str]) -> set[str]:
    """Those among `usernames` whose failures reach their limit within their lockout period."""
    failures: dict[str, int] = {}
    for attempt in AccessAttempt.objects.filter(username__in=usernames):
        policy = policy_for(User.objects.filter(username=attempt.username).first())
        if timezone.now() - attempt.attempt_time < timedelta(minutes=policy.lockout_minutes):
            failures[attempt.username] = failures.get(attempt.username, 0) + attempt.failures_since_start
    return {name for name, count in failures.items() if count >= _limit(name)}


def _limit(username: str) -> int:
    return policy_for(User.objects.filter(username=username).first()).lockout_failures


def unlock(username: str, by: User, zone: Model | None = None) -> int:
    count = reset(username=username)
    record(
        Event.UNLOCK, user=by, zone=zone, username=username, object_repr=username, detail={"attempts": count}
    )
    return count
