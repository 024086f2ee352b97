"""Aggregation of children into a parent score: the four means, missing children, availability, weight stacks."""

import math
import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from luoshi.composite import frame, pipeline, steps
from luoshi.composite.errors import CompositeError

NAN = np.nan
XW = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]  # children (units × children) and their weights
METHODS = ("arithmetic_mean", "geometric_mean", "harmonic_mean", "median")


def agg(
    x: Sequence[Sequence[float]] | npt.NDArray[np.float64],
    w: Sequence[float] | npt.NDArray[np.float64],
    method: str = "arithmetic_mean",
    **p: object,
) -> npt.NDArray[np.float64]:
    return steps.aggregate(np.asarray(x, dtype=float), np.asarray(w, dtype=float), method, p, "P")


def test_arithmetic_mean() -> None:
    assert agg([[1, 2, 3]], [1, 1, 2]).tolist() == [2.25]  # (1 + 2 + 6) / 4
    np.testing.assert_allclose(agg([[1, 2, 3], [4, 4, 4]], [1, 1, 1]), [2, 4])


def test_geometric_mean() -> None:
    np.testing.assert_allclose(agg([[1, 4]], [1, 1], "geometric_mean"), [2])
    np.testing.assert_allclose(agg([[2, 8]], [1, 2], "geometric_mean"), [2 ** (7 / 3)])  # (2 · 8²)^(1/3)


def test_geometric_mean_zeros_take_an_offset() -> None:
    # One zero anywhere in the column set shifts every unit alike, so all are scored by the same formula.
    got = agg([[0, 3], [1, 4]], [1, 1], "geometric_mean")
    np.testing.assert_allclose(got, [math.sqrt(1 * 4) - 1, math.sqrt(2 * 5) - 1])
    got = agg([[0, 3]], [1, 1], "geometric_mean", offset=2.0)
    np.testing.assert_allclose(got, [math.sqrt(2 * 5) - 2])
    got = agg([[0, 3]], [1, 1], "geometric_mean", zeros="offset", offset=1.0)
    np.testing.assert_allclose(got, [1])


def test_geometric_mean_zeros_error() -> None:
    with pytest.raises(CompositeError) as e:
        agg([[0, 3], [1, 4]], [1, 1], "geometric_mean", zeros="error")
    assert e.value.code == "P"
    np.testing.assert_allclose(agg([[1, 4]], [1, 1], "geometric_mean", zeros="error"), [2])  # no zero: fine


@pytest.mark.parametrize("method", ["geometric_mean", "harmonic_mean"])
def test_negative_values_refused(method: str) -> None:
    with pytest.raises(CompositeError) as e:
        agg([[-1, 3]], [1, 1], method)
    assert e.value.code == "P"


def test_harmonic_mean() -> None:
    np.testing.assert_allclose(agg([[1, 2, 4]], [1, 1, 1], "harmonic_mean"), [3 / 1.75])
    np.testing.assert_allclose(agg([[1, 4]], [3, 1], "harmonic_mean"), [4 / (3 + 0.25)])
    np.testing.assert_allclose(agg([[0, 4], [2, 2]], [1, 1], "harmonic_mean"), [0, 2])  # a zero child gives 0


def test_median() -> None:
    np.testing.assert_allclose(agg([[1, 5, 2]], [1, 1, 1], "median"), [2])
    np.testing.assert_allclose(agg([[1, 5, 2, 10]], [1, 1, 1, 1], "median"), [3.5])
    np.testing.assert_allclose(agg([[1, NAN, 2]], [1, 1, 1], "median"), [1.5])
    np.testing.assert_allclose(agg([[1, 5, 2]], [1, 0, 1], "median"), [1.5])  # weight 0 leaves the child out


@pytest.mark.parametrize(
    ("method", "want"),
    [
        ("arithmetic_mean", 7 / 3),
        ("geometric_mean", (1 * 3**2) ** (1 / 3)),
        ("harmonic_mean", 3 / (1 + 2 / 3)),
    ],
)
def test_weights_renormalised_over_available_children(method: str, want: float) -> None:
    np.testing.assert_allclose(agg([[1, NAN, 3]], [1, 5, 2], method), [want])


@pytest.mark.parametrize("method", METHODS)
def test_all_children_missing_gives_nan(method: str) -> None:
    got = agg([[NAN, NAN], [1, 3]], [1, 1], method)
    assert math.isnan(got[0]) and not math.isnan(got[1])


def test_zero_weights_on_every_present_child_give_nan() -> None:
    got = agg([[1, NAN]], [0, 1])
    assert math.isnan(got[0])


def test_min_availability() -> None:
    x = [[1, NAN, NAN, NAN], [1, 2, NAN, NAN], [1, 2, 3, NAN]]
    got = agg(x, [1, 1, 1, 1], min_availability=0.5)
    assert math.isnan(got[0])
    np.testing.assert_allclose(got[1:], [1.5, 2])  # 2 of 4 is exactly 0.5: kept
    np.testing.assert_allclose(agg(x, [1, 1, 1, 1]), [1, 1.5, 2])  # no threshold by default


