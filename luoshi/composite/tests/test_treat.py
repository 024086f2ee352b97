"""Outlier treatment as COINr does it (reference §6): skewness and kurtosis, the pass test in three-valued logic,
iterative winsorisation, and log_CT of the original column when winsorisation is not enough."""

import math

import numpy as np
import pytest

from luoshi.composite import steps

VIGNETTE = np.array([*range(1, 11), 30, 100], dtype=float)
# Heavy tail that still fails after 5 clips and passes after 6 (default thresholds).
HEAVY = np.array([0.0] * 40 + [10.0**k for k in range(1, 9)])
NEVER = (0.0, -math.inf)  # thresholds no column can pass: |skew| < 0 or kurt < -inf


def test_skewness_and_kurtosis_of_the_vignette() -> None:
    assert round(steps.skewness(VIGNETTE), 6) == 3.063241
    assert round(steps.kurtosis(VIGNETTE), 6) == 9.741391


def test_skewness_and_kurtosis_ignore_nan_and_need_enough_points() -> None:
    with_nan = np.array([np.nan, *VIGNETTE, np.nan])
    assert steps.skewness(with_nan) == steps.skewness(VIGNETTE)
    assert steps.kurtosis(with_nan) == steps.kurtosis(VIGNETTE)
    assert math.isnan(steps.skewness(np.array([1.0, 2.0])))
    assert math.isnan(steps.kurtosis(np.array([1.0, 2.0, 4.0])))
    assert not math.isnan(steps.skewness(np.array([1.0, 2.0, 4.0])))
    assert steps.skewness(np.array([1.0, 2.0, 3.0, 4.0])) == 0.0


def test_passes_is_or_with_strict_thresholds() -> None:
    assert steps.passes(VIGNETTE, 2.0, 3.5) is False  # skew 3.06 ≥ 2 and kurt 9.74 ≥ 3.5
    assert steps.passes(VIGNETTE, 3.1, 3.5) is True  # |skew| < 3.1 is enough
    assert steps.passes(VIGNETTE, 2.0, 9.8) is True  # kurt < 9.8 is enough
    assert steps.passes(VIGNETTE, steps.skewness(VIGNETTE), steps.kurtosis(VIGNETTE)) is False  # strict


def test_passes_three_valued_logic() -> None:
    constant = np.full(10, 3.0)
    assert steps.passes(constant, 2.0, 3.5) is None  # both halves NA
    three = np.array([0.0, 0.0, 1.0])  # skew 1.73, kurtosis NA (n < 4)
    assert steps.passes(three, 2.0, 3.5) is True  # NA OR TRUE = TRUE
    assert steps.passes(three, 1.0, 3.5) is None  # NA OR FALSE = NA
    assert steps.passes(np.array([1.0, np.nan]), 2.0, 3.5) is None


def test_winsorise_stops_as_soon_as_it_passes() -> None:
    x, points = steps.winsorise(VIGNETTE, 5, 2.0, 3.5)
    assert points == [11]
    assert x[11] == 30.0  # next distinct value, not a percentile
    np.testing.assert_array_equal(x[:11], VIGNETTE[:11])
    assert VIGNETTE[11] == 100.0  # input untouched


def test_winsorise_ties_count_as_several_points() -> None:
    col = np.array([*range(1, 21), 500, 500, 500], dtype=float)
    assert steps.passes(col, 2.0, 3.5) is False
    x, points = steps.winsorise(col, 1, 2.0, 3.5)
    assert points == [20, 21, 22]  # one step clips every tied maximum: 3 points, above winmax = 1
    assert (x[20:] == 20.0).all()


def test_winsorise_stops_at_winmax() -> None:
    for winmax in (1, 2, 3, 5):
        x, points = steps.winsorise(HEAVY, winmax, 2.0, 3.5)
        assert points == list(range(48 - winmax, 48))
        assert (x[48 - winmax :] == HEAVY[47 - winmax]).all()  # each clipped to the next distinct value
        assert steps.passes(x, 2.0, 3.5) is False
    x, points = steps.winsorise(HEAVY, 10, 2.0, 3.5)
    assert len(points) == 6 and steps.passes(x, 2.0, 3.5) is True


