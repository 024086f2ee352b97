from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import PASSWORD, World
from luoshi.security.tests.conftest import code_for

URL = "/accounts/two-factor/"


def test_enrolment_shows_a_local_qr_code_and_confirms_with_a_code(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("leader"))
    page = client.get(URL).content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    device = TOTPDevice.objects.get(user=world.user("leader"))
    response = client.post(URL, {"token": code_for(device)})
    assert response.status_code == 200 and "恢复码" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(event=Event.OTP_ENROL, username="leader").exists()


def test_a_wrong_code_does_not_enrol(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("leader"))
    client.get(URL)
    response = client.post(URL, {"token": "000000"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.user("leader"), confirmed=True).exists()


def test_a_zone_that_requires_two_factors_holds_its_supervisor_on_enrolment(
    world: World, client: Client
) -> None:
    world.zone.two_factor_required = True
    world.zone.save()
    client.post("/accounts/login/", {"username": "supervisor", "password": PASSWORD})
    assert client.get("/z/alpha/")["Location"] == URL
    client.get(URL)
    device = TOTPDevice.objects.get(user=world.user("supervisor"))
    client.post(URL, {"token": code_for(device)})
    assert client.get("/z/alpha/").status_code == 200


def test_a_liaison_is_not_held_by_the_setting(world: World, client: Client) -> None:
    world.zone.two_factor_required = True
    world.zone.save()
    client.post("/accounts/login/", {"username": "liaison", "password": PASSWORD})
    assert client.get("/z/alpha/").status_code == 200


def test_required_two_factors_cannot_be_switched_off(
    world: World, login: Callable[[User], Client], enrolled: tuple[User, TOTPDevice, list[str]]
) -> None:
    world.zone.two_factor_required = True
    world.zone.save()
    _person, device, _codes = enrolled
    client = login(world.user("supervisor"))
    client.post("/accounts/two-factor/remove/", {"token": code_for(device)})
    assert TOTPDevice.objects.filter(user=world.user("supervisor"), confirmed=True).exists()
