import csv
import sys
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.assessment.errors import describe
from luoshi.composite import frame, pipeline
from luoshi.composite.errors import CompositeError
from luoshi.composite.uncertainty import rank_interval_columns, uncertainty


class Command(BaseCommand):
    help = _("按配置文件计算综合指数：iData、iMeta（COINr 格式）→ 每个单位的各级得分与排名")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", required=True, help=_("数据表 iData（CSV）"))
        parser.add_argument("--meta", required=True, help=_("指标元数据 iMeta（CSV）"))
        parser.add_argument("--config", required=True, help=_("计算步骤配置（TOML）"))
        parser.add_argument("--out", required=True, help=_("结果文件（CSV）"))
        parser.add_argument("--uncertainty", type=int, metavar="N", help=_("不确定性分析的重复次数"))
        parser.add_argument("--seed", type=int, default=0, help=_("随机数种子（默认 0）"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["uncertainty"] is not None and options["uncertainty"] < 1:
            raise CommandError(_("--uncertainty 应为正整数"))
        try:
            tree = frame.hierarchy(frame.read_csv(options["meta"]))
            data = frame.dataset(frame.read_csv(options["data"]), tree)
            cfg = pipeline.read_config(options["config"])
            result = pipeline.run(data, tree, cfg)
            extra = {}
            if options["uncertainty"]:
                found = uncertainty(data, tree, cfg, options["uncertainty"], seed=options["seed"])
                extra = rank_interval_columns(found, tree.top)
        except CompositeError as e:
            raise CommandError(describe(e)) from None
        self._write(Path(options["out"]), result, tree, extra)
        self.stderr.write(
            _(
                "%(units)d 个单位、%(indicators)d 项指标、%(aggregates)d 个汇总项；插补 %(imputed)d 处，处理异常值 %(treated)d 项"
            )
            % {
                "units": len(result.units),
                "indicators": len(tree.indicators),
                "aggregates": len(tree.aggregates),
                "imputed": result.imputed,
                "treated": len(result.treatment),
            }
        )

    def _write(
        self, path: Path, result: pipeline.Result, tree: frame.Hierarchy, extra: dict[str, np.ndarray]
    ) -> None:
        """uCode, then each aggregate from the top down with its rank, sorted by the top aggregate."""
        codes = sorted(tree.aggregates, key=lambda c: -tree.nodes[c].level)
        header = ["uCode"] + [name for c in codes for name in (c, f"{c}_rank")] + list(extra)
        top = result.column(tree.top)
        order = np.argsort(-top, kind="stable")
        try:
            out = sys.stdout if str(path) == "-" else open(path, "w", encoding="utf-8", newline="")
        except OSError as e:
            raise CommandError(
                _("无法写入 %(path)s：%(error)s") % {"path": path, "error": e.strerror}
            ) from None
        with out:
            writer = csv.writer(out)
            writer.writerow(header)
            for u in order:
                row: list[object] = [result.units[u]]
                for c in codes:
                    row += [_number(result.column(c)[u]), _number(result.rank(c)[u])]
                row += [_number(values[u]) for values in extra.values()]
                writer.writerow(row)


def _number(value: float) -> str:
    """Full precision, with whole numbers (ranks) written without a decimal point."""
    if np.isnan(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
