from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from luoshi.audit.actions import record
from luoshi.audit.choices import Event, Outcome
from luoshi.security.backup import FILES, MANIFEST, BackupError, make_backup, operator


class Command(BaseCommand):
    help = _("备份数据库和全部附件、照片，并写出带 sha256 校验和的清单")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", required=True, help=_("备份目录（不存在或为空），如 /var/backups/luoshi/2026-01-31")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"]).absolute()
        try:
            manifest = make_backup(out)
        except BackupError as error:
            self.record_failure(out, error)
            raise CommandError(str(error)) from error
        files = [entry for entry in manifest["files"] if entry["path"].startswith(FILES + "/")]
        dump = next(entry for entry in manifest["files"] if entry["path"] == manifest["database"]["file"])
        summary = {
            "out": str(out),
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "files": len(files),
            "bytes": sum(entry["size"] for entry in files),
        }
        record(Event.BACKUP, username=operator(), detail=summary)
        lines = [
            _("备份完成：%(out)s") % summary,
            _("  数据库：%(vendor)s，%(file)s，%(size)s")
            % {
                "vendor": manifest["database"]["vendor"],
                "file": dump["path"],
                "size": filesizeformat(dump["size"]),
            },
            _("  数据表：%(tables)d 张，共 %(rows)d 行") % summary,
            _("  文件：%(files)d 个附件和照片，共 %(size)s")
            % {**summary, "size": filesizeformat(summary["bytes"])},
            _("  清单：%(path)s（每个文件的大小和 sha256）") % {"path": out / MANIFEST},
        ]
        self.stdout.write("\n".join(lines))

    def record_failure(self, out: Path, error: BackupError) -> None:
        """A failed backup is worth an audit row, unless the database itself is what failed."""
        try:
            record(
                Event.BACKUP,
                username=operator(),
                outcome=Outcome.FAILURE,
                detail={"out": str(out), "error": str(error)[:500]},
            )
        except DatabaseError:
            pass
