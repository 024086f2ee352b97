from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.plans.export import export_plan_xlsx
from luoshi.plans.models import Plan
from luoshi.plans.queries import all_plan_items


class Command(BaseCommand):
    help = _("把一个年度计划导出为任务分解表（.xlsx）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--year", required=True, type=int, help=_("计划年度"))
        parser.add_argument("--title", default="", help=_("该年度有多个计划时，指定计划标题"))
        parser.add_argument("--out", required=True, help=_("输出文件，如 plan.xlsx"))

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.filter(zone__code=options["zone"], year=options["year"])
        if options["title"]:
            plans = plans.filter(title=options["title"])
        found = list(plans[:10])
        if not found:
            raise CommandError(
                _("没有找到 %(zone)s 园区 %(year)d 年的计划")
                % {"zone": options["zone"], "year": options["year"]}
            )
        if len(found) > 1:
            titles = "、".join(p.title for p in found)
            raise CommandError(_("该年度有多个计划，请用 --title 指定：%(titles)s") % {"titles": titles})
        plan = found[0]
        out = Path(options["out"])
        items = all_plan_items(plan)
        out.write_bytes(export_plan_xlsx(plan, items))
        self.stdout.write(
            _("已导出“%(title)s”（%(count)d 个事项）到 %(path)s")
            % {"title": plan.title, "count": len(items), "path": out}
        )
