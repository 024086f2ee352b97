"""Hand-made facts for the warning rules: the world's plan reporting weekly from 5 January 2026, items with
chosen dates, reports written straight into the table, and a sweep at a chosen moment."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from luoshi.alerts import actions
from luoshi.alerts.models import Warning, WarningRule
from luoshi.org.models import Unit
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import PlanItem
from luoshi.reporting import actions as reporting_actions
from luoshi.reporting.models import Cycle, Period, Report

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def weekly(world) -> Cycle:
    """Weekly reports, due Fridays 17:00, from the week of Monday 5 January 2026."""
    cycle = reporting_actions.save_cycle(
        world.plan, {"cadence": "weekly", "starts_on": date(2026, 1, 5)}, None
    )
    reporting_actions.ensure_periods(cycle, date(2026, 12, 31))
    return cycle


def week(cycle: Cycle, monday: date) -> Period:
    return Period.objects.get(cycle=cycle, starts_on=monday)


def item(world, title: str, unit: Unit | None = None, **dates) -> PlanItem:
    """A measure under the world's task, led by `unit` (default 区科技创新局)."""
    fields = {"title": title, "lead_unit": unit or world.tech, **dates}
    return plan_actions.add_item(world.plan, world.task, fields, [], None)


def hand_in(subject: PlanItem, period: Period, progress: float, status: str = "accepted", **fields) -> Report:
    return Report.objects.create(
        zone_id=subject.zone_id,
        item=subject,
        period=period,
        unit_id=subject.lead_unit_id,
        progress=Decimal(str(progress)),
        status=status,
        **fields,
    )


def only(world, *codes: str, **thresholds: dict) -> None:
    """Switch every rule of the zone off except `codes`, with their thresholds changed as given."""
    actions.ensure_rules([world.zone.pk])
    for rule in WarningRule.objects.filter(zone=world.zone):
        changed = {**rule.thresholds, **thresholds.get(rule.code, {})}
        actions.update_rule(rule, rule.code in codes, changed, None)


def sweep_at(world, when: datetime) -> actions.SweepResult:
    with time_machine.travel(when, tick=False):
        return actions.sweep([world.zone])


def levels(world) -> dict[tuple[str, int], str]:
    """Open warnings of the world's zone: (rule, item id) → level."""
    rows = Warning.objects.filter(zone=world.zone, resolved_at__isnull=True)
    return {(rule, item_id): level for rule, item_id, level in rows.values_list("rule", "item_id", "level")}


def warning(world, code: str, subject: PlanItem) -> Warning:
    return Warning.objects.get(zone=world.zone, rule=code, item=subject, resolved_at__isnull=True)
