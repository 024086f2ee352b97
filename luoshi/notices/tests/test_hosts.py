"""Issue "SSRF through group-robot webhooks": robots reach only the platforms' own hosts over https, or the
gateways the administrator lists; the address is checked after DNS resolution, at send time, and then used."""

import ipaddress
import socket
from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django import Settings
from time_machine import TimeMachineFixture

from luoshi.conftest import World
from luoshi.notices import actions, hosts
from luoshi.notices.choices import OutboxStatus, Platform
from luoshi.notices.forms import EndpointForm
from luoshi.notices.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from luoshi.notices.tests.servers import Receiver
from luoshi.org.models import Zone

DING = "https://oapi.dingtalk.com/robot/send?access_token=abc"
SSRF_URLS = [
    ("http://127.0.0.1:8000/admin/", "不允许发往 127.0.0.1"),
    ("https://169.254.169.254/latest/meta-data/", "不允许发往 169.254.169.254"),
    ("https://10.0.0.1/robot/send", "不允许发往 10.0.0.1"),
    ("https://[::1]/robot/send", "不允许发往 ::1"),
    ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "qyapi.weixin.qq.com 只能通过 https://"),
    ("https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send", "qyapi.weixin.qq.com 只能通过 https://"),
    ("https://robot.example.com/send", "不允许发往 robot.example.com"),
    ("https://qyapi.weixin.qq.com.evil.cn/send", "不允许发往 qyapi.weixin.qq.com.evil.cn"),
    ("https://oapi.dingtalk.com@169.254.169.254/", "不能包含用户名或密码"),
]


def _form(url: str, platform: str, zone: Zone) -> EndpointForm:
    data = {"name": "群", "platform": platform, "url": url, "secret": "", "is_active": "on"}
    return EndpointForm(data, zone=zone)


@pytest.mark.parametrize(("url", "error"), SSRF_URLS)
def test_the_form_refuses_internal_and_unknown_hosts(world: World, url: str, error: str) -> None:
    form = _form(url, Platform.WECOM, world.zone)
    assert not form.is_valid()
    assert error in form.errors["url"][0]
    assert "LUOSHI_ROBOT_ALLOWED_HOSTS" in form.errors["url"][0] or "不允许" not in error


def test_each_platform_only_to_its_own_hosts(world: World) -> None:
    accepted = [
        (Platform.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
        (Platform.DINGTALK, DING),
        (Platform.FEISHU, "https://open.feishu.cn/open-apis/bot/v2/hook/x"),
        (Platform.FEISHU, "https://open.larksuite.com/open-apis/bot/v2/hook/x"),
        (Platform.FEISHU, "https://OPEN.FEISHU.CN:443/open-apis/bot/v2/hook/x"),
    ]
    for platform, url in accepted:
        assert _form(url, platform, world.zone).is_valid(), url
    form = _form(DING, Platform.WECOM, world.zone)
    assert not form.is_valid()
    assert form.errors["url"] == ["oapi.dingtalk.com 不是企业微信的机器人地址，应为 qyapi.weixin.qq.com"]


def test_the_allow_list_admits_exactly_its_gateways(world: World, settings: Settings) -> None:
    settings.LUOSHI_ROBOT_ALLOWED_HOSTS = [
        "wecom.gov.local",
        "https://gw.gov.local:8443",
        "http://10.8.0.5:8080",
    ]
    for url in (
        "https://wecom.gov.local/cgi-bin/webhook/send?key=k",
        "https://gw.gov.local:8443/send",
        "http://10.8.0.5:8080/cgi-bin/webhook/send",
    ):
        assert hosts.check_url(url).listed, url
        assert _form(url, Platform.WECOM, world.zone).is_valid(), url
    for url in (
        "http://wecom.gov.local/send",  # an entry without a scheme allows https only
        "https://wecom.gov.local:8443/send",
        "https://gw.gov.local/send",
        "https://10.8.0.5:8080/send",
        "http://10.8.0.5:8081/send",
    ):
        with pytest.raises(hosts.Refused):
            hosts.check_url(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fd00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::",
    ],
)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not hosts._public(ipaddress.ip_address(address))


