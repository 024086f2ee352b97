"""Who may see what. Every view goes through these helpers; none filters by hand."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from luoshi.org.choices import PLAN_EDITOR_ROLES, SOLE_ROLES, UNIT_ROLES, ZONE_WIDE_ROLES, Role
from luoshi.org.models import Account, Membership, Park, Unit, Zone


@dataclass(frozen=True)
class Access:
    """A user's standing in one zone, read once per request from their memberships."""

    zone: Zone
    user_id: int
    roles: frozenset[str]
    unit_ids: frozenset[int]

    @property
    def zone_wide(self) -> bool:
        return bool(self.roles & ZONE_WIDE_ROLES)

    @property
    def fills_reports(self) -> bool:
        """A unit's liaison or head: a leader in charge of units (分管领导) reads their reports, never fills them."""
        return bool(self.roles & UNIT_ROLES and self.unit_ids)

    @property
    def edits_plans(self) -> bool:
        return bool(self.roles & PLAN_EDITOR_ROLES)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_auditor(self) -> bool:
        return Role.AUDITOR in self.roles

    @property
    def audience(self) -> str:
        """Whose pages the person sees: a role held alone (auditor, enterprise, institution) or "staff"."""
        return next((str(r) for r in SOLE_ROLES if r in self.roles), "staff")

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in Role.values if r in self.roles]


def user_zones(user: User | AnonymousUser) -> QuerySet[Zone]:
    if not user.is_authenticated:
        return Zone.objects.none()
    return Zone.objects.filter(memberships__user=user).distinct().order_by("id")


def zone_roles(user: User, zone: Zone) -> list[str]:
    return list(Membership.objects.filter(user=user, zone=zone).values_list("role", flat=True))


def access_for(user: User | AnonymousUser, zone_code: str) -> Access:
    """The user's access to the zone; a zone they do not belong to does not exist for them."""
    if not user.is_authenticated:
        raise Http404
    rows = list(
        Membership.objects.filter(user=user, zone__code=zone_code)
        .select_related("zone")
        .only("role", "unit_id", "zone__id", "zone__code", "zone__name", "zone__short_name")
    )
    if not rows:
        raise Http404
    return Access(
        zone=rows[0].zone,
        user_id=user.pk,
        roles=frozenset(m.role for m in rows),
        unit_ids=frozenset(m.unit_id for m in rows if m.unit_id),
    )


def visible_units(access: Access) -> QuerySet[Unit]:
    return Unit.objects.filter(zone=access.zone)


def visible_parks(access: Access) -> QuerySet[Park]:
    return Park.objects.filter(zone=access.zone)


def get_unit(access: Access, unit_id: int) -> Unit:
    """Units are public within their zone (everyone needs to know who does what)."""
    try:
        return visible_units(access).get(pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404 from None


def zone_memberships(access: Access) -> QuerySet[Membership]:
    """People and their roles in the zone: the admin's to manage."""
    if not access.is_admin:
        raise Http404
    return (
        Membership.objects.filter(zone=access.zone)
        .select_related("user", "unit")
        .order_by("user__username", "id")
    )


def get_person(access: Access, user_id: int) -> User:
    """A person the admin may manage: one with a role in the admin's zone."""
    membership = zone_memberships(access).filter(user_id=user_id).first()
    if membership is None:
        raise Http404
    return membership.user


def manages_account(access: Access, person: User) -> bool:
    """Whether the zone's admin may reset the person's password or (de)activate the account: only when every
    role the person holds is in this zone. An account shared with another zone, or a platform administrator, is
    the platform administrator's: otherwise zone A's admin could take over zone B through it."""
    if not access.is_admin or person.is_superuser:
        return False
    return not Membership.objects.filter(user=person).exclude(zone=access.zone).exists()


def auditor_conflict(person: User, role: str) -> bool:
    """三权分立: the auditor's account holds no other role anywhere, so nobody reads the trail of what they do
    themselves (an admin who made themselves auditor could). An enterprise's or an institution's account is
    likewise nobody else's."""
    others = Membership.objects.filter(user=person).exclude(role=role).values_list("role", flat=True)
    roles = set(others)
    return bool(roles) and (role in SOLE_ROLES or bool(roles & set(SOLE_ROLES)))


def phone_of(person: User) -> str:
    return Account.objects.filter(user=person).values_list("phone", flat=True).first() or ""


def get_membership(access: Access, membership_id: int) -> Membership:
    try:
        return zone_memberships(access).get(pk=membership_id)
    except Membership.DoesNotExist:
        raise Http404 from None


def can_edit_units(access: Access) -> bool:
    """Units and parks are the office's: the zone-wide plan editors add and rename them."""
    return access.edits_plans


def can_manage_zone(access: Access) -> bool:
    """The zone's own settings (security policy, working-day calendar, boundary) are the zone admin's."""
    return access.is_admin


def can_remove_membership(access: Access, membership: Membership) -> bool:
    """An admin cannot remove their own admin role, so a zone is never left without one by accident."""
    return not (membership.user_id == access.user_id and membership.role == Role.ADMIN)


def get_park_for_edit(access: Access, park_id: int) -> Park:
    if not can_edit_units(access):
        raise Http404
    try:
        return visible_parks(access).get(pk=park_id)
    except Park.DoesNotExist:
        raise Http404 from None


def get_unit_for_edit(access: Access, unit_id: int) -> Unit:
    if not can_edit_units(access):
        raise Http404
    return get_unit(access, unit_id)
