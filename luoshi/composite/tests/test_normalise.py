"""Every normalisation method in pipeline.NORMALISE on small hand-checked columns, and min-max properties."""

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.composite import pipeline, steps
from luoshi.composite.errors import CompositeError

NAN = np.nan
# The methods with hand cases below; a new method in pipeline.NORMALISE must get one.
HAND_CASES = {
    "minmax",
    "zscore",
    "rank",
    "percentile_rank",
    "distance_to_target",
    "goalposts",
    "ratio",
    "bands",
}


def norm(
    x: Sequence[float] | npt.NDArray[np.float64], method: str, direction: int = 1, **p: object
) -> npt.NDArray[np.float64]:
    return steps.normalise_column(np.asarray(x, dtype=float), direction, method, p, "X")


def close(
    got: npt.NDArray[np.float64], want: Sequence[float] | Sequence[Sequence[float]] | npt.NDArray[np.float64]
) -> None:
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_minmax() -> None:
    x = [1, 2, 3, 5, NAN]
    close(norm(x, "minmax"), [0, 25, 50, 100, NAN])  # default range [0, 100]
    close(norm(x, "minmax", range=(0.0, 100.0)), [0, 25, 50, 100, NAN])
    close(norm(x, "minmax", range=(10.0, 20.0)), [10, 12.5, 15, 20, NAN])
    close(norm(x, "minmax", -1, range=(0.0, 100.0)), [100, 75, 50, 0, NAN])
    close(norm(x, "minmax", -1, range=(10.0, 20.0)), [20, 17.5, 15, 10, NAN])


def test_zscore() -> None:
    close(norm([1, 2, 3, NAN], "zscore"), [-1, 0, 1, NAN])  # sample sd (n − 1)
    close(norm([1, 2, 3], "zscore", mean_sd=(100.0, 10.0)), [90, 100, 110])
    close(norm([1, 2, 3], "zscore", -1), [1, 0, -1])
    close(norm([0, 0, 4, 4], "zscore"), np.array([-2, -2, 2, 2]) / math.sqrt(16 / 3))


def test_rank() -> None:
    close(norm([10, 30, 20, 20, NAN], "rank"), [1, 4, 2, 2, NAN])  # lowest is 1, ties share the lower rank
    close(norm([10, 30, 20, 20], "rank", -1), [4, 1, 2, 2])


def test_percentile_rank() -> None:
    close(norm([10, 30, 20, 40], "percentile_rank"), [0, 200 / 3, 100 / 3, 100])
    close(norm([10, 30, 20, 40], "percentile_rank", scale=1.0), [0, 2 / 3, 1 / 3, 1])
    close(norm([10, 30, 20, 40, NAN], "percentile_rank", -1), [100, 100 / 3, 200 / 3, 0, NAN])
    close(norm([7, NAN], "percentile_rank"), [100, NAN])  # a single value


def test_distance_to_target_higher_is_better() -> None:
    x = [0, 5, 10, 20, NAN]  # min 0, target 10
    close(norm(x, "distance_to_target", target=10.0), [0, 50, 100, 100, NAN])  # capped at the target
    close(norm(x, "distance_to_target", target=10.0, cap=True), [0, 50, 100, 100, NAN])
    close(norm(x, "distance_to_target", target=10.0, cap=False), [0, 50, 100, 200, NAN])
    close(norm(x, "distance_to_target", target=10.0, scale=1.0), [0, 0.5, 1, 1, NAN])


def test_distance_to_target_lower_is_better() -> None:
    x = [0, 5, 10, 20]  # max 20, target 5: (20 − x) / 15
    close(norm(x, "distance_to_target", -1, target=5.0), [100, 100, 200 / 3, 0])
    close(norm(x, "distance_to_target", -1, target=5.0, cap=False), [400 / 3, 100, 200 / 3, 0])


def test_distance_to_target_needs_a_target_beyond_the_worst_value() -> None:
    with pytest.raises(CompositeError) as e:
        norm([0, 5, 10], "distance_to_target", target=0.0)
    assert e.value.code == "X"
    with pytest.raises(CompositeError) as e:
        norm([0, 5, 10], "distance_to_target", -1, target=10.0)
    assert e.value.code == "X"


