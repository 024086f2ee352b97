"""Two-factor login with TOTP (authenticator apps) and one-time recovery codes, on django-otp's devices. The QR
code is drawn here (segno, SVG) so no secret leaves the intranet."""

import base64
import secrets

import segno
from django.contrib.auth.models import User
from django.db import transaction
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from luoshi.audit.actions import record
from luoshi.audit.choices import Event

RECOVERY_CODES = 10


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per person, kept until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#1f2d3d", light="#ffffff")


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in (base32, in groups of four)."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm(user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns the new recovery codes, or None if wrong."""
    if not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record(Event.OTP_ENROL, user=user, obj=user)
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    record(Event.RECOVERY_CODES, user=user, obj=user)
    return codes


def verify(user: User, token: str) -> Device | None:
    """A code from the authenticator or an unused recovery code (which is then used up)."""
    token = "".join(token.split())
    if not token.isdigit() or len(token) not in (6, 8):
        return None
    return match_token(user, token)


@transaction.atomic
def remove(user: User, by: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(Event.OTP_REMOVE, user=by, obj=user)
