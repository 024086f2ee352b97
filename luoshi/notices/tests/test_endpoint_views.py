from django.urls import reverse

from luoshi.notices.choices import Channel, Platform
from luoshi.notices.models import OutboxMessage, WebhookEndpoint
from luoshi.org.models import Unit

DING = "https://oapi.dingtalk.com/robot/send?access_token=abc"


def _url(name: str, **kwargs) -> str:
    return reverse(f"notices:{name}", kwargs={"zone": "alpha", **kwargs})


def _form(**changes) -> dict:
    return {
        "name": "科技局工作群",
        "platform": "dingtalk",
        "url": DING,
        "secret": "SEC123",
        "is_active": "on",
    } | changes


def _robot(world, **kwargs) -> WebhookEndpoint:
    fields = {"name": "全区群", "platform": Platform.DINGTALK, "url": DING, "secret": "SECold"} | kwargs
    return WebhookEndpoint.objects.create(zone=world.zone, **fields)


def test_admins_and_the_supervision_office_manage_robots(world, login):
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


def test_create_for_a_unit_with_history(world, login):
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


def test_edit_keeps_the_secret_when_left_blank(world, login):
    robot = _robot(world)
    client = login(world.user("admin"))
    assert "留空则保持不变" in client.get(_url("endpoint_edit", endpoint_id=robot.pk)).content.decode()
    client.post(_url("endpoint_edit", endpoint_id=robot.pk), _form(name="全区工作群", secret=""))
    robot.refresh_from_db()
    assert (robot.name, robot.secret) == ("全区工作群", "SECold")
    client.post(_url("endpoint_edit", endpoint_id=robot.pk), _form(name="全区工作群", secret="SECnew"))
    robot.refresh_from_db()
    assert robot.secret == "SECnew"


def test_bad_input_is_explained(world, login):
    _robot(world, name="已有的群")
    client = login(world.user("admin"))
    cases = [
        (_form(url="ftp://oapi.dingtalk.com/robot"), "Webhook 地址必须以 http:// 或 https:// 开头"),
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


def test_other_platforms_keep_their_secrets_optional(world, login):
    client = login(world.user("admin"))
    client.post(_url("endpoint_create"), _form(name="飞书群", platform="feishu", secret="fs-secret"))
    client.post(_url("endpoint_create"), _form(name="企微群", platform="wecom", secret=""))
    client.post(_url("endpoint_create"), _form(name="钉钉关键词群", secret=""))
    assert dict(WebhookEndpoint.objects.values_list("name", "secret")) == {
        "飞书群": "fs-secret",
        "企微群": "",
        "钉钉关键词群": "",
    }


def test_deactivate_and_send_a_test_message(world, login):
    robot = _robot(world)
    client = login(world.user("supervisor"))
    assert client.get(_url("endpoint_test", endpoint_id=robot.pk)).status_code == 405
    response = client.post(_url("endpoint_test", endpoint_id=robot.pk), follow=True)
    assert "测试消息已加入发送队列" in response.content.decode()
    client.post(_url("endpoint_test", endpoint_id=robot.pk))
    messages = list(OutboxMessage.objects.all())
    assert len(messages) == 2 and {(m.channel, m.endpoint) for m in messages} == {(Channel.WEBHOOK, robot)}
    assert "supervisor 发送的测试消息" in messages[0].payload["text"]
    client.post(_url("endpoint_deactivate", endpoint_id=robot.pk))
    robot.refresh_from_db()
    assert not robot.is_active
    response = client.post(_url("endpoint_test", endpoint_id=robot.pk), follow=True)
    assert "群机器人已停用" in response.content.decode()
    assert OutboxMessage.objects.count() == 2


def test_another_zones_robot_does_not_exist(world, login):
    robot = WebhookEndpoint.objects.create(zone=world.other_zone, name="乙区群", platform="wecom", url=DING)
    client = login(world.user("admin"))
    assert client.get(_url("endpoint_edit", endpoint_id=robot.pk)).status_code == 404
    assert client.post(_url("endpoint_test", endpoint_id=robot.pk)).status_code == 404
    assert "乙区群" not in client.get(_url("endpoint_list")).content.decode()
