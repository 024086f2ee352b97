"""The plan import between parsing and writing: unit matching, the preview and its JSON shape."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from luoshi.org.choices import UnitType
from luoshi.org.matching import UnitMatcher
from luoshi.org.models import Unit, Zone
from luoshi.plans.models import Plan
from luoshi.plans.parsing import ParsedNode, ParsedPlan, Problem

# What the preview form answers for an unknown unit name: map it to an existing unit, or create it.
MAP_PREFIX = "unit:"
CREATE_PREFIX = "new:"


@dataclass
class UnknownUnit:
    name: str
    count: int
    suggestion_id: int | None
    suggestion_name: str | None


@dataclass
class ImportPreview:
    zone: Zone
    year: int
    title: str
    parsed: ParsedPlan
    problems: list[Problem]
    unit_ids: dict[str, int]  # every name in the file that resolves, to its unit
    new_units: dict[str, str]  # names the user chose to create, to their unit type
    unknown: list[UnknownUnit] = field(default_factory=list)
    source_name: str = ""

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def nodes(self) -> list[ParsedNode]:
        return self.parsed.nodes

    def as_json(self) -> dict:
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
            "errors": [
                {"row": p.row, "column": p.column, "severity": p.severity, "message": p.message}
                for p in self.problems
            ],
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
    units = list(Unit.objects.filter(zone=zone).only("id", "name", "aliases"))
    matcher = UnitMatcher((u.pk, u.name, u.alias_list) for u in units)
    valid_ids = {u.pk for u in units}
    problems = list(parsed.problems)
    unit_ids: dict[str, int] = {}
    new_units: dict[str, str] = {}
    unknown: dict[str, UnknownUnit] = {}
    counts: Counter[str] = Counter()

    for node in parsed.nodes:
        for role, names in (("lead", [node.lead_unit] if node.lead_unit else []), ("co", node.co_units)):
            for name in names:
                counts[name] += 1
                if name in unit_ids or name in new_units:
                    continue
                answer = resolutions.get(name, "")
                if answer.startswith(MAP_PREFIX) and answer[len(MAP_PREFIX) :].isdigit():
                    chosen = int(answer[len(MAP_PREFIX) :])
                    if chosen in valid_ids:
                        unit_ids[name] = chosen
                        continue
                if answer.startswith(CREATE_PREFIX) and answer[len(CREATE_PREFIX) :] in UnitType.values:
                    new_units[name] = answer[len(CREATE_PREFIX) :]
                    continue
                match = matcher.match(name)
                if match.unit_id is not None:
                    unit_ids[name] = match.unit_id
                    continue
                if name not in unknown:
                    unknown[name] = UnknownUnit(name, 0, match.suggestion_id, match.suggestion_name)
                    if match.suggestion_name:
                        message = _("单位“%(name)s”不在本园区的单位名单中，是否为“%(suggestion)s”？") % {
                            "name": name,
                            "suggestion": match.suggestion_name,
                        }
                    else:
                        message = _(
                            "单位“%(name)s”不在本园区的单位名单中，请在预览中对应到已有单位或新建"
                        ) % {"name": name}
                    problems.append(Problem(node.row, _unit_cell(node, role), "error", message))
    for name, entry in unknown.items():
        entry.count = counts[name]

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
        unit_ids=unit_ids,
        new_units=new_units,
        unknown=list(unknown.values()),
        source_name=source_name,
    )
