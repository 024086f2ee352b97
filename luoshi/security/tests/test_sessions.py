from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client

from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import PASSWORD, World
from luoshi.security.models import UserSession

START = datetime(2026, 7, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def _login(client: Client, addr: str = "10.0.0.1") -> Client:
    client.post("/accounts/login/", {"username": "leader", "password": PASSWORD}, REMOTE_ADDR=addr)
    return client


def test_idle_for_thirty_minutes_signs_out(world: World, client: Client) -> None:
    with time_machine.travel(START, tick=False) as clock:
        _login(client)
        clock.shift(timedelta(minutes=29))
        assert client.get("/z/alpha/").status_code == 200
        clock.shift(timedelta(minutes=29))  # active at 29 minutes, so still within the idle time
        assert client.get("/z/alpha/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/z/alpha/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert client.get("/z/alpha/").status_code == 302


def test_the_zone_sets_the_idle_time_and_the_lifetime(world: World, client: Client) -> None:
    world.zone.session_idle_minutes, world.zone.session_max_hours = 10, 1
    world.zone.save()
    with time_machine.travel(START, tick=False) as clock:
        _login(client)
        clock.shift(timedelta(minutes=11))
        assert client.get("/z/alpha/").status_code == 302
        _login(client)
        for _i in range(7):
            clock.shift(timedelta(minutes=9))
            response = client.get("/z/alpha/")
        assert response.status_code == 302  # 63 minutes after login, however active


def test_sessions_are_listed_and_signing_out_elsewhere_ends_them(
    world: World, client: Client, django_user_model: type[User]
) -> None:
    from django.test import Client

    other = _login(Client(), addr="10.0.0.9")
    _login(client)
    page = client.get("/accounts/").content.decode()
    assert "10.0.0.9" in page and "10.0.0.1" in page
    client.post("/accounts/sessions/end/", {"scope": "others"})
    assert other.get("/z/alpha/").status_code == 302
    assert client.get("/z/alpha/").status_code == 200
    assert UserSession.objects.filter(user=world.user("leader")).count() == 1
    assert AuditEvent.objects.filter(event=Event.SESSION_REVOKE).exists()


def test_signing_out_everywhere_includes_this_browser(world: World, client: Client) -> None:
    _login(client)
    client.post("/accounts/sessions/end/", {"scope": "all"})
    assert client.get("/z/alpha/").status_code == 302
    assert not UserSession.objects.exists()
    assert not Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()


def test_logout_is_audited_and_forgets_the_session(world: World, client: Client) -> None:
    _login(client)
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(event=Event.LOGOUT, username="leader").exists()
    assert not UserSession.objects.exists()


def test_a_session_from_before_the_rules_is_held_to_them_from_its_next_request(
    world: World, client: Client
) -> None:
    _login(client)
    session = client.session
    del session["luoshi_security"]
    session.save()
    UserSession.objects.all().delete()
    assert client.get("/z/alpha/").status_code == 200
    assert UserSession.objects.filter(user=world.user("leader")).count() == 1
    assert "luoshi_security" in client.session
