"""Planned progress of an item on a date: the curve actual progress is judged against. Pure: no database.

THE RULE, written twice: here for the item's progress panel (reporting.queries.item_progress) and in SQL for the
warning sweep (alerts.facts._planned), which cites this docstring; alerts/tests/test_planned_progress.py checks
that the two agree on random items. Planned cumulative %, 0 to 100, on day `on`, for an item running from
`start` (its start date, else 1 January of its plan's year) to `due` (its due date, else 31 December):

1. TRAJECTORY, when the office set one (deliverology's trajectory: points of planned % by a date): the latest
   point on or before `on` and the earliest after it, joined by a straight line; on or after the last point,
   the last point's value. Before the first point the line runs from 0 % at `start` to that point (0 % up to
   `start`, and 0 % throughout when the point is not after `start`).
2. MILESTONES, else, when the milestones with a due date weigh more than nothing: the share of that weight
   due by `on` (due date ≤ `on`).
3. LINEAR, else: a straight line from 0 % at `start` to 100 % at `due` (100 % from `due` on when `due` is not
   after `start`).

Rounded to DECIMALS decimals, halves up (四舍五入).
"""

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
DECIMALS = 1
STEP = Decimal(1).scaleb(-DECIMALS)  # 0.1
# The basis of the plan, stored with BEHIND warnings (the sweep's SQL names it with these same words).
TRAJECTORY, MILESTONES, LINEAR = "trajectory", "milestones", "linear"


def _line(on: date, start: date, end: date, low: Decimal, high: Decimal) -> Decimal:
    if on <= start:
        return low
    if on >= end:
        return high
    share = Decimal((on - start).days) / Decimal((end - start).days)
    return low + (high - low) * share


def _trajectory(on: date, start: date, trajectory: Sequence[tuple[date, Decimal]]) -> Decimal:
    before = [point for point in trajectory if point[0] <= on]
    after = [point for point in trajectory if point[0] > on]
    if not before:
        next_on, next_planned = min(after)
        return _line(on, start, next_on, Decimal(0), next_planned)
    prev_on, prev_planned = max(before)
    if not after:
        return prev_planned
    next_on, next_planned = min(after)
    return _line(on, prev_on, next_on, prev_planned, next_planned)


def planned_progress(
    on: date,
    start: date,
    due: date,
    milestones: Sequence[tuple[date, Decimal]] = (),
    trajectory: Sequence[tuple[date, Decimal]] = (),
) -> Decimal:
    """Planned cumulative % on `on` by the rule above. `milestones` are (due date, weight); `trajectory` is
    (date, planned %) points in any order, at most one a date."""
    if trajectory:
        planned = _trajectory(on, start, trajectory)
    else:
        dated = [(d, w) for d, w in milestones if d is not None]
        total = sum((w for _d, w in dated), Decimal(0))
        if dated and total > 0:
            planned = HUNDRED * sum((w for d, w in dated if d <= on), Decimal(0)) / total
        elif due <= start:
            planned = HUNDRED if on >= due else Decimal(0)
        else:
            planned = _line(on, start, due, Decimal(0), HUNDRED)
    return planned.quantize(STEP, rounding=ROUND_HALF_UP)
