"""Writes to the organisation. Each function is atomic and leaves a history record (django-simple-history)."""

from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.org.choices import UnitType
from luoshi.org.models import Account, Membership, Park, Unit, Zone


@transaction.atomic
def create_zone(code: str, name: str, short_name: str = "") -> Zone:
    return Zone.objects.create(code=code, name=name, short_name=short_name)


@transaction.atomic
def create_park(zone: Zone, name: str, position: int | None = None) -> Park:
    if position is None:
        position = Park.objects.filter(zone=zone).count()
    return Park.objects.create(zone=zone, name=name, position=position)


@transaction.atomic
def rename_park(park: Park, name: str) -> Park:
    if park.name != name:
        park.name = name
        park.save(update_fields=["name"])
    return park


@transaction.atomic
def create_unit(
    zone: Zone,
    name: str,
    *,
    type: str = UnitType.DEPARTMENT,
    parent: Unit | None = None,
    park: Park | None = None,
    aliases: str = "",
    position: int | None = None,
    user: Actor = None,
) -> Unit:
    if position is None:
        position = Unit.objects.filter(zone=zone).count()
    unit = Unit(
        zone=zone, name=name.strip(), type=type, parent=parent, park=park, aliases=aliases, position=position
    )
    changed_by(unit, user)
    unit.save()
    return unit


UNIT_FIELDS = ("name", "aliases", "type", "parent", "park", "position", "is_active")


@transaction.atomic
def update_unit(unit: Unit, changes: dict[str, Any], user: Actor) -> Unit:
    apply_changes(unit, UNIT_FIELDS, changes, user)
    return unit


@transaction.atomic
def add_member(
    zone: Zone,
    user: User,
    role: str,
    unit: Unit | None = None,
    by: Actor = None,
) -> Membership:
    membership = Membership(zone=zone, user=user, role=role, unit=unit)
    changed_by(membership, by)
    membership.save()
    record(
        Event.ROLE_ADD, user=by, zone=zone, obj=user, detail={"role": role, "unit": unit.name if unit else ""}
    )
    return membership


@transaction.atomic
def create_person(
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    by: Actor = None,
    zone: Zone | None = None,
    phone: str = "",
) -> User:
    """A login for a person; their roles come from add_member. Set up by an admin (`by`), the person chooses a
    new password at the first login: the admin should not know it. No password (None): a person on record who
    cannot sign in until an admin sets one."""
    person = User.objects.create_user(username=username, password=password, first_name=full_name, email=email)
    Account.objects.create(
        user=person, phone=phone, must_change_password=by is not None, password_changed=timezone.now()
    )
    if by is not None:
        record(Event.PERSON_CREATE, user=by, zone=zone, obj=person)
    return person


@transaction.atomic
def set_contact(person: User, email: str, phone: str) -> None:
    if person.email != email:
        person.email = email
        person.save(update_fields=["email"])
    Account.objects.update_or_create(user=person, defaults={"phone": phone})


@transaction.atomic
def remove_member(membership: Membership, by: Actor) -> None:
    changed_by(membership, by)
    record(
        Event.ROLE_REMOVE,
        user=by,
        zone=membership.zone,
        obj=membership.user,
        detail={"role": membership.role, "unit": membership.unit.name if membership.unit else ""},
    )
    membership.delete()


@transaction.atomic
def set_password(user: User, password: str, by: Actor = None, zone: Zone | None = None) -> None:
    """Set a password. Chosen by the person themselves (`by` is the person or None) it counts from now for the
    expiry; set by an admin it must be changed at the next login. Either way their other sessions end (Django
    signs sessions with the password hash)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    by_admin = by is not None and by.pk != user.pk
    Account.objects.update_or_create(
        user=user, defaults={"must_change_password": by_admin, "password_changed": timezone.now()}
    )
    record(Event.PASSWORD_RESET if by_admin else Event.PASSWORD_CHANGE, user=by or user, zone=zone, obj=user)


@transaction.atomic
def set_person_active(user: User, active: bool, by: Actor = None, zone: Zone | None = None) -> None:
    """A person who leaves keeps their history; they just cannot log in any more."""
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(Event.PERSON_ACTIVE, user=by, zone=zone, obj=user, detail={"active": active})


@transaction.atomic
def update_security_settings(zone: Zone, changes: dict[str, Any], by: Actor) -> list[str]:
    """The zone's security settings; every change is in the audit trail with its old and new value."""
    old = {field: getattr(zone, field) for field in SECURITY_FIELDS}
    changed = [f for f in SECURITY_FIELDS if f in changes and old[f] != changes[f]]
    for field in changed:
        setattr(zone, field, changes[field])
    if changed:
        zone.save(update_fields=changed)
        detail = {field: [old[field], changes[field]] for field in changed}
        record(Event.SETTINGS_CHANGE, user=by, zone=zone, obj=zone, detail=detail)
    return changed


SECURITY_FIELDS = (
    "two_factor_required",
    "session_idle_minutes",
    "session_max_hours",
    "password_max_age_days",
    "lockout_failures",
    "lockout_minutes",
)


@transaction.atomic
def delete_zone(zone: Zone, user: Actor) -> None:
    """Delete a zone with everything in it. Units protect the items, projects, blockers and decisions they
    answer for, and the units under them, so the zone cannot go in one cascade: plans and the project ledger
    first, then units from the leaves up, then the zone."""
    for plan in zone.plans.all():
        changed_by(plan, user)
        plan.delete()
    # Dispatch meetings take their decisions, and projects their blockers and sub-projects.
    for model in (apps.get_model("projects", "DispatchMeeting"), apps.get_model("projects", "Project")):
        model.objects.filter(zone=zone).delete()
    units = list(Unit.objects.filter(zone=zone))
    while units:
        parents = {u.parent_id for u in units}
        leaves = [u for u in units if u.pk not in parents]
        units = [u for u in units if u.pk in parents]
        for unit in leaves:
            changed_by(unit, user)
            unit.delete()
    zone.delete()
