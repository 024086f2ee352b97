from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from luoshi.reporting.progress import planned_progress

START, DUE = date(2026, 1, 1), date(2026, 12, 31)


def test_linear_by_default() -> None:
    assert planned_progress(date(2026, 1, 1), START, DUE) == 0
    assert planned_progress(date(2026, 7, 2), START, DUE) == Decimal("50.0")
    assert planned_progress(date(2027, 3, 1), START, DUE) == 100


def test_milestone_weighted() -> None:
    milestones = [(date(2026, 3, 31), Decimal(1)), (date(2026, 6, 30), Decimal(3))]
    assert planned_progress(date(2026, 3, 30), START, DUE, milestones) == 0
    assert planned_progress(date(2026, 4, 1), START, DUE, milestones) == Decimal("25.0")
    assert planned_progress(date(2026, 7, 1), START, DUE, milestones) == 100


def test_trajectory_wins_and_interpolates() -> None:
    trajectory = [(date(2026, 6, 30), Decimal(20)), (date(2026, 12, 31), Decimal(100))]
    milestones = [(date(2026, 3, 31), Decimal(1))]
    assert planned_progress(date(2026, 6, 30), START, DUE, milestones, trajectory) == 20
    halfway = date(2026, 6, 30) + (date(2026, 12, 31) - date(2026, 6, 30)) / 2
    assert planned_progress(halfway, START, DUE, milestones, trajectory) == Decimal("60.0")


def test_a_trajectory_point_on_the_start_date_counts_that_day() -> None:
    """Issue 12, item 4: the panel drew 0 % on the start day where the trajectory set 10 % (the sweep, 10 %)."""
    trajectory = [(START, Decimal(10)), (date(2026, 7, 1), Decimal(50))]
    assert planned_progress(START, START, DUE, [], trajectory) == 10
    assert planned_progress(START - timedelta(days=1), START, DUE, [], trajectory) == 0


def test_halves_round_up() -> None:
    """Issue 12, item 4: 0.25 % rounded to 0.2 here (halves to even) and to 0.3 in the sweep's SQL."""
    assert planned_progress(date(2026, 1, 2), START, START + timedelta(days=400)) == Decimal("0.3")


@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=1, max_value=400),
)
def test_within_bounds_and_monotonic(on: date, length: int) -> None:
    due = START + timedelta(days=length)
    today, tomorrow = planned_progress(on, START, due), planned_progress(on + timedelta(days=1), START, due)
    assert 0 <= today <= tomorrow <= 100
