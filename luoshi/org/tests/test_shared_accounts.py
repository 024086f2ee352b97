"""Defect 1 (cross-zone account takeover): the admin of zone A could reset the password of, or deactivate, a
person who is also admin of zone B, and then act in zone B."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from luoshi.audit.choices import Event, Outcome
from luoshi.audit.models import AuditEvent
from luoshi.conftest import PASSWORD, World
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role


@pytest.fixture
def beta_admin(world: World) -> User:
    """The admin of zone beta, who also holds a viewer role in alpha."""
    person = org_actions.create_person("beta_admin", PASSWORD, full_name="乙区管理员")
    org_actions.add_member(world.other_zone, person, Role.ADMIN)
    org_actions.add_member(world.zone, person, Role.VIEWER)
    return person


def test_zone_a_admin_cannot_reset_the_password_of_zone_b_admin(
    world: World, login: Callable[[User], Client], beta_admin: User
) -> None:
    client = login(world.user("admin"))
    response = client.post(
        f"/z/alpha/people/{beta_admin.pk}/password/", {"password": "Taken-Over#1"}, follow=True
    )
    beta_admin.refresh_from_db()
    assert beta_admin.check_password(PASSWORD)
    assert "只能由平台管理员" in response.content.decode()
    row = AuditEvent.objects.get(event=Event.PASSWORD_RESET)
    assert row.outcome == Outcome.DENIED and row.username == "admin"


def test_zone_a_admin_cannot_deactivate_zone_b_admin(
    world: World, login: Callable[[User], Client], beta_admin: User
) -> None:
    login(world.user("admin")).post(f"/z/alpha/people/{beta_admin.pk}/active/", {"active": "0"})
    beta_admin.refresh_from_db()
    assert beta_admin.is_active


def test_the_person_page_offers_no_reset_for_a_shared_account(
    world: World, login: Callable[[User], Client], beta_admin: User
) -> None:
    page = login(world.user("admin")).get(f"/z/alpha/people/{beta_admin.pk}/").content.decode()
    assert f"/people/{beta_admin.pk}/password/" not in page and "只能由平台管理员修改" in page


def test_a_platform_administrator_is_never_a_zone_admins_to_change(
    world: World, login: Callable[[User], Client]
) -> None:
    world.users["viewer"].is_superuser = True
    world.users["viewer"].save()
    login(world.user("admin")).post(
        f"/z/alpha/people/{world.user('viewer').pk}/password/", {"password": "X-Pass#991"}
    )
    world.users["viewer"].refresh_from_db()
    assert world.users["viewer"].check_password(PASSWORD)


def test_a_person_only_in_this_zone_is_still_the_admins(
    world: World, login: Callable[[User], Client]
) -> None:
    liaison = world.user("liaison")
    login(world.user("admin")).post(f"/z/alpha/people/{liaison.pk}/password/", {"password": "Reset-Pass#42"})
    liaison.refresh_from_db()
    assert liaison.check_password("Reset-Pass#42")
    assert AuditEvent.objects.filter(event=Event.PASSWORD_RESET, outcome=Outcome.SUCCESS).exists()


def test_the_admin_cannot_make_themselves_auditor(world: World, login: Callable[[User], Client]) -> None:
    """三权分立: an admin who also held the auditor role could read (the trail of) their own actions."""
    admin = world.user("admin")
    response = login(admin).post(f"/z/alpha/people/{admin.pk}/roles/", {"role": "auditor"}, follow=True)
    assert "审计管理员不能兼任其他角色" in response.content.decode()
    assert not admin.memberships.filter(role=Role.AUDITOR).exists()


def test_an_auditor_takes_no_other_role(world: World, login: Callable[[User], Client]) -> None:
    auditor = org_actions.create_person("aud", PASSWORD, full_name="审计员")
    org_actions.add_member(world.zone, auditor, Role.AUDITOR)
    login(world.user("admin")).post(f"/z/alpha/people/{auditor.pk}/roles/", {"role": "viewer"})
    assert list(auditor.memberships.values_list("role", flat=True)) == ["auditor"]
