from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.org.models import Account


@pytest.fixture
def root(world: World) -> User:
    return User.objects.create_superuser("root", password="Root-Pass#99")


@pytest.fixture
def shared(world: World) -> User:
    """An admin of both zones."""
    person = org_actions.create_person("both", "Both-Pass#55", full_name="两区管理员")
    org_actions.add_member(world.zone, person, Role.ADMIN)
    org_actions.add_member(world.other_zone, person, Role.ADMIN)
    return person


def test_the_platform_admin_resets_and_deactivates_a_shared_account(
    world: World, login: Callable[[User], Client], root: User, shared: User
) -> None:
    client = login(root)
    assert "两区管理员" in client.get("/platform/people/", {"q": "both"}).content.decode()
    assert client.get(f"/platform/people/{shared.pk}/").status_code == 200
    client.post(f"/platform/people/{shared.pk}/password/", {"password": "Fresh-Pass#31"})
    client.post(f"/platform/people/{shared.pk}/active/", {"active": "0"})
    shared.refresh_from_db()
    assert shared.check_password("Fresh-Pass#31") and not shared.is_active
    assert Account.objects.get(user=shared).must_change_password
    assert AuditEvent.objects.filter(event=Event.PASSWORD_RESET, username="root").exists()


@pytest.mark.parametrize("persona", ["admin", "supervisor", "outsider"])
def test_zone_roles_do_not_reach_the_platform_pages(
    world: World, login: Callable[[User], Client], shared: User, persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get("/platform/people/").status_code == 404
    assert (
        client.post(f"/platform/people/{shared.pk}/password/", {"password": "Fresh-Pass#31"}).status_code
        == 404
    )


def test_unlock_clears_the_failures_and_is_audited(
    world: World, login: Callable[[User], Client], root: User, client: Client
) -> None:
    for i in range(5):
        client.post(
            "/accounts/login/", {"username": "liaison", "password": "bad-pass"}, REMOTE_ADDR=f"10.1.0.{i}"
        )
    liaison = world.user("liaison")
    admin = login(root)
    assert "已锁定" in admin.get(f"/platform/people/{liaison.pk}/").content.decode()
    admin.post(f"/platform/people/{liaison.pk}/unlock/")
    assert AuditEvent.objects.filter(event=Event.UNLOCK).exists()
    assert "已锁定" not in admin.get(f"/platform/people/{liaison.pk}/").content.decode()
