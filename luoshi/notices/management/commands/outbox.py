import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.notices.choices import OutboxStatus
from luoshi.notices.worker import Worker


class Command(BaseCommand):
    help = _("发送待发的通知邮件和群机器人消息")

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help=_("发完当前到期的消息后退出（默认）"))
        mode.add_argument("--loop", action="store_true", help=_("持续运行，直到收到 SIGTERM 或 SIGINT"))
        parser.add_argument("--batch", type=int, default=20, help=_("每次领取的消息数（默认 20）"))
        parser.add_argument("--interval", type=float, default=5.0, help=_("空闲时的轮询间隔秒数（默认 5）"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1 or options["interval"] <= 0:
            raise CommandError(_("--batch 和 --interval 必须大于 0"))
        worker = Worker(batch=options["batch"])
        if options["loop"]:
            previous = {sig: signal.signal(sig, worker.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
            try:
                worker.loop(options["interval"])
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
        else:
            worker.drain()
        counts = worker.counts
        self.stdout.write(
            _("已发送 %(sent)d 条，待重试 %(retry)d 条，放弃 %(dead)d 条")
            % {
                "sent": counts[OutboxStatus.SENT],
                "retry": counts[OutboxStatus.PENDING],
                "dead": counts[OutboxStatus.DEAD],
            }
        )