def test_public_addresses_are(db: None) -> None:
    assert all(
        hosts._public(ipaddress.ip_address(a)) for a in ("203.119.1.1", "2408:8000::1", "::ffff:8.8.8.8")
    )


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Fails any connection: a refused robot must be refused before connecting."""
    attempts: list[object] = []

    def connect(sock: socket.socket, address: object) -> None:
        attempts.append(address)
        raise ConnectionRefusedError("no network in tests")

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


def _dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    asked: list[str] = []

    def getaddrinfo(
        host: str, port: int, *args: object, **kwargs: object
    ) -> list[tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[str, int]]]:
        asked.append(host)
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def _send_one(world: World, url: str, platform: str = Platform.DINGTALK) -> OutboxMessage:
    WebhookEndpoint.objects.create(zone=world.zone, name="群", platform=platform, url=url)
    actions.notify_group(world.zone, None, "预警", "逾期", "", "warning:ssrf")
    call_command("outbox", "--once", stdout=StringIO())
    return OutboxMessage.objects.get()


@pytest.mark.parametrize("answer", [["10.0.0.5"], ["203.119.1.1", "127.0.0.1"], ["::ffff:169.254.169.254"]])
def test_a_platform_host_resolving_to_an_internal_address_is_refused_at_send_time(
    world: World,
    frozen: TimeMachineFixture,
    monkeypatch: pytest.MonkeyPatch,
    no_network: list[object],
    answer: list[str],
) -> None:
    _dns(monkeypatch, {"oapi.dingtalk.com": answer})
    message = _send_one(world, DING)
    assert message.status == OutboxStatus.DEAD  # permanent: retrying cannot help
    assert "oapi.dingtalk.com 解析到内网或保留地址" in message.last_error
    assert no_network == []


def test_a_row_saved_before_the_fix_is_refused_at_send_time(
    world: World, frozen: TimeMachineFixture, no_network: list[object]
) -> None:
    message = _send_one(world, "http://169.254.169.254/latest/meta-data/iam/")
    assert message.status == OutboxStatus.DEAD and "不允许发往 169.254.169.254" in message.last_error
    assert no_network == [] and DeliveryAttempt.objects.get().status_code is None


def test_the_checked_address_is_the_one_connected_to(
    world: World, frozen: TimeMachineFixture, monkeypatch: pytest.MonkeyPatch, no_network: list[object]
) -> None:
    """No second lookup between check and connect, so a rebinding DNS server cannot answer differently."""
    asked = _dns(monkeypatch, {"oapi.dingtalk.com": ["203.119.1.1"]})
    message = _send_one(world, DING)
    assert asked == ["oapi.dingtalk.com"]
    assert no_network == [("203.119.1.1", 443)]
    assert message.status == OutboxStatus.PENDING and message.last_error.startswith("连接失败")


def test_an_allow_listed_gateway_may_be_private_and_keeps_its_host_name(
    world: World,
    receiver: Receiver,
    frozen: TimeMachineFixture,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:
    port = receiver.server.server_address[1]
    settings.LUOSHI_ROBOT_ALLOWED_HOSTS = [f"http://wecom.gov.local:{port}"]
    _dns(monkeypatch, {"wecom.gov.local": ["127.0.0.1"]})
    message = _send_one(world, f"http://wecom.gov.local:{port}/cgi-bin/webhook/send?key=k", Platform.WECOM)
    assert message.status == OutboxStatus.SENT
    (received,) = receiver.received
    assert received.headers["Host"] == f"wecom.gov.local:{port}" and received.query == {"key": "k"}


def test_the_local_receiver_is_refused_unless_allow_listed(
    world: World, receiver: Receiver, frozen: TimeMachineFixture, settings: Settings
) -> None:
    settings.LUOSHI_ROBOT_ALLOWED_HOSTS = []
    message = _send_one(world, receiver.url(), Platform.WECOM)
    assert message.status == OutboxStatus.DEAD and "不允许发往 127.0.0.1" in message.last_error
    assert receiver.received == []