def test_winsorise_low_side_for_negative_skew() -> None:
    x, points = steps.winsorise(-VIGNETTE, 5, 2.0, 3.5)
    assert points == [11]
    np.testing.assert_array_equal(x, -steps.winsorise(VIGNETTE, 5, 2.0, 3.5)[0])


def test_winsorise_side_follows_the_current_skew() -> None:
    col = np.array([0.0, 1.0, 2.0, 3.0, 10.0])
    # skew > 0: 10 → 3; then [0,1,2,3,3] has skew < 0: 0 → 1; then [1,1,2,3,3] has skew exactly 0, which counts as
    # the high side: both 3s → 2. Latest high set (2) + latest low set (1) = 3 = winmax.
    x, points = steps.winsorise(col, 3, *NEVER)
    np.testing.assert_array_equal(x, [1.0, 1.0, 2.0, 2.0, 2.0])
    assert points == [0, 3, 4]
    x, points = steps.winsorise(col, 2, *NEVER)
    np.testing.assert_array_equal(x, [1.0, 1.0, 2.0, 3.0, 3.0])
    assert points == [0, 4]


def test_winsorise_leaves_nan_alone() -> None:
    col = np.array([np.nan, *VIGNETTE])
    x, points = steps.winsorise(col, 5, 2.0, 3.5)
    assert math.isnan(x[0]) and points == [12] and x[12] == 30.0


def test_log_ct_formula() -> None:
    x = np.array([1.0, 2.0, 11.0, np.nan])  # min 1, range 10: ln(x − 1 + 0.1)
    np.testing.assert_allclose(steps.log_ct(x), np.log([0.1, 1.1, 10.1, np.nan]), rtol=1e-15)
    assert steps.log_ct(x)[0] == pytest.approx(math.log(0.01 * 10))


def test_treat_leaves_passing_and_undecidable_columns() -> None:
    table = np.column_stack([np.arange(12.0), np.full(12, 7.0)])
    out, report = steps.treat(table, ["A", "B"], "winsorise_then_log")
    np.testing.assert_array_equal(out, table)
    assert report == []
    assert out is not table


def test_treat_winsorises_when_that_is_enough() -> None:
    table = np.column_stack([VIGNETTE, np.arange(12.0)])
    out, report = steps.treat(table, ["V", "L"], "winsorise_then_log")
    assert [(t.code, t.action, t.points) for t in report] == [("V", "winsorised", (11,))]
    assert out[11, 0] == 30.0 and (out[:, 1] == table[:, 1]).all()
    assert report[0].skew == steps.skewness(out[:, 0])
    assert table[11, 0] == 100.0


def test_treat_falls_back_to_log_of_the_original_column() -> None:
    table = HEAVY[:, None]
    out, report = steps.treat(table, ["H"], "winsorise_then_log", winmax=3)
    np.testing.assert_array_equal(out[:, 0], steps.log_ct(HEAVY))  # of the original, not the clipped column
    assert [(t.code, t.action, t.points) for t in report] == [("H", "log", ())]
    assert report[0].kurtosis == steps.kurtosis(out[:, 0])
    # With enough room winsorisation succeeds and no log is taken.
    out, report = steps.treat(table, ["H"], "winsorise_then_log", winmax=6)
    assert report[0].action == "winsorised" and len(report[0].points) == 6


def test_treat_methods_winsorise_only_log_only_and_none() -> None:
    table = HEAVY[:, None]
    out, report = steps.treat(table, ["H"], "winsorise", winmax=3)
    np.testing.assert_array_equal(out[:, 0], steps.winsorise(HEAVY, 3, 2.0, 3.5)[0])  # kept though it fails
    assert report[0].action == "winsorised" and len(report[0].points) == 3
    out, report = steps.treat(VIGNETTE[:, None], ["V"], "log")
    np.testing.assert_array_equal(out[:, 0], steps.log_ct(VIGNETTE))
    assert report[0].action == "log"
    out, report = steps.treat(table, ["H"], "none")
    np.testing.assert_array_equal(out, table)
    assert report == []
