import time

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from luoshi.conftest import World
from luoshi.security import two_factor


def code_for(device: TOTPDevice, later: int = 0) -> str:
    """The authenticator's code now, or `later` seconds from now (a code is accepted once only)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


@pytest.fixture
def enrolled(world: World) -> tuple[User, TOTPDevice, list[str]]:
    """The supervisor with a confirmed authenticator and recovery codes."""
    person = world.user("supervisor")
    device = two_factor.pending_device(person)
    codes = two_factor.confirm(person, device, code_for(device))
    assert codes is not None
    device.refresh_from_db()
    return person, device, codes
