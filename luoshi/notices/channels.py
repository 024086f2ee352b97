"""How a message leaves: group-robot payloads in each platform's own format and signature, HTTP, and email.

Formats and signatures follow each platform's documentation (checked against the published pages, not memory):
- WeCom (企业微信) 群机器人配置说明, work.weixin.qq.com/api/doc/90000/90136/91770: `{"msgtype": "markdown",
  "markdown": {"content": …}}`, content at most 4096 bytes of UTF-8; the answer is `{"errcode": 0, ...}`.
- DingTalk (钉钉) 自定义机器人接入, open.dingtalk.com/document/orgapp/custom-robot-access: markdown is
  `{"title", "text"}`; 加签 = HmacSHA256 keyed by the secret over `timestamp + "\\n" + secret` (timestamp in
  ms, within an hour), Base64, then urlEncode, appended as `&timestamp=…&sign=…`; the answer carries `errcode`.
- Feishu (飞书) 自定义机器人使用指南, open.feishu.cn/document/client-docs/bot-v3/add-custom-bot: `msg_type`
  "post" with `content.post.zh_cn.{title, content}`; 签名校验 uses `timestamp + "\\n" + secret` (timestamp in
  s, within an hour) as the HmacSHA256 KEY over an empty message, Base64, sent as `timestamp` and `sign` in the
  body (at most 20 KB); the answer carries `code`.
"""

import base64
import hashlib
import hmac
import http.client
import json
import smtplib
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from luoshi.notices import hosts
from luoshi.notices.choices import Platform
from luoshi.notices.models import WebhookEndpoint

# Bytes of text each platform takes (WeCom's documented limit; DingTalk and Feishu kept well under theirs).
TEXT_LIMIT = {Platform.WECOM: 4000, Platform.DINGTALK: 4000, Platform.FEISHU: 15000}
ANSWER_LIMIT = 4096  # a robot's answer is a short JSON object; read no more than this


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""  # our own words: never the answer's body
    permanent: bool = False  # retrying cannot help (the robot was deactivated, email was switched off)
    platform_code: int | None = None  # errcode (WeCom, DingTalk) or code (Feishu) from the robot's answer


def content(title: str, text: str, link: str) -> dict[str, str]:
    """What an outbox row stores: the channel formats (and signs) it when it sends."""
    return {"title": title, "text": text, "link": link}


def absolute_url(link: str) -> str:
    """Messages leave the site, so site-relative links get the site's address in front."""
    if link.startswith("/"):
        return settings.LUOSHI_SITE_URL.rstrip("/") + link
    return link


