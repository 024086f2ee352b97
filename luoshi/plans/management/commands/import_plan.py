from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from luoshi.org.import_command import ImportCommand
from luoshi.plans.actions import import_plan
from luoshi.plans.importing import ImportPreview, preview_import
from luoshi.plans.parsing import parse_plan_file


class Command(ImportCommand):
    help = _("导入任务分解表（.xlsx）或分工方案（.docx / .txt）为一个年度计划")
    items_key = "nodes"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--year", required=True, type=int, help=_("计划年度"))
        parser.add_argument("--title", default="", help=_("计划标题（默认取文件中的标题）"))
        self.add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        zone, year, title = self.zone(options["zone"]), options["year"], options["title"]
        data, name = self.read_file(options)
        parsed = parse_plan_file(data, name, year)

        def preview(answers: dict[str, str]) -> ImportPreview:
            return preview_import(zone, year, parsed, answers, title, source_name=name)

        def commit(found: ImportPreview) -> str:
            plan = import_plan(found, self.user(options))
            return _("已导入计划“%(title)s”（%(year)d年），共 %(count)d 个事项") % {
                "title": plan.title,
                "year": plan.year,
                "count": len(parsed.nodes),
            }

        self.run(options, self.resolutions(zone, options), preview, commit)

    def checked_message(self, count: int) -> str:
        return _("检查通过：%(count)d 个事项，未写入") % {"count": count}
