"""From a goal to the indicators that measure it, the items and projects that move them and their owners: where
we stand (the gap engine on the scheme's latest benchmark table), each indicator's points at stake, and the
lagging items and projects ordered by the points behind them. `luoshi trace --json` prints it."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from luoshi.assessment import benchmarking
from luoshi.assessment.models import Benchmark, Indicator
from luoshi.assessment.queries import described_indicators
from luoshi.composite.errors import CompositeError
from luoshi.goals.health import BADNESS, Health
from luoshi.goals.models import Goal, IndicatorLink, TargetBinding
from luoshi.goals.sight import Sight, Subject, sight
from luoshi.org.models import Zone

LAGGING = (Health.RED, Health.BEHIND)


@dataclass(frozen=True)
class IndicatorTrace:
    code: str
    name: str
    unit_of_measure: str
    value: float
    target_value: float  # the zone now at the target rank
    points_at_stake: float
    items: list[Subject]
    projects: list[Subject]
    indicator_id: int | None = None  # in the zone's library (a scheme may name one the library has lost)
    planned: dict[int, float] = field(
        default_factory=dict
    )  # item → its target bound to this indicator, at plan


@dataclass(frozen=True)
class Push:
    """A lagging item or project and the points at stake on the indicators it is meant to move."""

    kind: str  # "item" or "project"
    subject: Subject
    points: float
    indicators: list[str]


@dataclass(frozen=True)
class GoalTrace:
    goal: Goal
    benchmark: Benchmark | None
    rank: int | None
    score: float | None
    target_score: float | None
    indicators: list[IndicatorTrace]
    problem: str  # why there is no analysis ("" when there is)

    @property
    def push(self) -> list[Push]:
        """Where to push: the lagging items and projects, most points at stake first."""
        found: dict[tuple[str, int], tuple[Subject, float, list[str]]] = {}
        for line in self.indicators:
            for kind, subjects in (("item", line.items), ("project", line.projects)):
                for s in subjects:
                    if s.rolled.health in LAGGING:
                        _s, points, names = found.get((kind, s.id), (s, 0.0, []))
                        found[(kind, s.id)] = (s, points + line.points_at_stake, [*names, line.name])
        pushes = [Push(kind, s, points, names) for (kind, _id), (s, points, names) in found.items()]
        return sorted(pushes, key=lambda p: (-p.points, p.kind, p.subject.id))


def _latest_benchmark(goal: Goal) -> Benchmark | None:
    return (
        Benchmark.objects.filter(scheme_id=goal.scheme_id)
        .select_related("version")
        .order_by("-period", "-uploaded_at", "-pk")
        .first()
    )


def _worst_first(s: Subject) -> tuple[int, str, int]:
    return (-BADNESS[s.rolled.health], s.code, s.id)


def _indicators(
    page: benchmarking.GapPage,
    seen: Sight,
    links: dict[str, list[int]],
    ids: dict[str, int],
    planned: dict[str, dict[int, float]],
) -> list[IndicatorTrace]:
    lines = []
    for line in page.indicators:
        items = [seen.items[pk] for pk in links.get(line.code, []) if pk in seen.items]
        carried = dict.fromkeys(p for i in items for p in seen.projects_of.get(i.id, []))
        lines.append(
            IndicatorTrace(
                line.code,
                line.name,
                line.unit_of_measure,
                line.found.value,
                line.found.theirs,
                line.found.at_stake,
                sorted(items, key=_worst_first),
                sorted((seen.projects[p] for p in carried if p in seen.projects), key=_worst_first),
                ids.get(line.code),
                planned.get(line.code, {}),
            )
        )
    return sorted(lines, key=lambda t: (-t.points_at_stake, t.code))


def trace(zone: Zone, goal_item: int | None = None, seen: Sight | None = None) -> list[GoalTrace]:
    """Every goal of the zone (or the one on `goal_item`), with its analysis and linked items and projects
    (`seen`: the zone's roll-up when the caller has it already)."""
    goals = (
        Goal.objects.filter(zone=zone)
        .select_related("item", "scheme")
        .order_by("item__plan_id", "item__path", "pk")
    )
    if goal_item is not None:
        goals = goals.filter(item_id=goal_item)
    goals_list = list(goals)
    if not goals_list:
        return []
    links: dict[str, list[int]] = defaultdict(list)
    for code, item_id in IndicatorLink.objects.filter(zone=zone).values_list("indicator__code", "item_id"):
        links[code].append(item_id)
    # Only the linked items' health is read: their subtrees, not the whole zone.
    seen = seen or sight(zone, only={i for ids in links.values() for i in ids})
    ids = dict(Indicator.objects.filter(zone=zone).values_list("code", "pk"))
    planned: dict[str, dict[int, float]] = defaultdict(dict)
    bound = TargetBinding.objects.filter(zone=zone).order_by("target__position", "target_id")
    for code, item_id, value in bound.values_list(
        "indicator__code", "target__item_id", "target__target_value"
    ):
        planned[code].setdefault(item_id, float(value))
    return [_goal(goal, seen, links, ids, planned) for goal in goals_list]


def _goal(
    goal: Goal,
    seen: Sight,
    links: dict[str, list[int]],
    ids: dict[str, int],
    planned: dict[str, dict[int, float]],
) -> GoalTrace:
    benchmark = _latest_benchmark(goal)
    if benchmark is None:
        return GoalTrace(goal, None, None, None, None, [], "no_benchmark")
    version = benchmark.version
    library = described_indicators(version)
    try:
        page = benchmarking.analyse(
            version.structure, version.pipeline, library, benchmark.rows, benchmark.own_name, goal.target_rank
        )
    except CompositeError as e:
        return GoalTrace(goal, benchmark, None, None, None, [], str(e))
    found = page.found
    lines = _indicators(page, seen, links, ids, planned)
    return GoalTrace(goal, benchmark, found.rank, found.score, found.needed_score, lines, "")


@dataclass(frozen=True)
class Moved:
    """An indicator the ticked items and projects move, and the value it reaches."""

    line: IndicatorTrace
    to: float
    at_plan: bool  # a ticked item's bound target at plan, not the target-rank zone's value


@dataclass(frozen=True)
class WhatIf:
    score: float
    rank: int
    moved: list[Moved]


def what_if(goal: GoalTrace, items: set[int], projects: set[int]) -> WhatIf | None:
    """Tick items or projects as delivered: the indicators they are meant to move (a project's through the items
    it carries) reach, for a ticked item with a target bound to the indicator, that target's planned value;
    otherwise the value of the zone now at the target rank, where that is better than ours. The pipeline
    re-runs on our changed row. None without an analysis."""
    if goal.benchmark is None or goal.rank is None:
        return None
    moved = []
    for line in goal.indicators:
        at_plan = [line.planned[i] for i in sorted(items) if i in line.planned]
        ticked = any(s.id in items for s in line.items) or any(s.id in projects for s in line.projects)
        if at_plan:
            moved.append(Moved(line, at_plan[0], True))
        elif ticked and line.points_at_stake > 0:
            moved.append(Moved(line, line.target_value, False))
    version = goal.benchmark.version
    score, rank = benchmarking.project(
        version.structure,
        version.pipeline,
        described_indicators(version),
        goal.benchmark.rows,
        goal.benchmark.own_name,
        {m.line.code: m.to for m in moved},
    )
    return WhatIf(score, rank, moved)


@dataclass(frozen=True)
class AtRisk:
    """An indicator with points at stake that a unit's lagging items or projects are meant to move."""

    goal: GoalTrace
    indicator: IndicatorTrace
    subjects: list[tuple[str, Subject]]  # ("item" | "project", the unit's lagging one)


def at_risk(goals: list[GoalTrace], unit_id: int) -> list[AtRisk]:
    """What a unit's lagging items and projects put at risk, most points first."""
    found = []
    for goal in goals:
        for line in goal.indicators:
            mine = [
                (kind, s)
                for kind, subjects in (("item", line.items), ("project", line.projects))
                for s in subjects
                if s.unit_id == unit_id and s.rolled.health in LAGGING
            ]
            if mine and line.points_at_stake > 0:
                found.append(AtRisk(goal, line, mine))
    return sorted(found, key=lambda r: -r.indicator.points_at_stake)


def _subject(s: Subject, kind: str) -> dict[str, Any]:
    if kind == "item":
        return {"id": s.id, "code": s.code, "title": s.title, "unit": s.unit, "health": str(s.rolled.health)}
    return {"id": s.id, "name": s.title, "unit": s.unit, "health": str(s.rolled.health)}


def as_json(goals: list[GoalTrace]) -> dict[str, Any]:
    """The `luoshi trace --json` contract."""
    return {
        "goals": [
            {
                "item": g.goal.item_id,
                "title": g.goal.item.title,
                "scheme": g.goal.scheme.name,
                "rank": g.rank,
                "target_rank": g.goal.target_rank,
                "score": None if g.score is None else round(g.score, 4),
                "target_score": None if g.target_score is None else round(g.target_score, 4),
                "indicators": [
                    {
                        "code": t.code,
                        "name": t.name,
                        "value": t.value,
                        "target_value": t.target_value,
                        "points_at_stake": round(t.points_at_stake, 4),
                        "items": [_subject(s, "item") for s in t.items],
                        "projects": [_subject(s, "project") for s in t.projects],
                    }
                    for t in g.indicators
                ],
            }
            for g in goals
        ]
    }
