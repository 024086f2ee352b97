from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from luoshi.audit.choices import Event, Outcome
from luoshi.audit.models import AuditEvent
from luoshi.conftest import PASSWORD, World
from luoshi.security.tests.conftest import code_for

LOGIN, VERIFY = "/accounts/login/", "/accounts/login/verify/"


def test_a_person_with_an_authenticator_needs_the_code(
    world: World, client: Client, enrolled: tuple[User, TOTPDevice, list[str]]
) -> None:
    person, device, _codes = enrolled
    response = client.post(LOGIN, {"username": "supervisor", "password": PASSWORD})
    assert response["Location"] == VERIFY
    assert client.get("/").status_code == 302  # not logged in yet
    response = client.post(VERIFY, {"token": code_for(device, later=30)})
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200
    assert AuditEvent.objects.filter(
        event=Event.OTP_VERIFY, username="supervisor", outcome=Outcome.SUCCESS
    ).exists()


def test_a_wrong_code_is_refused_and_counts_towards_the_lockout(
    world: World, client: Client, enrolled: tuple[User, TOTPDevice, list[str]]
) -> None:
    client.post(LOGIN, {"username": "supervisor", "password": PASSWORD})
    response = client.post(VERIFY, {"token": "000000"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(event=Event.OTP_VERIFY, outcome=Outcome.FAILURE).count() == 1
    for _i in range(4):
        response = client.post(VERIFY, {"token": "000000"})
    assert response.status_code == 429


def test_a_recovery_code_works_once(
    world: World, client: Client, enrolled: tuple[User, TOTPDevice, list[str]]
) -> None:
    _person, _device, codes = enrolled
    client.post(LOGIN, {"username": "supervisor", "password": PASSWORD})
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 302
    client.post("/accounts/logout/")
    client.post(LOGIN, {"username": "supervisor", "password": PASSWORD})
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 200


def test_the_code_step_without_a_password_goes_back_to_login(world: World, client: Client) -> None:
    assert client.get(VERIFY)["Location"] == "/accounts/login/"
