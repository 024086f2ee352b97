"""What the import commands share: the unit options (--map, --create-units, --user) and the way problems are
printed, as text by row and column or as the JSON the command's contract spells out."""

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.org.choices import UnitType
from luoshi.org.models import Unit, Zone
from luoshi.org.resolving import MAP_PREFIX


class ImportCommand(BaseCommand):
    def add_unit_arguments(self, parser: CommandParser) -> None:
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

    def zone(self, code: str) -> Zone:
        try:
            return Zone.objects.get(code=code)
        except Zone.DoesNotExist:
            raise CommandError(_("园区“%(code)s”不存在") % {"code": code}) from None

    def user(self, options: dict[str, Any]) -> User | None:
        if not options["user"]:
            return None
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("用户“%(name)s”不存在") % {"name": options["user"]})
        return user

    def resolutions(self, zone: Zone, options: dict[str, Any]) -> dict[str, str]:
        resolutions = {}
        for pair in options["map"]:
            name, sep, unit_name = pair.partition("=")
            unit = Unit.objects.filter(zone=zone, name=unit_name.strip()).first()
            if not sep or unit is None:
                raise CommandError(
                    _("--map 的格式应为“文件中的名称=已有单位名称”：%(pair)s") % {"pair": pair}
                )
            resolutions[name.strip()] = f"{MAP_PREFIX}{unit.pk}"
        return resolutions

    def finish(self, options: dict[str, Any], result: dict[str, Any], ok: bool, checked: str) -> None:
        """Print the result (`checked`: the dry run's message when there is no error) and fail on errors."""
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
                self.stdout.write(checked)
        if not ok:
            raise CommandError(_("文件有错误，未写入任何数据"))
