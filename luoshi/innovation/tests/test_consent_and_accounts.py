"""An enterprise's consent to being recommended to financial institutions, and the outside accounts of
enterprises and institutions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from luoshi.conftest import World
from luoshi.innovation import actions, queries
from luoshi.innovation.choices import ConsentScope
from luoshi.innovation.models import Consent, Party
from luoshi.innovation.tests.conftest import NOW, Innov
from luoshi.org.choices import Role
from luoshi.org.models import Membership
from luoshi.org.queries import auditor_conflict

LATER = NOW + timedelta(days=30)


def test_granting_twice_keeps_one_open_consent(world: World, innov: Innov) -> None:
    enterprise = innov.enterprises[0]
    first = actions.grant_consent(enterprise, world.user("supervisor"), NOW)
    second = actions.grant_consent(enterprise, None, LATER)

    assert second.pk == first.pk
    consent = Consent.objects.get(enterprise=enterprise)
    assert (consent.scope, consent.granted_by, consent.granted_at, consent.revoked_at) == (
        ConsentScope.FINANCING, world.user("supervisor"), NOW, None,
    )  # fmt: skip
    assert queries.consenting(innov.zone.pk) == {enterprise.pk}


def test_revoking_sets_revoked_at(world: World, innov: Innov) -> None:
    enterprise, other = innov.enterprises[:2]
    actions.grant_consent(enterprise, None, NOW)
    actions.grant_consent(other, None, NOW)

    assert actions.revoke_consent(enterprise, world.user("supervisor"), LATER) == 1

    consent = Consent.objects.get(enterprise=enterprise)
    assert consent.revoked_at == LATER
    assert consent.history.first().history_user == world.user("supervisor")
    assert queries.consenting(innov.zone.pk) == {other.pk}
    assert actions.revoke_consent(enterprise, None, LATER) == 0  # nothing open is left


def test_granting_after_revoking_opens_a_new_consent(innov: Innov) -> None:
    enterprise = innov.enterprises[0]
    first = actions.grant_consent(enterprise, None, NOW)
    actions.revoke_consent(enterprise, None, NOW + timedelta(days=1))
    again = actions.grant_consent(enterprise, None, LATER)

    assert again.pk != first.pk
    open_ones = Consent.objects.filter(enterprise=enterprise, revoked_at__isnull=True)
    assert list(open_ones) == [again]
    assert Consent.objects.filter(enterprise=enterprise).count() == 2


def test_open_account_for_an_enterprise(world: World, innov: Innov) -> None:
    enterprise = innov.enterprises[0]
    person = actions.open_account(
        innov.zone, "firm", "王晓", "Firm-pass-12345", world.user("admin"), enterprise=enterprise
    )

    person = User.objects.get(pk=person.pk)
    assert (person.username, person.first_name) == ("firm", "王晓")
    assert person.check_password("Firm-pass-12345")
    memberships = Membership.objects.filter(user=person)
    assert [(m.zone_id, m.role, m.unit_id) for m in memberships] == [(innov.zone.pk, Role.ENTERPRISE, None)]
    party = Party.objects.get(user=person)
    assert (party.zone_id, party.enterprise_id, party.institution_id) == (innov.zone.pk, enterprise.pk, None)
    assert queries.enterprise_account(enterprise) == "firm"


def test_open_account_for_an_institution(innov: Innov) -> None:
    bank = actions.add_institution(innov.zone, "青岛银行高新区支行")
    person = actions.open_account(innov.zone, "bank", "陈晨", "Bank-pass-12345", None, institution=bank)

    assert list(Membership.objects.filter(user=person).values_list("role", flat=True)) == [Role.INSTITUTION]
    party = Party.objects.get(user=person)
    assert (party.enterprise_id, party.institution_id) == (None, bank.pk)


def test_same_username_twice_is_refused(world: World, innov: Innov) -> None:
    a, b = innov.enterprises[:2]
    actions.open_account(innov.zone, "firm", "王晓", "Firm-pass-12345", None, enterprise=a)
    with pytest.raises(actions.Refused, match="firm"):
        actions.open_account(innov.zone, "firm", "李雷", "Firm-pass-12345", None, enterprise=b)
    with pytest.raises(actions.Refused, match="已被使用"):
        actions.open_account(
            innov.zone, "liaison", "李雷", "Firm-pass-12345", None, enterprise=b
        )  # a staff login
    assert User.objects.filter(username="firm").count() == 1
    assert not Party.objects.filter(enterprise=b).exists()
    assert not Membership.objects.filter(user=world.user("liaison"), role=Role.ENTERPRISE).exists()


def test_an_enterprise_account_may_hold_no_staff_role(innov: Innov) -> None:
    person = actions.open_account(
        innov.zone, "firm", "王晓", "Firm-pass-12345", None, enterprise=innov.enterprises[0]
    )
    assert auditor_conflict(person, Role.VIEWER)
    assert auditor_conflict(person, Role.AUDITOR)
    assert not auditor_conflict(person, Role.ENTERPRISE)  # the role it already holds


def test_link_account_ties_an_existing_login(world: World, innov: Innov) -> None:
    person = User.objects.create_user("late_firm", password="Firm-pass-12345")
    party = actions.link_account(innov.zone, person, world.user("admin"), enterprise=innov.enterprises[1])

    assert (party.user, party.enterprise) == (person, innov.enterprises[1])
    assert list(Membership.objects.filter(user=person).values_list("role", flat=True)) == [Role.ENTERPRISE]
