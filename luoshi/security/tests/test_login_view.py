import re
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse

from luoshi.audit.choices import Event, Outcome
from luoshi.audit.models import AuditEvent
from luoshi.conftest import PASSWORD, World

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

LOGIN = "/accounts/login/"


def _post(client: Client, username: str, password: str, addr: str = "10.0.0.1") -> "Response":
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=addr)


def _page(response: "Response") -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+"', "", response.content.decode())


def test_right_password_logs_in_and_is_audited(world: World, client: Client) -> None:
    response = _post(client, "liaison", PASSWORD)
    assert response.status_code == 302
    row = AuditEvent.objects.get(event=Event.LOGIN)
    assert (row.username, row.address, row.outcome) == ("liaison", "10.0.0.1", Outcome.SUCCESS)


def test_unknown_user_and_wrong_password_look_the_same(world: World, client: Client) -> None:
    unknown = _post(client, "nosuchperson", "whatever-1", addr="10.0.0.2")
    wrong = _post(client, "liaison", "whatever-1", addr="10.0.0.3")
    assert unknown.status_code == wrong.status_code == 200
    assert _page(unknown) == _page(wrong)
    failed = AuditEvent.objects.filter(event=Event.LOGIN_FAILED).values_list("username", flat=True)
    assert sorted(failed) == ["liaison", "nosuchperson"]


def test_five_failures_lock_the_account_for_thirty_minutes(world: World, client: Client) -> None:
    with time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as clock:
        for i in range(5):
            _post(client, "liaison", "wrong-pass", addr=f"10.0.1.{i}")
        locked = _post(client, "liaison", PASSWORD, addr="10.0.2.1")
        assert locked.status_code == 429
        assert "已被锁定 30 分钟" in locked.content.decode()
        assert AuditEvent.objects.filter(event=Event.LOCKOUT, username="liaison").exists()
        clock.shift(29 * 60)
        assert _post(client, "liaison", PASSWORD, addr="10.0.2.1").status_code == 429
        clock.shift(2 * 60)
        assert _post(client, "liaison", PASSWORD, addr="10.0.2.1").status_code == 302


def test_an_unknown_username_locks_exactly_like_a_real_one(world: World, client: Client) -> None:
    for i in range(5):
        _post(client, "ghost", "wrong-pass", addr=f"10.0.3.{i}")
    assert _post(client, "ghost", "x", addr="10.0.4.1").status_code == 429


def test_five_failures_from_one_address_lock_the_address(world: World, client: Client) -> None:
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _post(client, name, "wrong-pass", addr="10.9.9.9")
    assert _post(client, "liaison", PASSWORD, addr="10.9.9.9").status_code == 429
    assert _post(client, "liaison", PASSWORD, addr="10.9.9.8").status_code == 302


def test_a_zone_setting_changes_the_limit_and_the_length(world: World, client: Client) -> None:
    world.zone.lockout_failures, world.zone.lockout_minutes = 3, 60
    world.zone.save()
    for i in range(3):
        _post(client, "liaison", "wrong-pass", addr=f"10.0.5.{i}")
    response = _post(client, "liaison", PASSWORD, addr="10.0.6.1")
    assert response.status_code == 429 and "60 分钟" in response.content.decode()


def test_login_keeps_a_safe_next_and_drops_another_site(world: World, client: Client) -> None:
    response = client.post(
        LOGIN, {"username": "liaison", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")
