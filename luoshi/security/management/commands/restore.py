from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.audit.actions import record
from luoshi.audit.choices import Event, Outcome
from luoshi.security.backup import BackupError, operator
from luoshi.security.restore import Comparison, restore_backup


class Command(BaseCommand):
    help = _("把 luoshi backup 写出的备份恢复到空数据库，并核对行数和文件校验和")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help=_("备份目录（luoshi backup --out 写出的目录）"))

    def handle(self, *args: Any, **options: Any) -> None:
        backup = Path(options["backup"]).absolute()
        try:
            outcome = restore_backup(backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.table(outcome.comparisons))
        differ = [c for c in outcome.comparisons if not c.same]
        summary = {
            "from": str(backup),
            "created": outcome.manifest.get("created", ""),
            "tables": len(outcome.comparisons),
            "rows": sum(c.expected for c in outcome.comparisons),
            "files": outcome.files,
            "differ": [c.table for c in differ],
        }
        # Written after the counts were compared: the trail gains this one row beyond the backup's.
        record(
            Event.RESTORE,
            username=operator(),
            outcome=Outcome.FAILURE if differ else Outcome.SUCCESS,
            detail=summary,
        )
        if differ:
            raise CommandError(
                _("恢复后有 %(count)d 张表的行数与备份不一致：%(tables)s")
                % {"count": len(differ), "tables": "、".join(summary["differ"])}
            )
        self.stdout.write(_("恢复完成：%(tables)d 张表、%(rows)d 行、%(files)d 个文件，全部一致") % summary)
        if outcome.migrate_needed:
            self.stdout.write(_("备份来自较早的版本：请运行 luoshi migrate 完成升级"))

    def table(self, comparisons: list[Comparison]) -> str:
        """Tables that hold rows (or differ); the empty ones that match are only counted."""
        shown = [c for c in comparisons if c.expected or not c.same]
        width = max([len(c.table) for c in shown] + [20])
        lines = [f"{_('表'):<{width}}  {_('备份'):>10}  {_('恢复后'):>10}"]
        for c in shown:
            restored = _("缺表") if c.restored is None else str(c.restored)
            mark = "" if c.same else "  ✗"
            lines.append(f"{c.table:<{width}}  {c.expected:>10}  {restored:>10}{mark}")
        empty = len(comparisons) - len(shown)
        if empty:
            lines.append(_("（另有 %(count)d 张空表，恢复后同样为空）") % {"count": empty})
        return "\n".join(lines)
