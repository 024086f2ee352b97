from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from luoshi.org.import_command import ImportCommand
from luoshi.projects.actions.imports import import_ledger
from luoshi.projects.importing import LedgerPreview, preview_ledger
from luoshi.projects.ledger import parse_ledger


class Command(ImportCommand):
    help = _("导入重点项目台账（.xlsx）：新项目加入当年台账，同名项目按台账更新")
    items_key = "projects"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--year", type=int, help=_("台账年度（默认取文件标题中的年份，否则今年）"))
        self.add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        zone, year = self.zone(options["zone"]), options["year"]
        user = self.user(options)
        data, name = self.read_file(options)
        parsed = parse_ledger(data, name, year)

        def preview(answers: dict[str, str]) -> LedgerPreview:
            return preview_ledger(zone, parsed, year, answers, source_name=name)

        def commit(found: LedgerPreview) -> str:
            projects = import_ledger(found, user)
            return _("已导入%(year)d年重点项目台账：新增 %(added)d 个，更新 %(updated)d 个") % {
                "year": found.year,
                "added": len(projects) - found.n_updated,
                "updated": found.n_updated,
            }

        self.run(options, self.resolutions(zone, options), preview, commit)

    def checked_message(self, count: int) -> str:
        return _("检查通过：%(count)d 个项目，未写入") % {"count": count}
