import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.goals.health import LABELS
from luoshi.goals.trace import GoalTrace, as_json, trace
from luoshi.org.models import Zone


class Command(BaseCommand):
    help = _("目标贯通：从目标到指标、事项、项目和责任单位，按“失分”排序")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--goal", type=int, help=_("只看这一目标（事项编号 ID）"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出结果"))

    def handle(self, *args: Any, **options: Any) -> None:
        zone = Zone.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(_("没有代码为“%(code)s”的园区") % {"code": options["zone"]})
        goals = trace(zone, options["goal"])
        if options["goal"] is not None and not goals:
            raise CommandError(_("事项 %(id)s 不是本园区已设定评价方案的目标") % {"id": options["goal"]})
        if options["json"]:
            self.stdout.write(json.dumps(as_json(goals), ensure_ascii=False))
            return
        if not goals:
            self.stdout.write(_("本园区还没有设定评价方案的目标。"))
        for goal in goals:
            self._write(goal)

    def _write(self, goal: GoalTrace) -> None:
        self.stdout.write(f"{goal.goal.item.title}（{goal.goal.scheme.name}）")
        if goal.rank is None:
            self.stdout.write(
                "  " + (_("还没有对标数据") if goal.problem == "no_benchmark" else goal.problem)
            )
            return
        self.stdout.write(
            "  "
            + _("现排第%(rank)d位，得分%(score).2f；进入第%(target)d位需%(needed).2f分")
            % {
                "rank": goal.rank,
                "score": goal.score,
                "target": goal.goal.target_rank,
                "needed": goal.target_score,
            }
        )
        for line in goal.indicators:
            movers = "、".join(
                f"{s.title}（{s.unit}，{LABELS[s.rolled.health]}）" for s in [*line.items, *line.projects]
            )
            self.stdout.write(f"  {line.points_at_stake:6.2f}  {line.name}  {movers or '—'}")
