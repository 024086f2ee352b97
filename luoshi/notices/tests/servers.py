"""Local stand-ins for the outside world: a group-robot receiver and an SMTP server, each in a thread on 127.0.0.1."""

import json
import socketserver
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# What the receiver answers, one per request in order, then `default`:
OK = "ok"  # 200 {"errcode": 0, "code": 0}: WeCom, DingTalk and Feishu all read it as accepted
REFUSE = "refuse"  # 200 with an error code, as a robot answers a bad signature
FAIL = "fail"  # HTTP 500
HANG = "hang"  # answers only after `hang_seconds`, past the client's timeout
REDIRECT = "redirect"  # 302 to /redirected on the same server: a client that follows is seen there
# In every error answer: a page showing or a row keeping it has kept the answer's body.
REPLY_TEXT = "reply-body-169.254.169.254-credentials"


@dataclass
class Received:
    path: str
    raw_query: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    script: list[str] = field(default_factory=list)
    default: str = OK
    hang_seconds: float = 1.0
    received: list[Received] = field(default_factory=list)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def next_answer(self) -> str:
        return self.script.pop(0) if self.script else self.default


def _handler(receiver: "Receiver") -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # only a client following a redirect asks with GET
            self.do_POST()

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}"
            parts = urlsplit(self.path)
            receiver.received.append(
                Received(
                    parts.path,
                    parts.query,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    dict(self.headers),
                    json.loads(raw),
                )
            )
            answer = receiver.next_answer()
            if answer == HANG:
                time.sleep(receiver.hang_seconds)
            headers = {"Content-Type": "application/json"}
            body: dict[str, object]
            if answer == FAIL:
                status, body = 500, {"error": REPLY_TEXT}
            elif answer == REDIRECT:
                status, body = 302, {"error": REPLY_TEXT}
                headers["Location"] = receiver.url("/redirected")
            elif answer == REFUSE:
                status, body = (
                    200,
                    {"errcode": 310000, "errmsg": REPLY_TEXT, "code": 19021, "msg": REPLY_TEXT},
                )
            else:
                status, body = 200, {"errcode": 0, "errmsg": "ok", "code": 0, "msg": "success"}
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (timeout) before the answer
                pass

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def start_receiver() -> Receiver:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    server.block_on_close = False
    receiver = Receiver(server)
    server.RequestHandlerClass = _handler(receiver)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return receiver


@dataclass
class Smtp:
    server: socketserver.ThreadingTCPServer
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.server_address[1]


def _smtp_handler(smtp: "Smtp") -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        """Just enough RFC 5321 for smtplib: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.reply("220 localhost test SMTP")
            rcpts: list[str] = []
            while line := self.rfile.readline():
                verb = line.decode().strip().split(" ", 1)[0].upper()
                if verb == "EHLO":
                    self.reply("250-localhost")
                    self.reply("250 8BITMIME")
                elif verb == "RCPT":
                    rcpts.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 go ahead")
                    data = b""
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                        data += chunk[1:] if chunk.startswith(b"..") else chunk
                    smtp.messages.append(
                        message_from_bytes(data.replace(b"\r\n", b"\n"), policy=policy.default)
                    )
                    smtp.recipients.append(rcpts)
                    rcpts = []
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:  # HELO, MAIL, RSET, NOOP
                    self.reply("250 OK")

    return Handler


def start_smtp() -> Smtp:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), socketserver.StreamRequestHandler)
    server.daemon_threads = True
    smtp = Smtp(server)
    server.RequestHandlerClass = _smtp_handler(smtp)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return smtp
