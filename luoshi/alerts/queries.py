"""Reads of warnings, always through the user's Access: zone-wide roles see the zone's warnings, unit roles
their own unit's; other zones' do not exist for anyone."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, QuerySet, When
from django.http import Http404

from luoshi.alerts.choices import Level, RuleCode
from luoshi.alerts.models import Warning, WarningEvent, WarningRule
from luoshi.org.choices import UNIT_ROLES
from luoshi.org.models import Unit
from luoshi.org.queries import Access
from luoshi.plans.models import PlanItem

STATES = ("open", "resolved", "all")


def visible_warnings(access: Access) -> QuerySet[Warning]:
    warnings = Warning.objects.filter(zone=access.zone)
    if access.zone_wide:
        return warnings
    return warnings.filter(unit_id__in=access.unit_ids)


def get_warning(access: Access, warning_id: int) -> Warning:
    try:
        return (
            visible_warnings(access)
            .select_related("item__plan", "unit", "acknowledged_by")
            .get(pk=warning_id)
        )
    except Warning.DoesNotExist:
        raise Http404 from None


def can_acknowledge(access: Access, warning: Warning) -> bool:
    """The responsible unit's head or liaison explains an open warning; the office reads it."""
    return warning.is_open and bool(access.roles & UNIT_ROLES) and warning.unit_id in access.unit_ids


def get_warning_to_acknowledge(access: Access, warning_id: int) -> Warning:
    warning = get_warning(access, warning_id)
    if not can_acknowledge(access, warning):
        raise Http404
    return warning


def warning_events(warning: Warning) -> QuerySet[WarningEvent]:
    return warning.events.select_related("by").order_by("-at", "-id")


# Reddest first.
SEVERITY = Case(When(level=Level.RED, then=0), When(level=Level.YELLOW, then=1), default=2)


@dataclass
class WarningFilters:
    level: str = ""
    rule: str = ""
    unit: Unit | None = None
    state: str = "open"

    @property
    def active(self) -> bool:
        return bool(self.level or self.rule or self.unit or self.state != "open")


def _scoped(access: Access, filters: WarningFilters) -> QuerySet[Warning]:
    """Unit and state filters: what the counts and the chart describe."""
    warnings = visible_warnings(access)
    if filters.unit is not None:
        warnings = warnings.filter(unit=filters.unit)
    if filters.state == "open":
        return warnings.filter(resolved_at__isnull=True)
    if filters.state == "resolved":
        return warnings.filter(resolved_at__isnull=False)
    return warnings


def filtered_warnings(access: Access, filters: WarningFilters) -> QuerySet[Warning]:
    warnings = _scoped(access, filters)
    if filters.level:
        warnings = warnings.filter(level=filters.level)
    if filters.rule:
        warnings = warnings.filter(rule=filters.rule)
    return warnings.select_related("item", "unit").order_by(SEVERITY, "-opened_at", "-id")


@dataclass
class WarningCounts:
    by_level: dict[str, int]
    by_rule: dict[str, int]
    cells: dict[tuple[str, str], int]  # (rule, level) → count

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    def chart_data(self) -> dict:
        """Per rule, a stacked bar of red, yellow and blue warnings (rules with none left out)."""
        rules = [code for code in RuleCode.values if self.by_rule.get(code)]
        return {
            "rules": [str(RuleCode(code).label) for code in rules],
            "series": [
                {
                    "level": level,
                    "name": str(Level(level).label),
                    "data": [self.cells.get((c, level), 0) for c in rules],
                }
                for level in (Level.RED, Level.YELLOW, Level.BLUE)
            ],
        }


def warning_counts(access: Access, filters: WarningFilters) -> WarningCounts:
    """Counts by level and rule in one grouped query."""
    rows = _scoped(access, filters).values_list("rule", "level").annotate(n=Count("pk")).order_by()
    by_level: dict[str, int] = defaultdict(int)
    by_rule: dict[str, int] = defaultdict(int)
    cells = {}
    for rule, level, n in rows:
        by_level[level] += n
        by_rule[rule] += n
        cells[(rule, level)] = n
    return WarningCounts(dict(by_level), dict(by_rule), cells)


def unit_open_warnings(access: Access, unit: Unit) -> QuerySet[Warning]:
    """A unit's open warnings for the unit page (templates/alerts/_unit_warnings.html)."""
    warnings = visible_warnings(access).filter(unit=unit, resolved_at__isnull=True)
    return warnings.select_related("item").order_by(SEVERITY, "item__path", "rule")


def item_open_warnings(access: Access, item: PlanItem) -> QuerySet[Warning]:
    """An item's open warnings for the item page (templates/alerts/_item_warnings.html)."""
    warnings = visible_warnings(access).filter(item=item, resolved_at__isnull=True)
    return warnings.select_related("unit").order_by(SEVERITY, "rule")


def zone_rules(access: Access) -> list[WarningRule]:
    """The zone's rules in the order of their codes; readable by zone-wide roles."""
    if not access.zone_wide:
        raise Http404
    order = {code: n for n, code in enumerate(RuleCode.values)}
    return sorted(WarningRule.objects.filter(zone=access.zone), key=lambda r: order.get(r.code, len(order)))


def get_rule_for_edit(access: Access, rule_id: int) -> WarningRule:
    if not access.edits_plans:
        raise Http404
    try:
        return WarningRule.objects.get(zone=access.zone, pk=rule_id)
    except WarningRule.DoesNotExist:
        raise Http404 from None
