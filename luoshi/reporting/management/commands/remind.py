import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from luoshi.reporting.reminders import send_digests, send_reminders

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = _("发送报送提醒（截止前、截止时、逾期后）和领导周一摘要；每条只发一次")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help=_("持续运行，直到收到停止信号"))
        parser.add_argument("--interval", type=float, default=300, help=_("两轮之间的秒数"))

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            try:
                reminders, digests = send_reminders(), send_digests()
                self.stdout.write(
                    _("提醒 %(r)d 人次，摘要 %(d)d 人次") % {"r": reminders.reminders, "d": digests.digests}
                )
            except Exception:  # a bad round must not stop the reminders for good
                if not loop:
                    raise
                log.exception("reminder round failed")
            if not loop or stopping:
                return
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, interval))