@pytest.mark.parametrize("method", METHODS)
def test_stacked_weights_equal_looping(method: str) -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 100, (6, 4))
    x[0, 0] = 0.0
    x[2, 1] = NAN
    stack = rng.uniform(0.1, 2.0, (5, 1, 4))
    got = steps.aggregate(x, stack, method, {}, "P")
    assert got.shape == (5, 6)
    for r in range(5):
        np.testing.assert_allclose(got[r], steps.aggregate(x, stack[r, 0], method, {}, "P"), rtol=1e-13)


def _tree() -> frame.Hierarchy:
    rows = [
        {"iCode": c, "Type": "Indicator", "Level": "1", "Parent": p, "Direction": "1", "Weight": "1"}
        for c, p in [("a", "P"), ("b", "P"), ("c", "Q"), ("d", "Q"), ("e", "Q")]
    ]
    rows += [
        {"iCode": "P", "Type": "Aggregate", "Level": "2", "Parent": "T", "Direction": "1", "Weight": "1"},
        {"iCode": "Q", "Type": "Aggregate", "Level": "2", "Parent": "T", "Direction": "1", "Weight": "2"},
        {"iCode": "T", "Type": "Aggregate", "Level": "3", "Parent": "", "Direction": "1", "Weight": "1"},
    ]
    return frame.hierarchy(rows)


def test_aggregate_all_uses_imeta_weights_bottom_up() -> None:
    tree = _tree()
    cfg = pipeline.config({"normalise": {"method": "minmax"}, "aggregate": {"method": "arithmetic_mean"}})
    x = np.array([[0.0, 10, 20, 30, 40], [5, NAN, 0, 0, 30]])
    out = pipeline.aggregate_all(x, tree, cfg)
    assert tree.codes == ("a", "b", "c", "d", "e", "P", "Q", "T")
    np.testing.assert_array_equal(out[:, :5], x)
    np.testing.assert_allclose(out[:, 5:], [[5, 30, (5 + 2 * 30) / 3], [5, 10, (5 + 2 * 10) / 3]])


def test_aggregate_all_with_a_stack_of_weight_sets_equals_looping() -> None:
    tree = _tree()
    cfg = pipeline.config({"normalise": {"method": "minmax"}, "aggregate": {"method": "geometric_mean"}})
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 100, (4, 5))
    x[1, 2] = 0.0
    codes = ("a", "b", "c", "d", "e", "P", "Q")
    stack = {c: rng.uniform(0.5, 2.0, (6, 1, 1)) for c in codes}
    out = pipeline.aggregate_all(x, tree, cfg, stack)
    assert out.shape == (6, 4, 8)
    for r in range(6):
        one = pipeline.aggregate_all(x, tree, cfg, {c: stack[c][r, 0] for c in codes})
        np.testing.assert_allclose(out[r], one, rtol=1e-13)


def test_aggregate_by_level() -> None:
    tree = _tree()
    cfg = pipeline.config(
        {
            "normalise": {"method": "minmax"},
            "aggregate": {"method": "arithmetic_mean", "by_level": {"3": "median"}},
        }
    )
    out = pipeline.aggregate_all(np.array([[0.0, 10, 20, 30, 40]]), tree, cfg)
    np.testing.assert_allclose(out[0, 5:], [5, 30, 17.5])  # median of P and Q ignores their weights


# Properties -----------------------------------------------------------------------------------------------------

child = st.one_of(st.floats(-1e3, 1e3, allow_subnormal=False), st.just(NAN))


@st.composite
def children_and_weights(draw: st.DrawFn) -> XW:
    k = draw(st.integers(1, 6))
    x = draw(hnp.arrays(float, (draw(st.integers(1, 5)), k), elements=child))
    w = draw(hnp.arrays(float, (k,), elements=st.floats(0.01, 100)))
    return x, w


@settings(max_examples=50, deadline=None)
@given(children_and_weights())
def test_arithmetic_mean_between_min_and_max(xw: XW) -> None:
    x, w = xw
    got = agg(x, w)
    for row, value in zip(x, got, strict=True):
        if np.isnan(row).all():
            assert math.isnan(value)
            continue
        slack = 1e-9 * max(1.0, np.nanmax(np.abs(row)))
        assert np.nanmin(row) - slack <= value <= np.nanmax(row) + slack


@settings(max_examples=50, deadline=None)
@given(children_and_weights(), st.floats(0.01, 100))
def test_equal_weights_give_the_plain_mean(xw: XW, weight: float) -> None:
    x, w = xw
    got = agg(x, np.full_like(w, weight))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows
        want = np.nanmean(x, axis=1)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(children_and_weights(), st.floats(1e-3, 1e3), st.sampled_from(METHODS))
def test_scaling_weights_changes_nothing(xw: XW, factor: float, method: str) -> None:
    x, w = xw
    x = np.abs(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows in the median
        np.testing.assert_allclose(agg(x, w * factor, method), agg(x, w, method), rtol=1e-10, atol=1e-9)
