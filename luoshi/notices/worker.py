"""The outbox worker: claim due messages, send each outside the claim transaction, record how it went."""

import logging
import os
import socket
import threading
import time
from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.notices import actions, channels
from luoshi.notices.channels import Outcome
from luoshi.notices.choices import Channel, OutboxStatus
from luoshi.notices.models import OutboxMessage

logger = logging.getLogger("luoshi.notices")


def send(message: OutboxMessage) -> Outcome:
    if message.channel == Channel.EMAIL:
        if not settings.LUOSHI_EMAIL_ENABLED:
            return Outcome(False, error=_("未配置邮件服务器（LUOSHI_EMAIL_HOST）"), permanent=True)
        return channels.send_email(message.to_address, message.payload)
    endpoint = message.endpoint
    if endpoint is None or not endpoint.is_active:
        return Outcome(False, error=_("群机器人已停用"), permanent=True)
    return channels.send_webhook(endpoint, message.payload)


class Worker:
    def __init__(self, batch: int = 20) -> None:
        self.batch = batch
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"
        self.stopping = threading.Event()
        self.counts = {OutboxStatus.SENT: 0, OutboxStatus.PENDING: 0, OutboxStatus.DEAD: 0}
        # Long enough for the whole batch to time out twice over: a live worker never loses its claim.
        self.lease = timedelta(seconds=30 + batch * 2 * settings.LUOSHI_NOTICE_TIMEOUT)

    def deliver(self, message: OutboxMessage) -> str:
        started, clock = timezone.now(), time.monotonic()
        if message.attempts > settings.LUOSHI_OUTBOX_MAX_ATTEMPTS:
            # Claimed again and again by workers that died before recording anything: stop trying.
            outcome = Outcome(False, error=_("发送多次中断，已放弃"), permanent=True)
        else:
            try:
                outcome = send(message)
            except Exception as error:  # one malformed message must not stop the others
                logger.exception("outbox message %s failed to send", message.pk)
                outcome = Outcome(False, error=f"{type(error).__name__}: {error}")
        duration_ms = int((time.monotonic() - clock) * 1000)
        status = actions.record_delivery(message, self.id, started, duration_ms, outcome)
        self.counts[OutboxStatus(status)] += 1
        if not outcome.ok:
            logger.warning("outbox message %s: %s (%s)", message.pk, outcome.error, status)
        return status

    def run_batch(self) -> int:
        """Claim and send one batch; returns how many messages it claimed."""
        messages = actions.claim_due(self.id, self.batch, self.lease)
        for done, message in enumerate(messages):
            if self.stopping.is_set():
                actions.release_claims(self.id, [m.pk for m in messages[done:]])
                break
            self.deliver(message)
        return len(messages)

    def drain(self) -> None:
        """Send until nothing is due (failures wait for their back-off) or a stop is requested."""
        while not self.stopping.is_set() and self.run_batch():
            pass

    def loop(self, interval: float) -> None:
        """Until stopped: drain, then sleep. A failing database is logged and retried, never fatal."""
        while not self.stopping.is_set():
            close_old_connections()  # the loop outlives connections, as a request would
            try:
                self.drain()
            except Exception:
                logger.exception("outbox worker %s: batch failed; retrying in %s s", self.id, interval)
            self.stopping.wait(interval)

    def stop(self, *args: object) -> None:
        """Signal handler: finish the message in hand, hand the rest back, exit."""
        self.stopping.set()
