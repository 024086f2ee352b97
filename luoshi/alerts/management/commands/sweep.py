import json
import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _

from luoshi.alerts.actions import SweepResult, sweep
from luoshi.org.models import Zone

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = _("按预警规则检查全部事项，新增、更新或解除预警")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出结果"))
        parser.add_argument("--loop", action="store_true", help=_("持续运行，直到收到 SIGTERM 或 SIGINT"))
        parser.add_argument("--interval", type=float, default=300.0, help=_("两次检查之间的秒数（默认 300）"))
        parser.add_argument("--zone", help=_("只检查这个园区（代码）"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0:
            raise CommandError(_("--interval 必须大于 0"))
        zones = None
        if options["zone"]:
            zones = list(Zone.objects.filter(code=options["zone"]))
            if not zones:
                raise CommandError(_("没有代码为“%(code)s”的园区") % {"code": options["zone"]})
        if not options["loop"]:
            self._report(sweep(zones), options["json"])
            return
        stopping = threading.Event()
        previous = {
            sig: signal.signal(sig, lambda *a: stopping.set()) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            while not stopping.is_set():
                close_old_connections()  # the loop outlives connections, as a request would
                try:
                    self._report(sweep(zones), options["json"])
                except Exception:  # a failing database is logged and retried next round, never fatal
                    logger.exception("sweep failed; retrying in %s s", options["interval"])
                stopping.wait(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _report(self, result: SweepResult, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        data = result.as_json()
        self.stdout.write(
            _(
                "新增 %(created)d 条，更新 %(updated)d 条，解除 %(resolved)d 条；当前红色 %(red)d、黄色 %(yellow)d、蓝色 %(blue)d 条"
            )
            % {**data, **data["open"]}
        )
