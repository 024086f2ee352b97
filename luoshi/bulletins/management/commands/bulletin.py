import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.alerts.prints import PrintUnavailable
from luoshi.bulletins.actions import compose
from luoshi.bulletins.choices import BulletinStatus, PeriodKind
from luoshi.bulletins.document import Bulletin as Document
from luoshi.bulletins.facts import Period
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.pdf import bulletin_pdf
from luoshi.bulletins.queries import document
from luoshi.bulletins.word import bulletin_docx
from luoshi.org.models import Zone

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class Command(BaseCommand):
    help = _("起草某月的督查通报（Word，可选 PDF 和 JSON）；该月已印发的，输出印发的那一期")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--month", required=True, help=_("月份，如 2026-11"))
        parser.add_argument("--out", required=True, help=_("Word 文件路径（.docx）"))
        parser.add_argument("--pdf", help=_("同时输出 PDF 的路径"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出通报内容"))

    def handle(self, *args: Any, **options: Any) -> None:
        zone = Zone.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(_("没有代码为“%(code)s”的园区") % {"code": options["zone"]})
        period = _period(options["month"])
        if period.span.starts_on > timezone.localdate():
            raise CommandError(_("%(period)s还没有开始，不能起草通报。") % {"period": period.span.label})
        doc = _issued(zone, period) or compose(zone, period, timezone.localdate())[1]
        try:
            Path(options["out"]).write_bytes(bulletin_docx(doc))
            if options["pdf"]:
                Path(options["pdf"]).write_bytes(bulletin_pdf(doc))
        except (OSError, PrintUnavailable) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(doc.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(_("已生成：%(path)s") % {"path": options["out"]})


def _period(text: str) -> Period:
    found = MONTH.match(text.strip())
    if found is None or not 1 <= int(found[2]) <= 12:
        raise CommandError(_("月份“%(text)s”不对，应写成 YYYY-MM，如 2026-11") % {"text": text})
    return Period(PeriodKind.MONTH, int(found[1]), int(found[2]))


def _issued(zone: Zone, period: Period) -> Document | None:
    bulletin = Bulletin.objects.filter(
        zone=zone, year=period.year, kind=period.kind, index=period.index, status=BulletinStatus.ISSUED
    ).first()
    return document(bulletin) if bulletin is not None else None