def test_goalposts_clamp() -> None:
    x = [5, 10, 15, 20, 25, NAN]
    close(norm(x, "goalposts", lower=10.0, upper=20.0), [0, 0, 50, 100, 100, NAN])
    close(norm(x, "goalposts", -1, lower=10.0, upper=20.0), [100, 100, 50, 0, 0, NAN])
    close(norm(x, "goalposts", lower=10.0, upper=20.0, scale=1.0), [0, 0, 0.5, 1, 1, NAN])
    with pytest.raises(CompositeError) as e:
        norm(x, "goalposts", lower=20.0, upper=10.0)
    assert e.value.code == "X"


def test_ratio() -> None:
    x = [25, 50, 100, NAN]  # reference 50
    close(norm(x, "ratio", reference=50.0), [50, 100, 100, NAN])  # cap 1 by default
    close(norm(x, "ratio", reference=50.0, cap=2.0), [50, 100, 200, NAN])
    close(norm(x, "ratio", -1, reference=50.0), [100, 100, 50, NAN])  # reference / x
    close(norm(x, "ratio", -1, reference=50.0, cap=2.0), [200, 100, 50, NAN])
    close(norm([0, 100], "ratio", -1, reference=50.0, cap=1.5), [150, 50])  # 50 / 0 is at the cap


def test_bands() -> None:
    bands = [[20, 2], [10, 1], [30, 3]]  # order does not matter
    x = [5, 10, 19, 20, 35, NAN]
    close(norm(x, "bands", bands=bands), [0, 1, 1, 2, 3, NAN])  # highest bound reached
    close(norm(x, "bands", -1, bands=bands), [1, 1, 2, 2, 0, NAN])  # lowest bound stayed within


def test_every_method_has_a_hand_case() -> None:
    assert HAND_CASES == set(pipeline.NORMALISE)


@pytest.mark.parametrize("method", ["minmax", "zscore", "distance_to_target"])
def test_zero_range_column_raises_naming_the_code(method: str) -> None:
    with pytest.raises(CompositeError) as e:
        steps.normalise_column(np.array([4.0, 4.0, NAN, 4.0]), 1, method, {"target": 9.0}, "Flat")
    assert e.value.code == "Flat"
    assert "Flat" in str(e.value)


def test_normalise_table_uses_each_columns_spec_and_direction() -> None:
    x = np.array([[1.0, 1.0], [3.0, 3.0]])
    out = steps.normalise(
        x, np.array([1, -1]), ["A", "B"], [("minmax", {}), ("goalposts", {"lower": 0, "upper": 4})]
    )
    close(out, [[0, 75], [100, 25]])
    assert x[0, 0] == 1.0


# Properties of min-max ------------------------------------------------------------------------------------------

values = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)
columns = st.lists(values, min_size=2, max_size=30).filter(lambda xs: max(xs) > min(xs))
bounds = st.tuples(st.floats(-1e3, 1e3), st.floats(0.001, 1e3)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=50, deadline=None)
@given(columns, bounds, st.sampled_from([1, -1]))
def test_minmax_within_range(xs: list[float], lu: tuple[float, float], direction: int) -> None:
    lower, upper = lu
    y = norm(xs, "minmax", direction, range=lu)
    slack = 1e-9 * max(1.0, abs(lower), abs(upper))  # the last bit of (u − l) + l
    assert (y >= lower - slack).all() and (y <= upper + slack).all()
    assert y.min() == pytest.approx(lower, abs=slack) and y.max() == pytest.approx(upper, abs=slack)


@settings(max_examples=50, deadline=None)
@given(columns, st.sampled_from([1, -1]), st.data())
def test_minmax_monotonic(xs: list[float], direction: int, data: st.DataObject) -> None:
    x = np.array(xs)
    y = norm(x, "minmax", direction)
    order = np.argsort(x, kind="stable")
    steps_ = np.diff(y[order]) * direction
    assert (steps_ >= 0).all()  # order-preserving (+1) or order-reversing (−1) within the column
    # Raising one value never lowers (+1) or raises (−1) its own score.
    i = data.draw(st.integers(0, len(xs) - 1))
    bigger = x.copy()
    bigger[i] += data.draw(st.floats(0.0, 1e6))
    if bigger.max() > bigger.min():
        assert (norm(bigger, "minmax", direction)[i] - y[i]) * direction >= 0
