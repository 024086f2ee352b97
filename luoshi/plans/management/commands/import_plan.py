import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.org.choices import UnitType
from luoshi.org.models import Unit, Zone
from luoshi.plans.actions import import_plan
from luoshi.plans.importing import CREATE_PREFIX, MAP_PREFIX, preview_import
from luoshi.plans.parsing import MAX_FILE_BYTES, parse_plan_file


class Command(BaseCommand):
    help = _("导入任务分解表（.xlsx）或分工方案（.docx / .txt）为一个年度计划")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--year", required=True, type=int, help=_("计划年度"))
        parser.add_argument("--title", default="", help=_("计划标题（默认取文件中的标题）"))
        parser.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出识别结果和问题"))
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="文件中的名称=单位名称",
            help=_("把文件中的单位名称对应到已有单位"),
        )
        parser.add_argument(
            "--create-units", choices=UnitType.values, metavar="TYPE", help=_("把未识别的单位按此类型新建")
        )
        parser.add_argument("--user", default="", help=_("记录在修改历史中的用户名"))

    def handle(self, *args, **options) -> None:
        try:
            zone = Zone.objects.get(code=options["zone"])
        except Zone.DoesNotExist:
            raise CommandError(_("园区“%(code)s”不存在") % {"code": options["zone"]}) from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        if path.stat().st_size > MAX_FILE_BYTES:
            # Not read at all: the parser would say the same after loading it into memory.
            error = {"row": None, "column": None, "severity": "error", "message": _("文件超过 20 MB 上限")}
            self._finish(options, {"nodes": [], "errors": [error]}, ok=False)
        parsed = parse_plan_file(path.read_bytes(), path.name, options["year"])
        preview = preview_import(
            zone,
            options["year"],
            parsed,
            self._resolutions(zone, options),
            options["title"],
            source_name=path.name,
        )
        if preview.unknown and options["create_units"]:
            resolutions = self._resolutions(zone, options)
            resolutions.update({u.name: CREATE_PREFIX + options["create_units"] for u in preview.unknown})
            preview = preview_import(
                zone, options["year"], parsed, resolutions, options["title"], source_name=path.name
            )
        ok = not preview.has_errors
        if ok and not options["dry_run"]:
            user = None
            if options["user"]:
                user = get_user_model().objects.filter(username=options["user"]).first()
                if user is None:
                    raise CommandError(_("用户“%(name)s”不存在") % {"name": options["user"]})
            plan = import_plan(preview, user)
            if not options["json"]:
                self.stdout.write(
                    _("已导入计划“%(title)s”（%(year)d年），共 %(count)d 个事项")
                    % {"title": plan.title, "year": plan.year, "count": len(parsed.nodes)}
                )
        self._finish(options, preview.as_json(), ok)

    def _resolutions(self, zone: Zone, options: dict) -> dict[str, str]:
        resolutions = {}
        for pair in options["map"]:
            name, _sep, unit_name = pair.partition("=")
            unit = Unit.objects.filter(zone=zone, name=unit_name.strip()).first()
            if not _sep or unit is None:
                raise CommandError(
                    _("--map 的格式应为“文件中的名称=已有单位名称”：%(pair)s") % {"pair": pair}
                )
            resolutions[name.strip()] = f"{MAP_PREFIX}{unit.pk}"
        return resolutions

    def _finish(self, options: dict, result: dict, ok: bool) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            for error in result["errors"]:
                where = []
                if error["row"] is not None:
                    where.append(_("第%(row)s行") % {"row": error["row"]})
                if error["column"]:
                    where.append(_("%(column)s列") % {"column": error["column"]})
                label = _("错误") if error["severity"] == "error" else _("提示")
                self.stderr.write(f"{label} {' '.join(where)}：{error['message']}")
            if ok and options["dry_run"]:
                self.stdout.write(_("检查通过：%(count)d 个事项，未写入") % {"count": len(result["nodes"])})
        if not ok:
            raise CommandError(_("文件有错误，未写入任何数据"))
