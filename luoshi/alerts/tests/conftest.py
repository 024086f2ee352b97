"""Hand-made facts for the warning rules: the world's plan reporting weekly from 5 January 2026, items with
chosen dates, reports written straight into the table, and a sweep at a chosen moment."""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from luoshi.alerts import actions, orders
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import SupervisionOrder, Warning, WarningRule
from luoshi.alerts.rules import Thresholds
from luoshi.conftest import World
from luoshi.notices.choices import Platform
from luoshi.notices.models import Notification, OutboxMessage, WebhookEndpoint
from luoshi.org.models import Unit, Zone
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import PlanItem, Target
from luoshi.reporting import actions as reporting_actions
from luoshi.reporting.models import Cycle, Period, Report, ReportValue

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def weekly(world: World) -> Cycle:
    """Weekly reports, due Fridays 17:00, from the week of Monday 5 January 2026."""
    cycle = reporting_actions.save_cycle(
        world.plan, {"cadence": "weekly", "starts_on": date(2026, 1, 5)}, None
    )
    reporting_actions.ensure_periods(cycle, date(2026, 12, 31))
    return cycle


def week(cycle: Cycle, monday: date) -> Period:
    return Period.objects.get(cycle=cycle, starts_on=monday)


def item(world: World, title: str, unit: Unit | None = None, **dates: date) -> PlanItem:
    """A measure under the world's task, led by `unit` (default 区科技创新局)."""
    fields = {"title": title, "lead_unit": unit or world.tech, **dates}
    return plan_actions.add_item(world.plan, world.task, fields, [], None)


def hand_in(
    subject: PlanItem,
    period: Period,
    progress: float,
    status: str = "accepted",
    values: dict[Target, float] | None = None,
    **fields: object,
) -> Report:
    """A report written straight into the table, with actual values of the item's targets; the item's pulse is
    then refreshed, as the reporting actions and load_reports do."""
    assert subject.lead_unit_id is not None
    report = Report.objects.create(
        zone_id=subject.zone_id,
        item=subject,
        period=period,
        unit_id=subject.lead_unit_id,
        progress=Decimal(str(progress)),
        status=status,
        **fields,
    )
    for target, value in (values or {}).items():
        ReportValue.objects.create(
            zone_id=subject.zone_id, report=report, target=target, value=Decimal(str(value))
        )
    reporting_actions.refresh_pulses([subject.pk])
    return report


def revise(report: Report, **fields: object) -> None:
    """Change a report in place (what the facts say moves on), keeping its item's pulse in step."""
    Report.objects.filter(pk=report.pk).update(**fields)
    reporting_actions.refresh_pulses([report.item_id])


def only(world: World, *codes: str, **thresholds: Thresholds) -> None:
    """Switch every rule of the zone off except `codes`, with their thresholds changed as given."""
    actions.ensure_rules([world.zone.pk])
    for rule in WarningRule.objects.filter(zone=world.zone):
        changed = {**rule.thresholds, **thresholds.get(rule.code, {})}
        actions.update_rule(rule, rule.code in codes, changed, None)


def sweep_at(world: World, when: datetime) -> actions.SweepResult:
    with time_machine.travel(when, tick=False):
        return actions.sweep([world.zone])


def levels(world: World) -> dict[tuple[str, int], str]:
    """Open warnings of the world's zone: (rule, item id) → level."""
    rows = Warning.objects.filter(zone=world.zone, resolved_at__isnull=True)
    return {(rule, item_id): level for rule, item_id, level in rows.values_list("rule", "item_id", "level")}


@pytest.fixture
def red(world: World) -> Warning:
    """The world's 1.培育高新技术企业, due 30 June, overdue and red on 8 July."""
    only(world, RuleCode.OVERDUE)
    sweep_at(world, at(2026, 7, 8, 10))
    return Warning.objects.get(item=world.item_a)


def warning(world: World, code: str, subject: PlanItem) -> Warning:
    return Warning.objects.get(zone=world.zone, rule=code, item=subject, resolved_at__isnull=True)


# Supervision orders ---------------------------------------------------------------------------------------------

ISSUED_AT = at(2026, 7, 1, 9)  # a Wednesday; orders below are due 15 July unless said otherwise


def new_order(
    world: World, unit: Unit | None = None, deadline: date = date(2026, 7, 15), **fields: Any
) -> SupervisionOrder:
    """An order from the supervisor to 区科技创新局 (default), issued on 1 July 2026."""
    values: dict[str, Any] = {
        "subject": "加快高企培育进度",
        "requirement": "请于7月15日前报送高企申报推进情况",
        "item": world.item_a,
        "now": ISSUED_AT,
        **fields,
    }
    return orders.issue_order(
        values.pop("zone", world.zone),
        values.pop("subject"),
        unit or world.tech,
        values.pop("requirement"),
        deadline,
        world.user("supervisor"),
        **values,
    )


@pytest.fixture
def order(world: World) -> SupervisionOrder:
    return new_order(world)


def order_url(name: str, subject: SupervisionOrder) -> str:
    return reverse(f"alerts:{name}", args=["alpha", subject.pk])


def inbox(user: User, kind: str = "order") -> list[str]:
    """Titles in a person's inbox, oldest first."""
    return list(
        Notification.objects.filter(recipient=user, kind=kind).order_by("pk").values_list("title", flat=True)
    )


def robot(zone: Zone, unit: Unit | None) -> WebhookEndpoint:
    """A group robot of the unit (None: the zone-wide group)."""
    name = f"{unit.name if unit else '全区'}工作群"
    return WebhookEndpoint.objects.create(
        zone=zone, unit=unit, name=name, platform=Platform.WECOM, url="http://robot.invalid/"
    )


def group_messages(endpoint: WebhookEndpoint) -> list[str]:
    return list(
        OutboxMessage.objects.filter(endpoint=endpoint).order_by("pk").values_list("subject", flat=True)
    )


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Pages read today's date: 2 July 2026, 10:00, until the test moves it (clock.move_to)."""
    with time_machine.travel(at(2026, 7, 2, 10), tick=False) as traveller:
        yield traveller
