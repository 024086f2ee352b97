"""The import commands' unit options, where units are known: --zone's zone, the --map answers that point a
name in the file to an existing unit, and --create-units (luoshi.sheets.command has the rest)."""

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from luoshi.org.choices import UnitType
from luoshi.org.models import Unit, Zone
from luoshi.org.resolving import CREATE_PREFIX, MAP_PREFIX, UnknownUnit
from luoshi.sheets import command


class ImportCommand(command.ImportCommand):
    unit_types = UnitType.values

    def zone(self, code: str) -> Zone:
        try:
            return Zone.objects.get(code=code)
        except Zone.DoesNotExist:
            raise CommandError(_("园区“%(code)s”不存在") % {"code": code}) from None

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

    def create_answers(self, unknown: list[UnknownUnit], unit_type: str) -> dict[str, str]:
        return {u.name: CREATE_PREFIX + unit_type for u in unknown}
