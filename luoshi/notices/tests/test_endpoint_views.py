from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.audit.choices import Event
from luoshi.audit.choices import Outcome as AuditOutcome
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.notices.choices import Channel, OutboxStatus, Platform
from luoshi.notices.models import OutboxMessage, WebhookEndpoint
from luoshi.notices.tests.servers import FAIL, REFUSE, REPLY_TEXT, Receiver
from luoshi.org.models import Unit

DING = "https://oapi.dingtalk.com/robot/send?access_token=abc"
FEISHU = "https://open.feishu.cn/open-apis/bot/v2/hook/abc"
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"


def _url(name: str, **kwargs: object) -> str:
    return reverse(f"notices:{name}", kwargs={"zone": "alpha", **kwargs})


def _form(**changes: object) -> dict[str, object]:
    return {
        "name": "科技局工作群",
        "platform": "dingtalk",
        "url": DING,
        "secret": "SEC123",
        "is_active": "on",
    } | changes


def _robot(world: World, **kwargs: object) -> WebhookEndpoint:
    fields = {"name": "全区群", "platform": Platform.DINGTALK, "url": DING, "secret": "SECold"} | kwargs
    return WebhookEndpoint.objects.create(zone=world.zone, **fields)


def test_admins_and_the_supervision_office_manage_robots(
    world: World, login: Callable[[User], Client]
) -> None:
    robot = _robot(world)
    for persona in ("admin", "supervisor"):
        body = login(world.user(persona)).get(_url("endpoint_list")).content.decode()
        assert "全区群" in body and "钉钉" in body and "SECold" not in body
    for persona in ("leader", "viewer", "unithead", "liaison", "outsider"):
        client = login(world.user(persona))
        assert client.get(_url("endpoint_list")).status_code == 404
        assert client.get(_url("endpoint_create")).status_code == 404
        assert client.get(_url("endpoint_edit", endpoint_id=robot.pk)).status_code == 404
        assert client.post(_url("endpoint_deactivate", endpoint_id=robot.pk)).status_code == 404
        assert client.post(_url("endpoint_test", endpoint_id=robot.pk)).status_code == 404
    robot.refresh_from_db()
    assert robot.is_active and not OutboxMessage.objects.exists()


