"""The goal page's Sankey (ECharts): goal → indicators (by points at stake) → the units that own the items and
projects meant to move them; an indicator nobody is moving flows to "未关联事项", which is the point."""

from typing import Any

from django.utils.translation import gettext as _

from luoshi.goals.trace import GoalTrace

SHOWN = 12  # indicators with the most at stake; the rest are one node


def sankey(goal: GoalTrace) -> dict[str, Any]:
    nodes: dict[str, str] = {goal.goal.item.title: "goal"}
    links: list[dict[str, Any]] = []
    unlinked = _("未关联事项")
    for line in [t for t in goal.indicators if t.points_at_stake > 0][:SHOWN]:
        stake = round(line.points_at_stake, 3)
        nodes[line.name] = "indicator"
        links.append({"source": goal.goal.item.title, "target": line.name, "value": stake})
        units = sorted({s.unit or _("未明确单位") for s in [*line.items, *line.projects]})
        for unit in units or [unlinked]:
            nodes[unit] = "none" if unit == unlinked else "unit"
            links.append({"source": line.name, "target": unit, "value": round(stake / max(len(units), 1), 3)})
    return {"nodes": [{"name": name, "kind": kind} for name, kind in nodes.items()], "links": links}
