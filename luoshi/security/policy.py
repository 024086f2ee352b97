"""The security settings a person is held to: the strictest of the zones they hold a role in (Zone fields set by
each zone's admin on the 安全设置 page)."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from luoshi.org.choices import Role
from luoshi.org.models import Account, Membership, Zone

# Roles a zone's "two factors required" setting applies to: those who can change the plan and people.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
DEFAULTS = Zone(session_idle_minutes=30, session_max_hours=12, lockout_failures=5, lockout_minutes=30)


@dataclass(frozen=True)
class Policy:
    idle_minutes: int
    max_hours: int
    password_max_age_days: int  # 0: no expiry
    two_factor_required: bool
    lockout_failures: int
    lockout_minutes: int


def policy_for(user: User | None) -> Policy:
    rows = list(Membership.objects.filter(user=user).select_related("zone")) if user is not None else []
    zones = {m.zone_id: m.zone for m in rows} or {0: DEFAULTS}
    ages = [z.password_max_age_days for z in zones.values() if z.password_max_age_days]
    return Policy(
        idle_minutes=max(1, min(z.session_idle_minutes for z in zones.values())),
        max_hours=max(1, min(z.session_max_hours for z in zones.values())),
        password_max_age_days=min(ages) if ages else 0,
        two_factor_required=any(m.zone.two_factor_required and m.role in TWO_FACTOR_ROLES for m in rows),
        lockout_failures=max(1, min(z.lockout_failures for z in zones.values())),
        lockout_minutes=max(z.lockout_minutes for z in zones.values()),
    )


def policy_for_username(username: str | None) -> Policy:
    """The policy of whoever owns `username`; an unknown name gets the defaults, exactly like a real one."""
    return policy_for(User.objects.filter(username=username).first() if username else None)


def password_change_due(user: User, policy: Policy) -> bool:
    """Set by an admin (must choose their own) or older than the strictest zone allows."""
    state = Account.objects.filter(user=user).first()
    if state is None:
        return False
    if state.must_change_password:
        return True
    if policy.password_max_age_days and state.password_changed is not None:
        return timezone.now() - state.password_changed > timedelta(days=policy.password_max_age_days)
    return False
