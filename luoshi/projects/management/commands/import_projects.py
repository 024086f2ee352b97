from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.org.import_command import ImportCommand
from luoshi.org.resolving import CREATE_PREFIX
from luoshi.plans.parsing import MAX_FILE_BYTES
from luoshi.projects.actions.imports import import_ledger
from luoshi.projects.importing import preview_ledger
from luoshi.projects.ledger import parse_ledger


class Command(ImportCommand):
    help = _("导入重点项目台账（.xlsx）：新项目加入当年台账，同名项目按台账更新")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--year", type=int, help=_("台账年度（默认取文件标题中的年份，否则今年）"))
        self.add_unit_arguments(parser)

    def handle(self, *args, **options) -> None:
        zone = self.zone(options["zone"])
        user = self.user(options)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        if path.stat().st_size > MAX_FILE_BYTES:
            error = {"row": None, "column": None, "severity": "error", "message": _("文件超过 20 MB 上限")}
            self._finish(options, {"projects": [], "errors": [error]}, ok=False)
        parsed = parse_ledger(path.read_bytes(), path.name, options["year"])
        resolutions = self.resolutions(zone, options)
        preview = preview_ledger(zone, parsed, options["year"], resolutions, source_name=path.name)
        if preview.unknown and options["create_units"]:
            resolutions.update({u.name: CREATE_PREFIX + options["create_units"] for u in preview.unknown})
            preview = preview_ledger(zone, parsed, options["year"], resolutions, source_name=path.name)
        ok = not preview.has_errors
        if ok and not options["dry_run"]:
            projects = import_ledger(preview, user)
            if not options["json"]:
                self.stdout.write(
                    _("已导入%(year)d年重点项目台账：新增 %(added)d 个，更新 %(updated)d 个")
                    % {
                        "year": preview.year,
                        "added": len(projects) - preview.n_updated,
                        "updated": preview.n_updated,
                    }
                )
        self._finish(options, preview.as_json(), ok)

    def _finish(self, options: dict, result: dict, ok: bool) -> None:
        checked = _("检查通过：%(count)d 个项目，未写入") % {"count": len(result["projects"])}
        self.finish(options, result, ok, checked)
