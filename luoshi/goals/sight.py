"""Reads of the line of sight: every item's rolled-up health (its warnings, pulse, key projects and children) in a
handful of statements, for the goal page, the indicator and unit pages and `luoshi trace`."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from luoshi.alerts.choices import Level, RuleCode
from luoshi.alerts.models import Warning
from luoshi.goals.health import Own, Rolled, roll_up
from luoshi.goals.models import ProjectLink
from luoshi.org.models import Zone
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import PlanItem
from luoshi.projects.choices import Stage
from luoshi.projects.models import Project
from luoshi.reporting.models import Pulse

RULES = {str(code): str(code.label) for code in RuleCode}
WORSE: dict[str, int] = {Level.RED: 2, Level.YELLOW: 1}  # blue reminders say nothing is wrong yet


# Past this many items, the subtrees' warnings and pulses are read zone-wide rather than by a list of ids.
IN_LIMIT = 2000


@dataclass(frozen=True)
class Subject:
    """An item or a project as the line of sight shows it."""

    id: int
    code: str
    title: str
    unit: str
    unit_id: int | None
    rolled: Rolled


@dataclass
class Sight:
    items: dict[int, Subject]
    projects: dict[int, Subject]
    projects_of: dict[int, list[int]]  # item → the projects carrying it


def _worst(rows: list[tuple[int, str, str]]) -> dict[int, tuple[str, tuple[str, ...]]]:
    """subject → (its worst level, the rules of its yellow and red warnings)."""
    levels: dict[int, str] = {}
    rules: dict[int, list[str]] = defaultdict(list)
    for subject, level, rule in rows:
        if level not in WORSE:
            continue
        if WORSE[level] > WORSE.get(levels.get(subject, ""), 0):
            levels[subject] = level
        rules[subject].append(rule)
    return {s: (levels[s], tuple(dict.fromkeys(rules[s]))) for s in levels}


def _projects(
    zone: Zone, within: dict[str, Any]
) -> tuple[dict[int, list[int]], dict[int, tuple[str, str, int | None, Own]]]:
    links = ProjectLink.objects.filter(zone=zone, **within).values_list("item_id", "project_id")
    projects_of: dict[int, list[int]] = defaultdict(list)
    for item_id, project_id in links:
        projects_of[item_id].append(project_id)
    ids = {p for ps in projects_of.values() for p in ps}
    open_rows = Warning.objects.filter(project_id__in=ids, resolved_at__isnull=True).values_list(
        "project_id", "level", "rule"
    )
    worst = _worst(list(open_rows))
    rows = Project.objects.filter(pk__in=ids).values_list(
        "pk", "name", "lead_unit__name", "lead_unit_id", "stage", "completed_month"
    )
    states: dict[int, tuple[str, str, int | None, Own]] = {}
    for pk, name, unit, unit_id, stage, month in rows:
        level, rules = worst.get(pk, ("", ()))
        reported = 1.0 if month or stage > Stage.PLANNING else None
        states[pk] = (name, unit or "", unit_id, Own(stage == Stage.COMPLETED, level, rules, reported))
    return projects_of, states


def sight(zone: Zone, under: PlanItem | None = None, only: Collection[int] | None = None) -> Sight:
    """Every item of the zone rolled up from the leaves, and the projects that carry them — or only `under` and
    its subtree (an item's page needs no more), or only the items `only` and their subtrees (the line of sight
    needs the linked items: a tenth of a zone's). Six statements."""
    # Items, and the warnings, pulses and project links of items, within the subtree (its path prefix).
    scope = {} if under is None else {"path__startswith": under.path}
    within: dict[str, Any] = {f"item__{k}": v for k, v in scope.items()}
    items = list(
        PlanItem.objects.filter(zone=zone, **scope)
        .exclude(status=ItemStatus.CANCELLED)
        .values_list("pk", "parent_id", "status", "code", "title", "lead_unit__name", "lead_unit_id")
    )
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent, *_rest in items:
        children[parent].append(pk)
    by_pk = {row[0]: row for row in items}
    if under is not None:
        roots = [under.pk] if under.pk in by_pk else []
    elif only is not None:
        roots = [pk for pk in sorted(set(only)) if _reached(pk, by_pk)]
    else:
        roots = children.get(None, [])
    order = _bottom_up(roots, children)
    if only is not None and under is None and len(order) <= IN_LIMIT:
        within = {"item_id__in": order}
    open_rows = Warning.objects.filter(
        zone=zone, item__isnull=False, resolved_at__isnull=True, **within
    ).values_list("item_id", "level", "rule")
    worst = _worst(list(open_rows))
    # The newest progress only, extracted by the database: decoding 5,000 JSON lists cost more than the rest.
    latest = dict(Pulse.objects.filter(zone=zone, **within).values_list("item_id", "progress__0"))
    projects_of, states = _projects(zone, within)
    project_rolled = {pk: roll_up(own, [], [], RULES) for pk, (_n, _u, _i, own) in states.items()}
    rolled: dict[int, Rolled] = {}
    for pk in order:
        _pk, _parent, status, _code, _title, _unit, _unit_id = by_pk[pk]
        level, rules = worst.get(pk, ("", ()))
        progress = latest.get(pk)
        own = Own(status == ItemStatus.DONE, level, rules, float(progress) if progress is not None else None)
        mine = [states[p][3] for p in projects_of.get(pk, []) if p in states]
        rolled[pk] = roll_up(own, mine, [rolled[c] for c in children.get(pk, [])], RULES)
    return Sight(
        items={  # under a cancelled item nothing counts: the walk from the roots never reaches it
            pk: Subject(pk, code, title, unit or "", unit_id, rolled[pk])
            for pk, _parent, _status, code, title, unit, unit_id in items
            if pk in rolled
        },
        projects={
            pk: Subject(pk, "", name, unit, unit_id, project_rolled[pk])
            for pk, (name, unit, unit_id, _own) in states.items()
        },
        projects_of=dict(projects_of),
    )


def _reached(pk: int, by_pk: dict[int, tuple[Any, ...]]) -> bool:
    """Whether the walk from the plan's roots reaches the item: it and its ancestors are not cancelled."""
    current: int | None = pk
    while current is not None:
        row = by_pk.get(current)
        if row is None:
            return False
        current = row[1]
    return True


def _bottom_up(roots: list[int], children: dict[int | None, list[int]]) -> list[int]:
    """Every item under the roots after all of its children (an iterative post-order)."""
    order: list[int] = []
    done: set[int] = set()  # a root under another root is walked once
    stack: list[tuple[int, bool]] = [(pk, False) for pk in roots]
    while stack:
        pk, seen = stack.pop()
        if seen:
            if pk not in done:
                done.add(pk)
                order.append(pk)
            continue
        if pk in done:
            continue
        stack.append((pk, True))
        stack.extend((c, False) for c in children.get(pk, []))
    return order
