"""The line of sight's import columns (ADR 0007): the plan import's 对应指标 (indicators, by name or code) and 关联项目
(the year's key projects, by name), and the ledger import's 对应任务 (the year's plan items, by code or title). The
parsers keep the cells as text; these steps, added to both imports when the app is ready, check every name in the
preview — an unknown one is an error at its row and column, with the closest name as a suggestion, and nothing is
written — and link the written rows in the import's transaction."""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from luoshi.assessment.models import Indicator
from luoshi.goals import actions
from luoshi.org.models import Zone
from luoshi.plans import importing as plan_import
from luoshi.plans.models import PlanItem
from luoshi.plans.parsing import ParsedNode
from luoshi.projects import importing as ledger_import
from luoshi.projects.ledger import ParsedProject
from luoshi.projects.models import Project
from luoshi.sheets.problems import Problem, error

SPLIT = re.compile(r"[、，,；;\n]+")
SUGGESTION_CUTOFF = 60.0


def names_in(text: str) -> list[str]:
    """The names a cell lists: 研发投入强度、高新技术企业数 → two names."""
    return [name.strip() for name in SPLIT.split(text) if name.strip()]


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class Matcher:
    """Names (and codes) to ids, exact after NFKC and without spaces; a name two rows share is ambiguous."""

    def __init__(self, rows: Iterable[tuple[int, Iterable[str]]]) -> None:
        found: dict[str, set[int]] = defaultdict(set)
        self.labels: dict[int, str] = {}
        for pk, names in rows:
            for n, name in enumerate(names):
                if name:
                    found[_key(name)].add(pk)
                    if n == 0:
                        self.labels[pk] = name
        self.ids = dict(found)
        self.choices = list(self.labels.values())

    def match(self, name: str) -> set[int]:
        return self.ids.get(_key(name), set())

    def suggestion(self, name: str) -> str:
        best = process.extractOne(name, self.choices, scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF)
        return _("，是否是“%(name)s”？") % {"name": best[0]} if best else ""


def _column(cell: str) -> str:
    return cell.rstrip("0123456789") or cell


def _check(
    cell_text: str, row: int, column: str | None, matcher: Matcher, unknown: str, ambiguous: str
) -> tuple[list[int], list[Problem]]:
    ids: list[int] = []
    problems = []
    for name in names_in(cell_text):
        found = matcher.match(name)
        if len(found) == 1:
            ids.extend(found)
        elif found:
            problems.append(error(ambiguous % {"name": name, "n": len(found)}, row, column))
        else:
            problems.append(error(unknown % {"name": name} + matcher.suggestion(name), row, column))
    return ids, problems


# The plan import -------------------------------------------------------------------------------------------


def _indicators(zone: Zone) -> Matcher:
    return Matcher(
        (pk, (name, code))
        for pk, name, code in Indicator.objects.filter(zone=zone).values_list("pk", "name", "code")
    )


def _projects(zone: Zone, year: int) -> Matcher:
    rows = Project.objects.filter(zone=zone, year=year).values_list("pk", "name", "code")
    return Matcher((pk, (name, code)) for pk, name, code in rows)


def _plan_links(
    zone: Zone, year: int, nodes: list[ParsedNode]
) -> tuple[dict[str, dict[str, list[int]]], list[Problem]]:
    """Each node's indicator and project ids (by the node's ref) and the problems."""
    wanted = [n for n in nodes if n.links]
    if not wanted:
        return {}, []
    matchers = {"indicators": _indicators(zone), "projects": _projects(zone, year)}
    messages = {
        "indicators": (
            _("对应指标“%(name)s”不在本区指标库中"),
            _("对应指标“%(name)s”在指标库中有%(n)d项，请写指标编码"),
        ),
        "projects": (
            _("关联项目“%(name)s”不在%(year)d年重点项目台账中") % {"year": year, "name": "%(name)s"},
            _("关联项目“%(name)s”在台账中有%(n)d个，请写项目编号"),
        ),
    }
    links: dict[str, dict[str, list[int]]] = defaultdict(dict)
    problems: list[Problem] = []
    for node in wanted:
        for kind, (cell, text) in node.links.items():
            unknown, ambiguous = messages[kind]
            ids, found = _check(text, node.row, _column(cell), matchers[kind], unknown, ambiguous)
            links[node.ref][kind] = ids
            problems.extend(found)
    return links, problems


def check_plan(zone: Zone, year: int, nodes: list[ParsedNode]) -> list[Problem]:
    return _plan_links(zone, year, nodes)[1]


def write_plan(zone: Zone, year: int, nodes: list[ParsedNode], items: dict[str, PlanItem], user: Any) -> None:
    links, _problems = _plan_links(zone, year, nodes)
    indicators = Indicator.objects.in_bulk([i for by in links.values() for i in by.get("indicators", [])])
    projects = Project.objects.in_bulk([p for by in links.values() for p in by.get("projects", [])])
    for ref, by in links.items():
        item = items[ref]
        actions.link_indicators([item], [indicators[i] for i in by.get("indicators", [])], user)
        actions.link_projects([projects[p] for p in by.get("projects", [])], [item], user)


# The ledger import -----------------------------------------------------------------------------------------


def _items(zone: Zone, year: int) -> Matcher:
    """The year's plan items by title, and by code where a code names one item only."""
    rows = PlanItem.objects.filter(zone=zone, plan__year=year).values_list("pk", "title", "code")
    return Matcher((pk, (title, code, f"{code}{title}")) for pk, title, code in rows)


def _ledger_links(
    zone: Zone, year: int, parsed: list[ParsedProject]
) -> tuple[dict[str, list[int]], list[Problem]]:
    wanted = [p for p in parsed if p.items]
    if not wanted:
        return {}, []
    matcher = _items(zone, year)
    unknown = _("对应任务“%(name)s”不在%(year)d年的计划中") % {"year": year, "name": "%(name)s"}
    ambiguous = _("对应任务“%(name)s”在计划中有%(n)d项，请写明编号和名称")
    links: dict[str, list[int]] = {}
    problems: list[Problem] = []
    for project in wanted:
        column = project.columns.get("items")
        ids, found = _check(project.items, project.row, column, matcher, unknown, ambiguous)
        links[project.ref] = ids
        problems.extend(found)
    return links, problems


def check_ledger(zone: Zone, year: int, parsed: list[ParsedProject]) -> list[Problem]:
    return _ledger_links(zone, year, parsed)[1]


def write_ledger(
    zone: Zone, year: int, parsed: list[ParsedProject], projects: dict[str, Project], user: Any
) -> None:
    links, _problems = _ledger_links(zone, year, parsed)
    items = PlanItem.objects.in_bulk([i for ids in links.values() for i in ids])
    for ref, ids in links.items():
        actions.link_projects([projects[ref]], [items[i] for i in ids], user)


def register() -> None:
    """Add the steps to both imports (once: the app's ready() may run again in tests)."""
    plan_step = plan_import.LinkStep(check_plan, write_plan)
    ledger_step = ledger_import.LinkStep(check_ledger, write_ledger)
    if plan_step not in plan_import.LINK_STEPS:
        plan_import.LINK_STEPS.append(plan_step)
    if ledger_step not in ledger_import.LINK_STEPS:
        ledger_import.LINK_STEPS.append(ledger_step)
