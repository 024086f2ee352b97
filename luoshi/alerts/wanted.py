"""What the sweep's rules produce (`Wanted` warnings) and the zones' enabled rules they read."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from luoshi.alerts.models import WarningRule
from luoshi.alerts.rules import Thresholds, effective

# zone → code of each enabled rule → its thresholds
ZoneRules = dict[int, dict[str, Thresholds]]


@dataclass(frozen=True)
class Wanted:
    """A warning the facts call for: at most one per (rule, subject), the subject being an item, an order or
    a key project."""

    rule: str
    item_id: int | None
    zone_id: int
    unit_id: int | None
    level: str
    numbers: dict[str, Any]
    order_id: int | None = None
    escalate: bool = False  # an overdue order the sweep should escalate to its leader (not stored)
    project_id: int | None = None

    @property
    def key(self) -> tuple[str, int | None, int | None, int | None]:
        return (self.rule, self.item_id, self.order_id, self.project_id)


def zone_rules(zone_ids: Sequence[int]) -> ZoneRules:
    rules: ZoneRules = {zone_id: {} for zone_id in zone_ids}
    for rule in WarningRule.objects.filter(zone_id__in=zone_ids, enabled=True):
        rules[rule.zone_id][rule.code] = effective(rule.code, rule.thresholds)
    return rules


def enabled(rules: ZoneRules, code: str) -> dict[int, Thresholds]:
    return {zone_id: codes[code] for zone_id, codes in rules.items() if code in codes}
