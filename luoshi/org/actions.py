"""Writes to the organisation. Each function is atomic and leaves a history record (django-simple-history)."""

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction

from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.org.choices import UnitType
from luoshi.org.models import Membership, Park, Unit, Zone


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
def update_unit(unit: Unit, changes: dict, user: Actor) -> Unit:
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
    return membership


@transaction.atomic
def create_person(username: str, password: str, full_name: str = "", email: str = "") -> User:
    """A login for a person; their roles come from add_member."""
    return User.objects.create_user(username=username, password=password, first_name=full_name, email=email)


@transaction.atomic
def remove_member(membership: Membership, by: Actor) -> None:
    changed_by(membership, by)
    membership.delete()


@transaction.atomic
def set_password(user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def set_person_active(user: User, active: bool) -> None:
    """A person who leaves keeps their history; they just cannot log in any more."""
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])


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
