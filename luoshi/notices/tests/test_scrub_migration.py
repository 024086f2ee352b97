"""Migration 0003: robot answers stored before the SSRF fix are cut down to the status and the platform's code."""

from importlib import import_module

from django.apps import apps
from django.utils import timezone

from luoshi.conftest import World
from luoshi.notices import actions
from luoshi.notices.choices import Channel, Platform
from luoshi.notices.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint

scrub = import_module("luoshi.notices.migrations.0003_scrub_robot_answers").scrub


def _attempt(message: OutboxMessage, status: int | None, error: str) -> None:
    DeliveryAttempt.objects.create(
        message=message, started=timezone.now(), duration_ms=5, ok=False, status_code=status, error=error
    )


def test_old_reply_bodies_are_scrubbed(world: World) -> None:
    WebhookEndpoint.objects.create(zone=world.zone, name="群", platform=Platform.DINGTALK, url="http://x/")
    actions.notify_group(world.zone, None, "a", "", "", "a")
    actions.notify_group(world.zone, None, "b", "", "", "b")
    actions.notify_group(world.zone, None, "c", "", "", "c")
    body, refused, timeout = OutboxMessage.objects.order_by("pk")
    _attempt(body, 500, 'HTTP 500 {"secret": "ami-credentials"}')
    _attempt(refused, 200, "平台拒绝：errcode=310000 sign not match")
    _attempt(timeout, None, "超时（5.0 秒）")
    OutboxMessage.objects.filter(pk=body.pk).update(last_error='HTTP 500 {"secret": "ami-credentials"}')
    OutboxMessage.objects.filter(pk=refused.pk).update(last_error="平台拒绝：errcode=310000 sign not match")
    OutboxMessage.objects.filter(pk=timeout.pk).update(last_error="超时（5.0 秒）")
    email = OutboxMessage.objects.create(
        zone=world.zone, channel=Channel.EMAIL, subject="e", dedupe_key="e", next_attempt_at=timezone.now()
    )
    _attempt(email, 550, "SMTP 550 mailbox unavailable")

    scrub(apps, None)

    attempts = DeliveryAttempt.objects.order_by("pk").values_list("error", "platform_code")
    assert list(attempts) == [
        ("HTTP 500", None),
        ("HTTP 200 errcode=310000", 310000),
        ("超时（5.0 秒）", None),
        ("SMTP 550 mailbox unavailable", None),
    ]
    messages = OutboxMessage.objects.order_by("pk").values_list(
        "last_error", "last_status_code", "last_platform_code"
    )
    assert list(messages)[:3] == [
        ("HTTP 500", 500, None),
        ("HTTP 200 errcode=310000", 200, 310000),
        ("超时（5.0 秒）", None, None),
    ]