def _clip(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "…"


def _markdown(head: str, text: str, link: str, platform: Platform, joiner: str) -> str:
    """Heading, text and link joined; only the text is clipped, so the link survives a long message."""
    tail = f"[{_('查看详情')}]({absolute_url(link)})" if link else ""
    room = TEXT_LIMIT[platform] - len((head + tail).encode()) - 2 * len(joiner)
    return joiner.join(part for part in (head, _clip(text, room), tail) if part)


def wecom_payload(title: str, text: str, link: str) -> dict[str, Any]:
    return {
        "msgtype": "markdown",
        "markdown": {"content": _markdown(f"**{title}**", text, link, Platform.WECOM, "\n")},
    }


def dingtalk_payload(title: str, text: str, link: str) -> dict[str, Any]:
    # DingTalk's markdown needs a blank line for a line break.
    text = "\n\n".join(line for line in text.splitlines() if line.strip())
    return {
        "msgtype": "markdown",
        "markdown": {
            "title": title,
            "text": _markdown(f"#### {title}", text, link, Platform.DINGTALK, "\n\n"),
        },
    }


def feishu_payload(title: str, text: str, link: str) -> dict[str, Any]:
    rows: list[list[dict[str, str]]] = [
        [{"tag": "text", "text": line}] for line in _clip(text, TEXT_LIMIT[Platform.FEISHU]).splitlines()
    ]
    if link:
        rows.append([{"tag": "a", "text": _("查看详情"), "href": absolute_url(link)}])
    return {"msg_type": "post", "content": {"post": {"zh_cn": {"title": title, "content": rows}}}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """Base64 of HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret), before URL encoding."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Base64 of HMAC-SHA256(key=timestamp + "\\n" + secret, msg=b"")."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


PAYLOADS = {
    Platform.WECOM: wecom_payload,
    Platform.DINGTALK: dingtalk_payload,
    Platform.FEISHU: feishu_payload,
}


def webhook_request(endpoint: WebhookEndpoint, message: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The URL and JSON body for one robot, signed with the current time (both platforms allow an hour)."""
    platform = Platform(endpoint.platform)
    body = PAYLOADS[platform](message["title"], message["text"], message["link"])
    url = endpoint.url
    now = time.time()
    if endpoint.secret and platform == Platform.DINGTALK:
        timestamp_ms = int(now * 1000)
        sign = urllib.parse.quote_plus(dingtalk_sign(endpoint.secret, timestamp_ms))
        url += ("&" if "?" in url else "?") + f"timestamp={timestamp_ms}&sign={sign}"
    elif endpoint.secret and platform == Platform.FEISHU:
        timestamp_s = int(now)
        body = {"timestamp": str(timestamp_s), "sign": feishu_sign(endpoint.secret, timestamp_s), **body}
    return url, body


def _answer(platform: Platform, status: int, raw: bytes) -> Outcome:
    """A robot answers 200 even when it refuses: the JSON body's code says whether it took the message.
    Only the status and that code are kept, never the body (it may come from anywhere the URL pointed)."""
    field = "code" if platform == Platform.FEISHU else "errcode"
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    value = answer.get(field) if isinstance(answer, dict) else None
    # bool is an int; the column is a 32-bit integer
    code = value if type(value) is int and -(2**31) <= value < 2**31 else None
    if not 200 <= status < 300:
        error = f"HTTP {status}"
        if code is not None:
            error += f" {field}={code}"
    elif code is None:
        error = _("平台应答中没有 %(field)s") % {"field": field}
    elif code != 0:
        error = _("平台拒绝：%(field)s=%(code)s") % {"field": field, "code": code}
    else:
        error = ""
    return Outcome(not error, status, error, platform_code=code)


def send_webhook(endpoint: WebhookEndpoint, message: dict[str, str]) -> Outcome:
    """Checked twice: the URL against the allowed hosts (a row saved before the check existed, or since the
    allow-list shrank, is refused here), and the addresses its host resolves to."""
    try:
        target = hosts.check_url(endpoint.url, endpoint.platform)
        addresses = hosts.resolve(target)
    except hosts.Refused as refused:
        return Outcome(False, None, str(refused), permanent=True)
    except OSError as error:  # socket.gaierror: the name did not resolve (now)
        return Outcome(False, None, _("域名解析失败：%(reason)s") % {"reason": error})
    url, body = webhook_request(endpoint, message)
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    data = json.dumps(body, ensure_ascii=False).encode()
    timeout = settings.LUOSHI_NOTICE_TIMEOUT
    try:
        # The timeout bounds the connect and each read; a robot answers in well under a second.
        status, raw = hosts.post(target, addresses, path, data, timeout, ANSWER_LIMIT)
    except TimeoutError:
        return Outcome(False, None, _("超时（%(seconds)s 秒）") % {"seconds": timeout})
    except http.client.HTTPException as error:  # its text may quote the answer: the type says enough
        return Outcome(False, None, _("应答无效：%(reason)s") % {"reason": type(error).__name__})
    except OSError as error:  # refused, unreachable, certificate not valid for the host
        return Outcome(False, None, _("连接失败：%(reason)s") % {"reason": error})
    return _answer(Platform(endpoint.platform), status, raw)


def send_email(to_address: str, message: dict[str, str]) -> Outcome:
    text = message["text"]
    if message["link"]:
        text += "\n\n" + _("查看详情：%(url)s") % {"url": absolute_url(message["link"])}
    connection = get_connection(timeout=settings.LUOSHI_NOTICE_TIMEOUT)
    email = EmailMessage(
        message["title"], text, settings.DEFAULT_FROM_EMAIL, [to_address], connection=connection
    )
    try:
        email.send()
    except smtplib.SMTPResponseException as error:
        reply = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else error.smtp_error
        )
        return Outcome(False, error.smtp_code, f"SMTP {error.smtp_code} {reply}")
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(False, None, _("邮件发送失败：%(error)s") % {"error": error})
    return Outcome(True)
