import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.innovation import inputs, results, scoring, table
from luoshi.innovation.framework import Framework, FrameworkError, parse
from luoshi.sheets.problems import Problem, error, problems_json


class Command(BaseCommand):
    help = _("按积分框架（TOML）为一份企业数据（.xlsx 或 .csv）计算创新积分，不读写数据库")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", required=True, help=_("企业数据（.xlsx 或 .csv）"))
        parser.add_argument("--framework", required=True, help=_("积分框架（TOML）"))
        parser.add_argument("--year", required=True, type=int, help=_("评价年度，用于按成立年限划分阶段"))
        parser.add_argument("--out", required=True, help=_("结果文件（CSV）"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出问题和汇总"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            framework = parse(self._read(options["framework"]).decode("utf-8-sig"))
            data_path = Path(options["data"])
            found = inputs.read(table.read(self._read(data_path), data_path.name), framework)
        except FrameworkError as e:
            self._fail(options, e.problems)
        except table.TableError as e:
            self._fail(options, [e.problem])
        except inputs.InputsError as e:
            self._fail(options, e.problems)
        except UnicodeDecodeError:
            self._fail(options, [error(_("积分框架文件应为 UTF-8 编码的 TOML"), column="TOML")])
        result = scoring.score(framework, found.founded, found.numbers, found.flags, options["year"])
        self._write(Path(options["out"]), framework, found, result)
        summary = {
            "errors": [],
            "enterprises": len(found.codes),
            "vetoed": int(result.veto.sum()),
            "stages": {s.code: int((result.stage == i).sum()) for i, s in enumerate(framework.stages)},
            "tiers": dict(sorted(Counter(result.tier.tolist()).items())),
            "out": options["out"],
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                _("已计算 %(count)d 家企业的创新积分，结果写入 %(out)s")
                % {"count": len(found.codes), "out": options["out"]}
            )

    def _read(self, path: str | Path) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as e:
            raise CommandError(
                _("无法读取 %(path)s：%(error)s") % {"path": path, "error": e.strerror}
            ) from None

    def _write(self, path: Path, framework: Framework, found: inputs.Inputs, result: scoring.Result) -> None:
        """Written to a temporary file beside the target and renamed: the target is whole or untouched."""
        if str(path) == "-":
            results.write(sys.stdout, framework, found, result)
            return
        temporary = None
        try:
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".csv.part")
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                results.write(out, framework, found, result)
            os.replace(temporary, path)
        except OSError as e:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            raise CommandError(
                _("无法写入 %(path)s：%(error)s") % {"path": path, "error": e.strerror}
            ) from None

    def _fail(self, options: dict[str, Any], problems: list[Problem]) -> NoReturn:
        if options["json"]:
            self.stdout.write(json.dumps({"errors": problems_json(problems)}, ensure_ascii=False, indent=2))
        else:
            for problem in problems:
                where = _("第%(row)s行 ") % {"row": problem.row} if problem.row is not None else ""
                self.stderr.write(f"{where}{problem.message}")
        raise CommandError(_("数据或积分框架有错误，未输出结果"))
