"""Where group robots may be reached, and reaching them without being steered elsewhere (SSRF).

A robot URL must be https to one of the platforms' own hosts, or match an entry of the administrator's
LUOSHI_ROBOT_ALLOWED_HOSTS (a self-hosted gateway, e.g. a private WeCom deployment). At send time the host is
resolved once; unless it is allow-listed, every address must be public. The connection then goes to the checked
address itself (no second lookup a rebinding DNS server could answer differently), with the original Host header
and, for https, SNI and certificate checks against the host name. Redirects are never followed.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from luoshi.notices.choices import Platform

# Each platform's documented robot host (Lark is Feishu's international edition).
PLATFORM_HOSTS = {
    Platform.WECOM: frozenset({"qyapi.weixin.qq.com"}),
    Platform.DINGTALK: frozenset({"oapi.dingtalk.com"}),
    Platform.FEISHU: frozenset({"open.feishu.cn", "open.larksuite.com"}),
}
DEFAULT_PORTS = {"http": 80, "https": 443}
SETTING = "LUOSHI_ROBOT_ALLOWED_HOSTS"


class Refused(ValueError):
    """The URL or the address it resolves to is not allowed; the message says why, in Chinese."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # lower case, IPv6 without brackets
    port: int
    listed: bool  # in LUOSHI_ROBOT_ALLOWED_HOSTS: any address is accepted, private ones included


def allowed_entries() -> set[tuple[str, str, int]]:
    """(scheme, host, port) for each entry of the setting (checked in settings.py); an entry without a scheme
    allows https only."""
    entries = set()
    for entry in settings.LUOSHI_ROBOT_ALLOWED_HOSTS:
        parts = urlsplit(entry if "://" in entry else f"https://{entry}")
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        entries.add((scheme, host, parts.port or DEFAULT_PORTS[scheme]))
    return entries


def check_url(url: str, platform: str | None = None) -> Target:
    """The target of a robot URL, or Refused. With `platform`, a default host must be that platform's."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        raise Refused(_("Webhook 地址必须以 https:// 开头"))
    if parts.username is not None or parts.password is not None:
        raise Refused(_("Webhook 地址不能包含用户名或密码"))
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise Refused(_("Webhook 地址的端口无效")) from None
    if (scheme, host, port) in allowed_entries():
        return Target(scheme, host, port, listed=True)
    platforms = [p for p, hosts in PLATFORM_HOSTS.items() if host in hosts]
    if not platforms:
        raise Refused(
            _(
                "不允许发往 %(host)s：群机器人只能发往企业微信、钉钉、飞书的官方地址，"
                "自建网关须由服务器管理员加入 %(setting)s"
            )
            % {"host": host, "setting": SETTING}
        )
    if scheme != "https" or port != 443:
        raise Refused(_("%(host)s 只能通过 https://（443 端口）访问") % {"host": host})
    if platform in PLATFORM_HOSTS and platform not in platforms:
        raise Refused(
            _("%(host)s 不是%(platform)s的机器人地址，应为 %(expected)s")
            % {
                "host": host,
                "platform": Platform(platform).label,
                "expected": "、".join(sorted(PLATFORM_HOSTS[Platform(platform)])),
            }
        )
    return Target(scheme, host, port, listed=False)


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Reachable on the internet: not loopback, link-local, private, multicast, reserved or unspecified."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return _public(embedded)
    return address.is_global and not (address.is_multicast or address.is_reserved)


Address = tuple[socket.AddressFamily, Any]  # family and socket address, as getaddrinfo gives them


def resolve(target: Target) -> list[Address]:
    """The addresses to connect to, each checked; a literal IP goes through the same check."""
    infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys((family, sockaddr) for family, _t, _p, _c, sockaddr in infos))
    if not target.listed:
        for _family, sockaddr in addresses:
            if not _public(ipaddress.ip_address(sockaddr[0])):
                raise Refused(
                    _(
                        "%(host)s 解析到内网或保留地址 %(address)s，已拒绝发送（可由服务器管理员加入 %(setting)s）"
                    )
                    % {"host": target.host, "address": sockaddr[0], "setting": SETTING}
                )
    return addresses


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to checked addresses only, with no lookup of its own; the Host header names the URL's host."""

    def __init__(self, target: Target, addresses: list[Address], timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        error: OSError = OSError("no address")
        for family, sockaddr in self.addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.timeout)
                sock.connect(sockaddr)
            except OSError as failed:
                sock.close()
                error = failed
                continue
            self.sock = sock
            return
        raise error


class PinnedHTTPSConnection(PinnedHTTPConnection):
    default_port = 443

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()  # certificate and host name checked against the URL's host
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def post(
    target: Target, addresses: list[Address], path: str, body: bytes, timeout: float, limit: int
) -> tuple[int, bytes]:
    """POST once; the status and at most `limit` bytes of the answer. A 3xx is returned, never followed."""
    kind = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = kind(target, addresses, timeout)
    try:
        headers = {"Content-Type": "application/json; charset=utf-8", "Connection": "close"}
        connection.request("POST", path or "/", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(limit)
    finally:
        connection.close()
