"""The plan import between parsing and writing: unit matching, the preview and its JSON shape."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from luoshi.org.models import Zone
from luoshi.org.resolving import UnitResolver, UnknownUnit
from luoshi.plans.models import Plan, PlanItem
from luoshi.plans.parsing import ParsedNode, ParsedPlan
from luoshi.sheets.preview import Preview
from luoshi.sheets.problems import Problem


@dataclass(frozen=True)
class LinkStep:
    """A step an app above plans adds to the import for the columns it owns (goals: 对应指标, 关联项目, read by the
    parser as text): `check` finds the problems in the preview, by row and column; `write` links the written
    items (by their node's ref) in the import's transaction."""

    check: Callable[[Zone, int, list[ParsedNode]], list[Problem]]
    write: Callable[[Zone, int, list[ParsedNode], dict[str, PlanItem], Any], None]


# Filled by the apps' ready(): plans cannot import what sits above it.
LINK_STEPS: list[LinkStep] = []


@dataclass
class ImportPreview(Preview[UnknownUnit]):
    zone: Zone
    year: int
    title: str
    parsed: ParsedPlan

    @property
    def nodes(self) -> list[ParsedNode]:
        return self.parsed.nodes

    def as_json(self) -> dict[str, Any]:
        return {
            "nodes": [
                {
                    "ref": n.ref,
                    "parent": n.parent,
                    "level": n.level,
                    "code": n.code,
                    "title": n.title,
                    "lead_unit": n.lead_unit,
                    "co_units": list(n.co_units),
                    "due": n.due.isoformat() if n.due else None,
                    "due_text": n.due_text,
                    "target": n.target,
                }
                for n in self.parsed.nodes
            ],
            "errors": self.errors_json(),
        }


def _unit_cell(node: ParsedNode, role: str) -> str | None:
    """The column part of where a unit name sat ("E7" → "E"; a notice's field label as is)."""
    where = node.unit_cells.get(role)
    if not where:
        return None
    letters = where.rstrip("0123456789")
    return letters or where


def preview_import(
    zone: Zone,
    year: int,
    parsed: ParsedPlan,
    resolutions: dict[str, str] | None = None,
    title: str = "",
    source_name: str = "",
) -> ImportPreview:
    resolutions = resolutions or {}
    resolver = UnitResolver(zone, resolutions)
    problems = list(parsed.problems)
    for node in parsed.nodes:
        for role, names in (("lead", [node.lead_unit] if node.lead_unit else []), ("co", node.co_units)):
            for name in names:
                if message := resolver.resolve(name):
                    problems.append(Problem(node.row, _unit_cell(node, role), "error", message))

    for step in LINK_STEPS:
        problems.extend(step.check(zone, year, parsed.nodes))
    title = (title or parsed.title or "").strip()
    if not title:
        problems.append(Problem(None, None, "error", _("没有找到计划标题，请填写标题")))
    elif Plan.objects.filter(zone=zone, year=year, title=title).exists():
        problems.append(
            Problem(
                None,
                None,
                "error",
                _("%(year)d年已有同名计划“%(title)s”，请换一个标题") % {"year": year, "title": title},
            )
        )
    return ImportPreview(
        zone=zone,
        year=year,
        title=title,
        parsed=parsed,
        problems=problems,
        unit_ids=resolver.unit_ids,
        new_units=resolver.new_units,
        unknown=resolver.unknown,
        source_name=source_name,
    )
