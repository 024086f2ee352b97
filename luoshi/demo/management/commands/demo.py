"""`luoshi demo [--reset]`: build the demo zone, or say how to log in to the one already there."""

import os
import unicodedata
from time import perf_counter

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.demo.build import build_demo, remove_demo
from luoshi.demo.innovation import party_names
from luoshi.demo.org import ACCOUNTS, PASSWORD, ZONE_CODE, taken_usernames
from luoshi.org.choices import Role
from luoshi.org.models import Zone

# Where the server that `make demo` starts listens: `--url`, else LUOSHI_DEMO_URL, else Django's default.
URL = "http://127.0.0.1:8000/"


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = _("建立演示园区“高新区（演示）”：单位、各角色账号和两个已下发的计划。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help=_("删除已有的演示园区和演示账号后重建"))
        parser.add_argument(
            "--url",
            default=os.environ.get("LUOSHI_DEMO_URL") or URL,
            help=_("登录地址，如 http://127.0.0.1:8000/（make demo 按 HOST 和 PORT 填写）"),
        )

    def handle(self, *args: str, reset: bool, url: str, **options: object) -> None:
        if Zone.objects.filter(code=ZONE_CODE).exists() and not reset:
            self.stdout.write(_("演示园区已存在，未作任何改动；如需重建，请加 --reset。"))
        else:
            self._build()
        self.stdout.write(_("请在浏览器中打开 %(url)s ，用下列账号登录：") % {"url": url})
        rows = [[_("用户名"), _("密码"), _("角色"), _("单位")]]
        parties = party_names(ZONE_CODE)  # the enterprise and the bank the outside accounts act for
        rows += [
            [a.username, PASSWORD, str(Role(a.role).label), parties.get(a.username) or a.unit or _("全区")]
            for a in ACCOUNTS
        ]
        for line in _table(rows):
            self.stdout.write(line)

    def _build(self) -> None:
        if taken := taken_usernames():
            raise CommandError(
                _("用户名 %(names)s 已被演示园区以外的账号使用，无法建立演示园区。")
                % {"names": "、".join(taken)}
            )
        started = perf_counter()
        with transaction.atomic():
            if remove_demo():
                self.stdout.write(_("已删除原有的演示园区和演示账号。"))
            build_demo(timezone.localdate(), stdout=self.stdout)
        seconds = perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(_("演示园区已建好，用时 %(seconds).1f 秒。") % {"seconds": seconds})
        )
