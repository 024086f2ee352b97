from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import PASSWORD, World
from luoshi.org import actions as org_actions
from luoshi.org.models import Account

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

URL = "/accounts/password/"


def _change(client: Client, current: str, new: str, again: str | None = None) -> "Response":
    return client.post(URL, {"current": current, "password": new, "again": again or new})


def test_everyone_changes_their_own_password(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("viewer"))
    response = _change(client, PASSWORD, "Qiu-Shui#2026")
    assert response.status_code == 302
    person = world.user("viewer")
    person.refresh_from_db()
    assert person.check_password("Qiu-Shui#2026")
    assert AuditEvent.objects.filter(event=Event.PASSWORD_CHANGE, username="viewer").exists()
    assert client.get("/accounts/").status_code == 200  # this browser stays signed in


def test_bad_new_passwords_are_refused_with_the_reason(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("viewer"))
    cases = [
        (("wrong-current", "Qiu-Shui#2026", None), "当前密码不正确"),
        ((PASSWORD, "Qiu-Shui#2026", "Qiu-Shui#2027"), "两次输入的新密码不一致"),
        ((PASSWORD, "viewer2026", None), "相似"),  # similar to the username
        ((PASSWORD, "12345678901", None), "数字"),
        ((PASSWORD, PASSWORD, None), "不能与当前密码相同"),
    ]
    for (current, new, again), message in cases:
        response = _change(client, current, new, again)
        assert response.status_code == 200 and message in response.content.decode(), message
    person = world.user("viewer")
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_password_set_by_an_admin_must_be_changed_at_next_login(
    world: World, login: Callable[[User], Client], client: Client
) -> None:
    admin = login(world.user("admin"))
    liaison = world.user("liaison")
    admin.post(f"/z/alpha/people/{liaison.pk}/password/", {"password": "Temp-Pass#81"})
    assert Account.objects.get(user=liaison).must_change_password
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "liaison", "password": "Temp-Pass#81"})
    assert client.get("/z/alpha/")["Location"] == URL
    assert _change(client, "Temp-Pass#81", "Chun-Feng#2026").status_code == 302
    assert client.get("/z/alpha/").status_code == 200


def test_an_expired_password_must_be_changed(world: World, client: Client) -> None:
    world.zone.password_max_age_days = 90
    world.zone.save()
    Account.objects.filter(user=world.user("leader")).update(
        password_changed=timezone.now() - timedelta(days=91)
    )
    client.post("/accounts/login/", {"username": "leader", "password": PASSWORD})
    response = client.get("/z/alpha/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == URL


def test_a_person_set_up_by_an_admin_chooses_their_own_password(world: World) -> None:
    person = org_actions.create_person("new1", "Start-Pass#11", by=world.user("admin"), zone=world.zone)
    assert Account.objects.get(user=person).must_change_password
