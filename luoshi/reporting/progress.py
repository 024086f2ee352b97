"""Planned progress of an item on a date: the curve actual progress is judged against. Pure: no database.

Three shapes, as in delivery-unit practice: an explicit trajectory when the office set one; else weighted
milestones (each counts when its due date has come); else a straight line from start to deadline."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

HUNDRED = Decimal(100)


def _line(on: date, start: date, end: date, low: Decimal, high: Decimal) -> Decimal:
    if on <= start:
        return low
    if on >= end:
        return high
    share = Decimal((on - start).days) / Decimal((end - start).days)
    return low + (high - low) * share


def planned_progress(
    on: date,
    start: date,
    due: date,
    milestones: Sequence[tuple[date, Decimal]] = (),
    trajectory: Sequence[tuple[date, Decimal]] = (),
) -> Decimal:
    """Planned cumulative % (0–100, one decimal) on `on`.

    `milestones` are (due date, weight); `trajectory` is (date, planned %) points in any order."""
    if trajectory:
        points = [(start, Decimal(0)), *sorted(trajectory)]
        if on >= points[-1][0]:
            return points[-1][1].quantize(Decimal("0.1"))
        for (d0, p0), (d1, p1) in zip(points, points[1:], strict=False):
            if d0 <= on <= d1:
                return _line(on, d0, d1, p0, p1).quantize(Decimal("0.1"))
        return Decimal(0)
    dated = [(d, w) for d, w in milestones if d is not None]
    total = sum((w for _d, w in dated), Decimal(0))
    if dated and total > 0:
        reached = sum((w for d, w in dated if d <= on), Decimal(0))
        return (HUNDRED * reached / total).quantize(Decimal("0.1"))
    if due <= start:
        return HUNDRED if on >= due else Decimal(0)
    return _line(on, start, due, Decimal(0), HUNDRED).quantize(Decimal("0.1"))
