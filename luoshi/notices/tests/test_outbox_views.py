from collections.abc import Callable
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from time_machine import TimeMachineFixture

from luoshi.conftest import World
from luoshi.notices import actions
from luoshi.notices.choices import OutboxStatus, Platform
from luoshi.notices.models import OutboxMessage, WebhookEndpoint
from luoshi.notices.tests.servers import FAIL, REFUSE, REPLY_TEXT, Receiver


def _url(name: str, **kwargs: object) -> str:
    return reverse(f"notices:{name}", kwargs={"zone": "alpha", **kwargs})


def _messages(world: World) -> tuple[OutboxMessage, OutboxMessage]:
    WebhookEndpoint.objects.create(zone=world.zone, name="全区群", platform=Platform.WECOM, url="http://x/")
    actions.notify_group(world.zone, None, "已发出的预警", "", "", "sent")
    actions.notify_group(world.zone, None, "发不出的预警", "", "", "dead")
    sent, dead = OutboxMessage.objects.order_by("pk")
    OutboxMessage.objects.filter(pk=sent.pk).update(
        status=OutboxStatus.SENT, attempts=1, sent_at=timezone.now()
    )
    OutboxMessage.objects.filter(pk=dead.pk).update(
        status=OutboxStatus.DEAD, attempts=10, last_error="HTTP 500 oops"
    )
    return sent, dead


def test_admins_see_the_latest_messages_with_their_errors(
    world: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _messages(world)
    client = login(world.user("admin"))
    with django_assert_max_num_queries(6):
        body = client.get(_url("outbox_list")).content.decode()
    assert "已发出的预警" in body and "发不出的预警" in body and "HTTP 500 oops" in body
    assert body.count("立即重试") == 1
    dead_only = client.get(_url("outbox_list"), {"status": "dead"}).content.decode()
    assert "发不出的预警" in dead_only and "已发出的预警" not in dead_only


def test_the_page_shows_status_and_platform_codes_not_the_reply(
    world: World, login: Callable[[User], Client], receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    """Issue "SSRF through group-robot webhooks": the outbox page showed the first 200 bytes of the reply."""
    WebhookEndpoint.objects.create(
        zone=world.zone, name="局域网群", platform=Platform.DINGTALK, url=receiver.url()
    )
    actions.notify_group(world.zone, None, "预警一", "", "", "one")
    actions.notify_group(world.zone, None, "预警二", "", "", "two")
    receiver.script = [FAIL, REFUSE]
    call_command("outbox", "--once", stdout=StringIO())
    body = login(world.user("admin")).get(_url("outbox_list")).content.decode()
    assert "HTTP 状态码" in body and "平台错误码" in body
    assert "<td>500</td>" in body and "<td>310000</td>" in body and "平台拒绝：errcode=310000" in body
    assert REPLY_TEXT not in body


def test_retry_now_puts_a_dead_message_back_in_the_queue(
    world: World, login: Callable[[User], Client]
) -> None:
    sent, dead = _messages(world)
    client = login(world.user("admin"))
    assert client.get(_url("outbox_retry", message_id=dead.pk)).status_code == 405
    response = client.post(_url("outbox_retry", message_id=dead.pk), follow=True)
    assert "已重新排入发送队列" in response.content.decode()
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (OutboxStatus.PENDING, 0)
    assert dead.next_attempt_at <= timezone.now()
    response = client.post(_url("outbox_retry", message_id=sent.pk), follow=True)
    assert "无需重试" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == OutboxStatus.SENT


def test_only_admins_of_the_zone(world: World, login: Callable[[User], Client]) -> None:
    _sent, dead = _messages(world)
    for persona in ("supervisor", "leader", "viewer", "liaison", "outsider"):
        client = login(world.user(persona))
        assert client.get(_url("outbox_list")).status_code == 404
        assert client.post(_url("outbox_retry", message_id=dead.pk)).status_code == 404
    dead.refresh_from_db()
    assert dead.status == OutboxStatus.DEAD
    other = WebhookEndpoint.objects.create(
        zone=world.other_zone, name="乙区群", platform="wecom", url="http://y/"
    )
    actions.notify_group(world.other_zone, None, "乙区预警", "", "", "other")
    foreign = OutboxMessage.objects.get(endpoint=other)
    assert login(world.user("admin")).post(_url("outbox_retry", message_id=foreign.pk)).status_code == 404