def test_create_for_a_unit_with_history(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    response = client.post(_url("endpoint_create"), _form(unit=world.tech.pk))
    assert response.status_code == 302
    robot = WebhookEndpoint.objects.get()
    assert (robot.unit, robot.platform, robot.secret, robot.zone) == (
        world.tech,
        "dingtalk",
        "SEC123",
        world.zone,
    )
    record = robot.history.get()
    assert record.history_user == world.user("supervisor") and not hasattr(record, "secret")


def test_edit_keeps_the_secret_when_left_blank(world: World, login: Callable[[User], Client]) -> None:
    robot = _robot(world)
    client = login(world.user("admin"))
    assert "留空则保持不变" in client.get(_url("endpoint_edit", endpoint_id=robot.pk)).content.decode()
    client.post(_url("endpoint_edit", endpoint_id=robot.pk), _form(name="全区工作群", secret=""))
    robot.refresh_from_db()
    assert (robot.name, robot.secret) == ("全区工作群", "SECold")
    client.post(_url("endpoint_edit", endpoint_id=robot.pk), _form(name="全区工作群", secret="SECnew"))
    robot.refresh_from_db()
    assert robot.secret == "SECnew"


def test_bad_input_is_explained(world: World, login: Callable[[User], Client]) -> None:
    _robot(world, name="已有的群")
    client = login(world.user("admin"))
    cases = [
        (_form(url="ftp://oapi.dingtalk.com/robot"), "Webhook 地址必须以 https:// 开头"),
        (_form(url="not a url"), "请输入完整的网址"),
        (_form(secret="abc123"), "钉钉加签密钥以 SEC 开头"),
        (_form(platform="wecom", secret="SEC1"), "企业微信群机器人没有签名密钥，请留空"),
        (_form(name="已有的群"), "已有名为“已有的群”的群机器人"),
        (_form(platform="telegram"), "errorlist"),
    ]
    for data, error in cases:
        response = client.post(_url("endpoint_create"), data)
        assert response.status_code == 200 and error in response.content.decode(), error
    foreign = Unit.objects.get(zone=world.other_zone)
    assert client.post(_url("endpoint_create"), _form(unit=foreign.pk)).status_code == 200
    assert WebhookEndpoint.objects.count() == 1


def test_internal_addresses_are_refused_with_the_host_and_the_setting_named(
    world: World, login: Callable[[User], Client]
) -> None:
    """Issue "SSRF through group-robot webhooks": endpoints accepted 127.0.0.1, 169.254.169.254, 10.x, [::1]."""
    robot = _robot(world)
    client = login(world.user("admin"))
    cases = [
        ("http://127.0.0.1:8000/", "127.0.0.1"),
        ("https://169.254.169.254/", "169.254.169.254"),
        ("https://10.0.0.1/", "10.0.0.1"),
        ("https://[::1]/", "::1"),
    ]
    for url, host in cases:
        for response in (
            client.post(_url("endpoint_create"), _form(name="新群", url=url)),
            client.post(_url("endpoint_edit", endpoint_id=robot.pk), _form(url=url)),
        ):
            body = response.content.decode()
            assert response.status_code == 200 and f"不允许发往 {host}" in body, url
            assert "LUOSHI_ROBOT_ALLOWED_HOSTS" in body
    robot.refresh_from_db()
    assert robot.url == DING and WebhookEndpoint.objects.count() == 1
    assert not AuditEvent.objects.filter(event=Event.ENDPOINT_CHANGE).exists()


def test_other_platforms_keep_their_secrets_optional(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("admin"))
    client.post(
        _url("endpoint_create"), _form(name="飞书群", platform="feishu", url=FEISHU, secret="fs-secret")
    )
    client.post(_url("endpoint_create"), _form(name="企微群", platform="wecom", url=WECOM, secret=""))
    client.post(_url("endpoint_create"), _form(name="钉钉关键词群", secret=""))
    assert dict(WebhookEndpoint.objects.values_list("name", "secret")) == {
        "飞书群": "fs-secret",
        "企微群": "",
        "钉钉关键词群": "",
    }


def test_deactivate_and_send_a_test_message(
    world: World, login: Callable[[User], Client], receiver: Receiver
) -> None:
    robot = _robot(world, platform=Platform.WECOM, url=receiver.url(), secret="")
    client = login(world.user("supervisor"))
    assert client.get(_url("endpoint_test", endpoint_id=robot.pk)).status_code == 405
    response = client.post(_url("endpoint_test", endpoint_id=robot.pk), follow=True)
    assert "测试消息已送达（HTTP 200，平台错误码 0）" in response.content.decode()
    receiver.script = [FAIL]
    response = client.post(_url("endpoint_test", endpoint_id=robot.pk), follow=True)
    body = response.content.decode()
    assert "测试消息发送失败：HTTP 500（HTTP 500，平台错误码 —）" in body and REPLY_TEXT not in body
    assert len(receiver.received) == 2
    assert "supervisor 发送的测试消息" in receiver.received[0].body["markdown"]["content"]
    # Both tests are in the outbox, settled: a failed test is not retried by itself.
    messages = OutboxMessage.objects.order_by("pk")
    assert [(m.channel, m.endpoint, m.status, m.last_status_code) for m in messages] == [
        (Channel.WEBHOOK, robot, OutboxStatus.SENT, 200),
        (Channel.WEBHOOK, robot, OutboxStatus.DEAD, 500),
    ]
    client.post(_url("endpoint_deactivate", endpoint_id=robot.pk))
    robot.refresh_from_db()
    assert not robot.is_active
    response = client.post(_url("endpoint_test", endpoint_id=robot.pk), follow=True)
    assert "群机器人已停用" in response.content.decode()
    assert OutboxMessage.objects.count() == 2 and len(receiver.received) == 2


def test_endpoint_changes_and_tests_leave_audit_rows(
    world: World, login: Callable[[User], Client], receiver: Receiver
) -> None:
    """Issue: every security-relevant action leaves an audit row — robot create, edit, deactivate, test."""
    client = login(world.user("supervisor"))
    client.post(_url("endpoint_create"), _form())
    robot = WebhookEndpoint.objects.get()
    client.post(_url("endpoint_edit", endpoint_id=robot.pk), _form(name="改名的群", secret=""))
    client.post(_url("endpoint_edit", endpoint_id=robot.pk), _form(name="改名的群", secret=""))  # no change
    WebhookEndpoint.objects.filter(pk=robot.pk).update(platform=Platform.WECOM, url=receiver.url(), secret="")
    receiver.script = [REFUSE]
    client.post(_url("endpoint_test", endpoint_id=robot.pk))
    client.post(_url("endpoint_deactivate", endpoint_id=robot.pk))
    rows = AuditEvent.objects.filter(event=Event.ENDPOINT_CHANGE).order_by("pk")
    assert [(r.detail["action"], r.outcome) for r in rows] == [
        ("create", AuditOutcome.SUCCESS),
        ("update", AuditOutcome.SUCCESS),
        ("test", AuditOutcome.FAILURE),
        ("deactivate", AuditOutcome.SUCCESS),
    ]
    create, update, test, deactivate = rows
    assert (create.user, create.zone, create.object_id) == (
        world.user("supervisor"),
        world.zone,
        str(robot.pk),
    )
    assert create.detail == {"action": "create", "platform": "dingtalk", "host": "oapi.dingtalk.com"}
    assert update.detail["fields"] == ["name"] and deactivate.detail["fields"] == ["is_active"]
    assert (test.detail["status_code"], test.detail["platform_code"]) == (200, 310000)
    # The robot's access token (in the URL) and its secret stay out of the trail.
    assert not any("access_token" in str(r.detail) or "SEC" in str(r.detail) for r in rows)


def test_another_zones_robot_does_not_exist(world: World, login: Callable[[User], Client]) -> None:
    robot = WebhookEndpoint.objects.create(zone=world.other_zone, name="乙区群", platform="wecom", url=DING)
    client = login(world.user("admin"))
    assert client.get(_url("endpoint_edit", endpoint_id=robot.pk)).status_code == 404
    assert client.post(_url("endpoint_test", endpoint_id=robot.pk)).status_code == 404
    assert "乙区群" not in client.get(_url("endpoint_list")).content.decode()
