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
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from luoshi.notices.choices import Platform
from luoshi.notices.models import WebhookEndpoint

# Bytes of text each platform takes (WeCom's documented limit; DingTalk and Feishu kept well under theirs).
TEXT_LIMIT = {Platform.WECOM: 4000, Platform.DINGTALK: 4000, Platform.FEISHU: 15000}
ANSWER_LIMIT = 64 * 1024  # a robot's answer is a short JSON object; read no more than this


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""
    permanent: bool = False  # retrying cannot help (the robot was deactivated, email was switched off)


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


def _platform_error(platform: Platform, answer: Any) -> str:
    """A robot answers 200 even when it refuses: the JSON body says whether it took the message."""
    field = "code" if platform == Platform.FEISHU else "errcode"
    if not isinstance(answer, dict) or field not in answer:
        return _("平台应答格式不对：%(answer)s") % {"answer": str(answer)[:200]}
    if answer[field] != 0:
        detail = answer.get("msg") or answer.get("errmsg") or ""
        return _("平台拒绝：%(field)s=%(code)s %(detail)s") % {
            "field": field,
            "code": answer[field],
            "detail": detail,
        }
    return ""


def send_webhook(endpoint: WebhookEndpoint, message: dict[str, str]) -> Outcome:
    url, body = webhook_request(endpoint, message)
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        # The timeout bounds the connect and each read; a robot answers in well under a second.
        with urllib.request.urlopen(request, timeout=settings.LUOSHI_NOTICE_TIMEOUT) as response:
            status, raw = response.status, response.read(ANSWER_LIMIT)
    except urllib.error.HTTPError as error:
        snippet = error.read(200).decode(errors="replace")
        return Outcome(False, error.code, f"HTTP {error.code} {snippet}".strip())
    except (OSError, http.client.HTTPException) as error:  # URLError and timeouts are OSErrors
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            return Outcome(
                False, None, _("超时（%(seconds)s 秒）") % {"seconds": settings.LUOSHI_NOTICE_TIMEOUT}
            )
        return Outcome(False, None, _("连接失败：%(reason)s") % {"reason": reason})
    try:
        answer = json.loads(raw)
    except ValueError:
        return Outcome(
            False, status, _("平台应答不是 JSON：%(raw)s") % {"raw": raw[:200].decode(errors="replace")}
        )
    error_text = _platform_error(Platform(endpoint.platform), answer)
    return Outcome(not error_text, status, error_text)


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
