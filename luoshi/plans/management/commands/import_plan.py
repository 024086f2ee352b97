from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.org.import_command import ImportCommand
from luoshi.org.resolving import CREATE_PREFIX
from luoshi.plans.actions import import_plan
from luoshi.plans.importing import preview_import
from luoshi.plans.parsing import MAX_FILE_BYTES, parse_plan_file


class Command(ImportCommand):
    help = _("导入任务分解表（.xlsx）或分工方案（.docx / .txt）为一个年度计划")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--year", required=True, type=int, help=_("计划年度"))
        parser.add_argument("--title", default="", help=_("计划标题（默认取文件中的标题）"))
        self.add_unit_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        zone = self.zone(options["zone"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        if path.stat().st_size > MAX_FILE_BYTES:
            # Not read at all: the parser would say the same after loading it into memory.
            error = {"row": None, "column": None, "severity": "error", "message": _("文件超过 20 MB 上限")}
            self._finish(options, {"nodes": [], "errors": [error]}, ok=False)
        parsed = parse_plan_file(path.read_bytes(), path.name, options["year"])
        resolutions = self.resolutions(zone, options)
        preview = preview_import(
            zone, options["year"], parsed, resolutions, options["title"], source_name=path.name
        )
        if preview.unknown and options["create_units"]:
            resolutions.update({u.name: CREATE_PREFIX + options["create_units"] for u in preview.unknown})
            preview = preview_import(
                zone, options["year"], parsed, resolutions, options["title"], source_name=path.name
            )
        ok = not preview.has_errors
        if ok and not options["dry_run"]:
            plan = import_plan(preview, self.user(options))
            if not options["json"]:
                self.stdout.write(
                    _("已导入计划“%(title)s”（%(year)d年），共 %(count)d 个事项")
                    % {"title": plan.title, "year": plan.year, "count": len(parsed.nodes)}
                )
        self._finish(options, preview.as_json(), ok)

    def _finish(self, options: dict[str, Any], result: dict[str, Any], ok: bool) -> None:
        checked = _("检查通过：%(count)d 个事项，未写入") % {"count": len(result["nodes"])}
        self.finish(options, result, ok, checked)
