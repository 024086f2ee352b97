from collections.abc import Iterable

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from pytest_django import Settings

from luoshi.conftest import World
from luoshi.notices import actions
from luoshi.notices.choices import Channel, NoticeKind, OutboxStatus, Platform
from luoshi.notices.models import Notification, OutboxMessage, WebhookEndpoint


def _liaisons(world: World) -> list[User]:
    tech, dev = world.user("liaison"), world.user("liaison_dev")
    tech.email = "tech@example.gov.cn"
    tech.save(update_fields=["email"])
    return [tech, dev]  # dev has no email address


def _remind(world: World, users: Iterable[User], key: str = "report_due:2026-W10") -> int:
    return actions.notify(
        world.zone,
        users,
        NoticeKind.REPORT_DUE,
        "请报送本周进展",
        "本周五17:00前报送。",
        "/z/alpha/inbox/",
        key,
    )


def test_inbox_row_per_user_and_email_per_address(world: World, settings: Settings) -> None:
    settings.LUOSHI_EMAIL_ENABLED = True
    assert _remind(world, _liaisons(world)) == 2
    rows = Notification.objects.filter(zone=world.zone).order_by("recipient__username")
    assert [(n.recipient.username, n.kind, n.read_at) for n in rows] == [
        ("liaison", "report_due", None),
        ("liaison_dev", "report_due", None),
    ]
    (email,) = OutboxMessage.objects.all()
    assert (email.channel, email.to_address, email.status, email.attempts) == (
        Channel.EMAIL,
        "tech@example.gov.cn",
        OutboxStatus.PENDING,
        0,
    )
    assert email.payload == {
        "title": "请报送本周进展",
        "text": "本周五17:00前报送。",
        "link": "/z/alpha/inbox/",
    }


def test_same_dedupe_key_notifies_once(world: World, settings: Settings) -> None:
    settings.LUOSHI_EMAIL_ENABLED = True
    users = _liaisons(world)
    assert _remind(world, users[:1]) == 1
    # The sweep runs again, now also reaching a second person: only that person is new.
    assert _remind(world, users) == 1
    assert _remind(world, users) == 0
    assert Notification.objects.count() == 2
    assert OutboxMessage.objects.count() == 1
    assert _remind(world, users, key="report_due:2026-W11") == 2


def test_caller_rollback_queues_nothing(world: World, settings: Settings) -> None:
    settings.LUOSHI_EMAIL_ENABLED = True
    users = _liaisons(world)
    WebhookEndpoint.objects.create(zone=world.zone, name="科技局群", platform=Platform.WECOM, url="http://x/")
    with pytest.raises(RuntimeError), transaction.atomic():
        _remind(world, users)
        actions.notify_group(world.zone, None, "预警", "两项逾期", "", "warning:1")
        assert Notification.objects.count() == 2 and OutboxMessage.objects.count() == 2
        raise RuntimeError("the report sweep failed after notifying")
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_no_email_without_mail_server_and_none_for_inactive_people(world: World, settings: Settings) -> None:
    settings.LUOSHI_EMAIL_ENABLED = False
    users = _liaisons(world)
    users[1].is_active = False
    assert _remind(world, users) == 1
    assert Notification.objects.get().recipient == users[0]
    assert not OutboxMessage.objects.exists()


def test_notify_group_reaches_the_units_active_robots_or_the_zone_group(world: World) -> None:
    tech = WebhookEndpoint.objects.create(
        zone=world.zone, name="科技局群", platform=Platform.DINGTALK, url="http://x/", unit=world.tech
    )
    WebhookEndpoint.objects.create(
        zone=world.zone,
        name="科技局旧群",
        platform=Platform.WECOM,
        url="http://y/",
        unit=world.tech,
        is_active=False,
    )
    zone_wide = WebhookEndpoint.objects.create(
        zone=world.zone, name="全区群", platform=Platform.FEISHU, url="http://z/"
    )
    assert actions.notify_group(world.zone, world.tech, "预警", "1项逾期", "/z/alpha/", "warning:7") == 1
    assert actions.notify_group(world.zone, world.tech, "预警", "1项逾期", "/z/alpha/", "warning:7") == 0
    assert actions.notify_group(world.zone, None, "周报", "本周摘要", "", "digest:2026-W10") == 1
    assert actions.notify_group(world.zone, world.dev, "预警", "无群", "", "warning:8") == 0
    assert [(m.endpoint, m.channel) for m in OutboxMessage.objects.order_by("pk")] == [
        (tech, Channel.WEBHOOK),
        (zone_wide, Channel.WEBHOOK),
    ]


def test_dedupe_key_is_required_and_bounded(world: World) -> None:
    with pytest.raises(ValueError):
        _remind(world, [world.user("liaison")], key="")
    with pytest.raises(ValueError):
        _remind(world, [world.user("liaison")], key="k" * 201)
