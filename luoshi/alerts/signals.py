"""Alerts' part of the plan tree's signals (plans.signals): each item's worst open warning the reader may see
(reddest, then newest), worded from its numbers, and whether an open pace warning (进度滞后, 进度停滞, 指标滞后)
holds it behind pace — the same rules front.pace counts as 滞后."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, JSONField, OuterRef, Subquery

from luoshi.alerts.choices import BEHIND_RULES
from luoshi.alerts.queries import SEVERITY, visible_warnings
from luoshi.alerts.reasons import describe
from luoshi.plans.signals import Context, ItemFacts, Part, Provider


def annotate(context: Context) -> Mapping[str, Any]:
    open_warnings = visible_warnings(context.access).filter(item=OuterRef("pk"), resolved_at__isnull=True)
    worst = open_warnings.order_by(SEVERITY, "-opened_at", "-id")
    return {
        "level": Subquery(worst.values("level")[:1]),
        "rule": Subquery(worst.values("rule")[:1]),
        "reason": Subquery(worst.values("reason")[:1]),
        "numbers": Subquery(worst.values("numbers")[:1], output_field=JSONField()),
        "behind": Exists(open_warnings.filter(rule__in=BEHIND_RULES)),
    }


def read(values: Mapping[str, Any], facts: ItemFacts, context: Context) -> Part:
    level = values.get("level") or ""
    if not level:
        return Part(behind=bool(values.get("behind")))
    try:
        reason = describe(values["rule"], values.get("numbers") or {})
    except (KeyError, TypeError, ValueError):
        reason = values.get("reason") or ""
    return Part(level=level, reason=reason, behind=bool(values.get("behind")))


PROVIDER = Provider("alerts", annotate, read)
