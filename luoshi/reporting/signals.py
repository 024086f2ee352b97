"""Reporting's part of the plan tree's signals (plans.signals): each open leaf item's latest reported progress
(its pulse, reporting.models.Pulse) and its planned progress today by THE RULE of reporting.progress.

The plan's inputs come as annotations of the tree's one statement: the milestones' weights (all dated ones, and
those due by today) and the trajectory's points either side of today — all that planned_progress reads, so the
figure is the rule's own (the milestone weights stand in as two synthetic milestones, the two points as the
trajectory)."""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum

from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import Milestone
from luoshi.plans.signals import Context, ItemFacts, Part, Provider
from luoshi.reporting.models import TrajectoryPoint
from luoshi.reporting.progress import planned_progress

WEIGHT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)


def _weights(context: Context, due_by_today: bool) -> Subquery:
    milestones = Milestone.objects.filter(item=OuterRef("pk"), due_date__isnull=False)
    if due_by_today:
        milestones = milestones.filter(due_date__lte=context.today)
    summed = milestones.order_by().values("item_id").annotate(s=Sum("weight")).values("s")
    return Subquery(summed, output_field=WEIGHT)


def _point(context: Context, before: bool, column: str) -> Subquery:
    points = TrajectoryPoint.objects.filter(item=OuterRef("pk"))
    if before:
        points = points.filter(on__lte=context.today).order_by("-on")
    else:
        points = points.filter(on__gt=context.today).order_by("on")
    return Subquery(points.values(column)[:1])


def annotate(context: Context) -> Mapping[str, Any]:
    return {
        "pulse": F("pulse__progress"),
        "ms_total": _weights(context, due_by_today=False),
        "ms_due": _weights(context, due_by_today=True),
        "prev_on": _point(context, True, "on"),
        "prev_planned": _point(context, True, "planned"),
        "next_on": _point(context, False, "on"),
        "next_planned": _point(context, False, "planned"),
    }


def planned_today(values: Mapping[str, Any], facts: ItemFacts, context: Context) -> Decimal:
    """Planned progress today from the annotated inputs, by reporting.progress.planned_progress."""
    today = context.today
    start = facts.start_date or date(context.year, 1, 1)
    due = facts.due_date or date(context.year, 12, 31)
    total, due_weight = values.get("ms_total") or Decimal(0), values.get("ms_due") or Decimal(0)
    milestones = [(today, due_weight), (today + timedelta(days=1), total - due_weight)] if total else []
    trajectory = [
        (values[f"{side}_on"], Decimal(values[f"{side}_planned"]))
        for side in ("prev", "next")
        if values.get(f"{side}_on") is not None
    ]
    return planned_progress(today, start, due, milestones, trajectory)


def read(values: Mapping[str, Any], facts: ItemFacts, context: Context) -> Part:
    if not facts.leaf or facts.status == ItemStatus.CANCELLED:
        return Part()
    pulse = values.get("pulse") or []
    progress = Decimal(str(pulse[0])).quantize(Decimal("0.1")) if pulse else None
    if facts.status == ItemStatus.DONE:
        return Part(progress=progress)
    return Part(progress=progress, planned=planned_today(values, facts, context))


PROVIDER = Provider("reporting", annotate, read, rolls_up=False)
