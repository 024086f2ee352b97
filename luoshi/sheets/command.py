"""What the file-import commands share: the options --dry-run, --json, --map, --create-units and --user, the
checks on the file before it is read, the preview → confirm flow, and the output, as text by row and column
or as the JSON the command's contract spells out. Unit names are matched by the layer that knows units
(luoshi.org.import_command), through the hooks `unit_types` and `create_answers`."""

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.sheets.preview import Preview
from luoshi.sheets.problems import error, problems_json
from luoshi.sheets.uploads import MAX_FILE_BYTES

P = TypeVar("P", bound=Preview[Any])


class ImportCommand(BaseCommand):
    items_key = ""  # the JSON result's list of what the file holds: "nodes", "projects"
    unit_types: Sequence[str] = ()  # the choices of --create-units

    def add_import_arguments(self, parser: CommandParser) -> None:
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
            "--create-units", choices=self.unit_types, metavar="TYPE", help=_("把未识别的单位按此类型新建")
        )
        parser.add_argument("--user", default="", help=_("记录在修改历史中的用户名"))

    def user(self, options: dict[str, Any]) -> User | None:
        if not options["user"]:
            return None
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("用户“%(name)s”不存在") % {"name": options["user"]})
        return user

    def read_file(self, options: dict[str, Any]) -> tuple[bytes, str]:
        """The file's bytes and name; a missing or oversized file ends the command."""
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        if path.stat().st_size > MAX_FILE_BYTES:
            # Not read at all: the parser would say the same after loading it into memory.
            errors = problems_json([error(_("文件超过 20 MB 上限"))])
            self.finish(options, {self.items_key: [], "errors": errors}, ok=False)
        return path.read_bytes(), path.name

    def create_answers(self, unknown: list[Any], unit_type: str) -> dict[str, str]:
        """The answers that create each of the `unknown` units with the type --create-units names."""
        raise NotImplementedError

    def run(
        self,
        options: dict[str, Any],
        answers: dict[str, str],
        preview: Callable[[dict[str, str]], P],
        commit: Callable[[P], str],
    ) -> None:
        """Preview with the --map answers (and, with --create-units, again creating what is still unknown);
        unless it is a dry run, commit a preview without errors (`commit` says what it did); print; fail on
        errors."""
        found = preview(answers)
        if found.unknown and options["create_units"]:
            answers.update(self.create_answers(found.unknown, options["create_units"]))
            found = preview(answers)
        ok = not found.has_errors
        if ok and not options["dry_run"]:
            done = commit(found)
            if not options["json"]:
                self.stdout.write(done)
        self.finish(options, found.as_json(), ok)

    def checked_message(self, count: int) -> str:
        """The dry run's message when there is no error: `count` things read, nothing written."""
        raise NotImplementedError

    def finish(self, options: dict[str, Any], result: dict[str, Any], ok: bool) -> None:
        """Print the result and fail on errors."""
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            for problem in result["errors"]:
                where = []
                if problem["row"] is not None:
                    where.append(_("第%(row)s行") % {"row": problem["row"]})
                if problem["column"]:
                    where.append(_("%(column)s列") % {"column": problem["column"]})
                label = _("错误") if problem["severity"] == "error" else _("提示")
                self.stderr.write(f"{label} {' '.join(where)}：{problem['message']}")
            if ok and options["dry_run"]:
                self.stdout.write(self.checked_message(len(result[self.items_key])))
        if not ok:
            raise CommandError(_("文件有错误，未写入任何数据"))
