"""What each platform receives: the exact JSON, and a signature recomputed here from the documented recipe."""

import base64
import hashlib
import hmac
from io import StringIO
from urllib.parse import quote_plus

from django.core.management import call_command
from time_machine import TimeMachineFixture

from luoshi.conftest import World
from luoshi.notices import actions
from luoshi.notices.choices import OutboxStatus, Platform
from luoshi.notices.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from luoshi.notices.tests.conftest import NOW
from luoshi.notices.tests.servers import FAIL, REDIRECT, REFUSE, REPLY_TEXT, Received, Receiver

TITLE = "预警：2项逾期"
TEXT = "区科技创新局有2项工作逾期。\n请尽快处理。"
LINK = "/z/alpha/plans/1/"
DING_SECRET = "SECb5f3e0a9d1c7"
FEISHU_SECRET = "fs-secret-42"


def _send(world: World, receiver: Receiver, platform: str, secret: str = "", path: str = "/hook") -> Received:
    WebhookEndpoint.objects.create(
        zone=world.zone, name=platform, platform=platform, url=receiver.url(path), secret=secret
    )
    actions.notify_group(world.zone, None, TITLE, TEXT, LINK, f"warning:{platform}")
    call_command("outbox", "--once", stdout=StringIO())
    (received,) = receiver.received
    return received


def test_wecom_markdown(world: World, receiver: Receiver, frozen: TimeMachineFixture) -> None:
    received = _send(world, receiver, Platform.WECOM, path="/cgi-bin/webhook/send")
    assert received.raw_query == ""
    assert received.headers["Content-Type"] == "application/json; charset=utf-8"
    assert received.body == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**预警：2项逾期**\n区科技创新局有2项工作逾期。\n请尽快处理。\n"
            "[查看详情](https://luoshi.test/z/alpha/plans/1/)"
        },
    }
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_dingtalk_markdown_with_signed_url(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    # A real robot URL already carries its access_token; the signature is appended to it.
    received = _send(world, receiver, Platform.DINGTALK, DING_SECRET, path="/robot/send?access_token=abc")
    assert received.body == {
        "msgtype": "markdown",
        "markdown": {
            "title": "预警：2项逾期",
            "text": "#### 预警：2项逾期\n\n区科技创新局有2项工作逾期。\n\n请尽快处理。\n\n"
            "[查看详情](https://luoshi.test/z/alpha/plans/1/)",
        },
    }
    timestamp = str(int(NOW.timestamp() * 1000))
    digest = hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    sign = base64.b64encode(digest).decode()
    assert received.query == {"access_token": "abc", "timestamp": timestamp, "sign": sign}
    assert received.raw_query == f"access_token=abc&timestamp={timestamp}&sign={quote_plus(sign)}"


def test_feishu_post_with_signature_in_body(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    received = _send(world, receiver, Platform.FEISHU, FEISHU_SECRET, path="/open-apis/bot/v2/hook/x")
    timestamp = str(int(NOW.timestamp()))
    # Feishu signs an empty message with timestamp + "\n" + secret as the key.
    digest = hmac.new(f"{timestamp}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
    assert received.body == {
        "timestamp": timestamp,
        "sign": base64.b64encode(digest).decode(),
        "msg_type": "post",
        "content": {
            "post": {
                "zh_cn": {
                    "title": "预警：2项逾期",
                    "content": [
                        [{"tag": "text", "text": "区科技创新局有2项工作逾期。"}],
                        [{"tag": "text", "text": "请尽快处理。"}],
                        [{"tag": "a", "text": "查看详情", "href": "https://luoshi.test/z/alpha/plans/1/"}],
                    ],
                }
            }
        },
    }


def test_unsigned_robots_get_no_signature(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    received = _send(world, receiver, Platform.FEISHU)
    assert "sign" not in received.body and "timestamp" not in received.body


def test_an_error_code_in_a_200_answer_is_a_failed_attempt(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    receiver.script = [REFUSE]
    _send(world, receiver, Platform.DINGTALK, DING_SECRET)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert message.last_error == "平台拒绝：errcode=310000"
    assert (message.last_status_code, message.last_platform_code) == (200, 310000)
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.ok, attempt.status_code, attempt.platform_code) == (False, 200, 310000)


def test_a_feishu_refusal_keeps_its_code(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    receiver.script = [REFUSE]
    _send(world, receiver, Platform.FEISHU, FEISHU_SECRET)
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.status_code, attempt.platform_code, attempt.error) == (200, 19021, "平台拒绝：code=19021")


def test_a_redirect_is_a_failed_delivery_and_is_not_followed(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    """Issue "SSRF through group-robot webhooks": never follow redirects; store the status code."""
    receiver.script = [REDIRECT]
    received = _send(world, receiver, Platform.WECOM)  # exactly one request reached the receiver
    assert received.path == "/hook"
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert (message.last_status_code, message.last_error) == (302, "HTTP 302")
    assert DeliveryAttempt.objects.get().status_code == 302


def test_the_reply_body_is_never_kept(world: World, receiver: Receiver, frozen: TimeMachineFixture) -> None:
    """Issue "SSRF through group-robot webhooks": store the status and the platform's code, not the reply."""
    receiver.script = [FAIL]
    _send(world, receiver, Platform.DINGTALK)
    receiver.script = [REFUSE]
    OutboxMessage.objects.update(next_attempt_at=NOW)
    call_command("outbox", "--once", stdout=StringIO())
    errors = list(DeliveryAttempt.objects.order_by("started", "pk").values_list("error", "status_code"))
    assert errors == [("HTTP 500", 500), ("平台拒绝：errcode=310000", 200)]
    stored = [*OutboxMessage.objects.values_list("last_error", flat=True), *(e for e, _code in errors)]
    assert not any(REPLY_TEXT in text for text in stored)


def test_long_wecom_text_is_clipped_to_the_documented_4096_bytes(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    WebhookEndpoint.objects.create(zone=world.zone, name="w", platform=Platform.WECOM, url=receiver.url())
    actions.notify_group(world.zone, None, TITLE, "逾期事项。" * 2000, LINK, "digest:long")
    call_command("outbox", "--once", stdout=StringIO())
    content = receiver.received[0].body["markdown"]["content"]
    assert len(content.encode()) <= 4096 and "…\n[查看详情](https://luoshi.test/z/alpha/plans/1/)" in content
