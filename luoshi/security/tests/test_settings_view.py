from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World

URL = "/z/alpha/security/"
DATA = {
    "two_factor_required": "on",
    "session_idle_minutes": 15,
    "session_max_hours": 8,
    "password_max_age_days": 90,
    "lockout_failures": 5,
    "lockout_minutes": 30,
}


def test_the_admin_changes_the_settings_and_the_change_is_audited(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("admin"))
    assert client.get(URL).status_code == 200
    assert client.post(URL, DATA).status_code == 302
    world.zone.refresh_from_db()
    assert world.zone.two_factor_required and world.zone.session_idle_minutes == 15
    row = AuditEvent.objects.get(event=Event.SETTINGS_CHANGE)
    assert row.zone == world.zone and row.detail["session_idle_minutes"] == [30, 15]


@pytest.mark.parametrize(
    "field, value", [("session_idle_minutes", 0), ("lockout_failures", 50), ("password_max_age_days", -1)]
)
def test_values_out_of_bounds_are_refused(
    world: World, login: Callable[[User], Client], field: str, value: int
) -> None:
    client = login(world.user("admin"))
    response = client.post(URL, {**DATA, field: value})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    world.zone.refresh_from_db()
    assert not world.zone.two_factor_required
    assert not AuditEvent.objects.filter(event=Event.SETTINGS_CHANGE).exists()


@pytest.mark.parametrize("persona", ["supervisor", "leader", "viewer", "unithead", "liaison", "outsider"])
def test_only_the_zone_admin_sees_the_settings(
    world: World, login: Callable[[User], Client], persona: str
) -> None:
    assert login(world.user(persona)).get(URL).status_code == 404


def test_the_admin_sees_locked_people_and_unlocks_them(
    world: World, login: Callable[[User], Client], client: Client
) -> None:
    for i in range(5):
        client.post(
            "/accounts/login/", {"username": "liaison", "password": "bad-pass"}, REMOTE_ADDR=f"10.2.0.{i}"
        )
    admin = login(world.user("admin"))
    page = admin.get(URL).content.decode()
    assert "liaison" in page and "解除锁定" in page
    admin.post(f"/z/alpha/security/unlock/{world.user('liaison').pk}/")
    assert "当前没有被锁定的账号" in admin.get(URL).content.decode()
    assert AuditEvent.objects.filter(event=Event.UNLOCK, zone=world.zone).exists()


def test_an_admin_cannot_unlock_someone_of_another_zone(
    world: World, login: Callable[[User], Client]
) -> None:
    response = login(world.user("admin")).post(f"/z/alpha/security/unlock/{world.user('outsider').pk}/")
    assert response.status_code == 404
