"""Competition ranks (rank 1 = highest, ties share the best rank), as COINr's rank(-x, ties.method = "min")."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.composite import steps

NAN = np.nan


def test_highest_first_ties_share_the_best_rank() -> None:
    assert steps.rank_min(np.array([10.0, 20, 20, 5])).tolist() == [3, 1, 1, 4]
    assert steps.rank_min(np.array([1.0, 2, 2, 2, 3])).tolist() == [5, 2, 2, 2, 1]


def test_nan_stays_nan_and_is_not_counted() -> None:
    got = steps.rank_min(np.array([1.0, NAN, 3, NAN, 3]))
    assert math.isnan(got[1]) and math.isnan(got[3])
    assert got[[0, 2, 4]].tolist() == [3, 1, 1]
    assert np.isnan(steps.rank_min(np.array([NAN, NAN]))).all()


def test_works_along_an_axis_of_a_stack() -> None:
    rng = np.random.default_rng(1)
    stack = rng.integers(0, 5, (4, 7)).astype(float)
    stack[1, 3] = NAN
    along_last = steps.rank_min(stack)
    along_first = steps.rank_min(stack.T, axis=0)
    for r in range(4):
        np.testing.assert_array_equal(along_last[r], steps.rank_min(stack[r]))
    np.testing.assert_array_equal(along_first, along_last.T)
    cube = rng.normal(size=(2, 3, 5))
    np.testing.assert_array_equal(steps.rank_min(cube, axis=1)[1, :, 4], steps.rank_min(cube[1, :, 4]))


def test_input_is_not_changed() -> None:
    x = np.array([3.0, 1.0, 2.0])
    steps.rank_min(x)
    assert x.tolist() == [3.0, 1.0, 2.0]


def test_ranks_within_groups() -> None:
    scores = np.array([5.0, 3, 4, 1, 2, 9, 4])
    groups = ["A", "A", "B", "B", None, "A", "B"]
    got = steps.ranks_within(scores, groups)
    assert got[[0, 1, 5]].tolist() == [2, 3, 1]
    assert got[[2, 3, 6]].tolist() == [1, 3, 1]  # tie within B
    assert math.isnan(got[4])  # no group, no rank


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=40, unique=True))
def test_distinct_values_give_a_permutation(xs: list[float]) -> None:
    ranks = steps.rank_min(np.array(xs))
    assert sorted(ranks.tolist()) == list(range(1, len(xs) + 1))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.integers(-3, 3).map(float), st.just(NAN)), min_size=1, max_size=40))
def test_rank_is_one_plus_the_number_strictly_greater(xs: list[float]) -> None:
    x = np.array(xs)
    ranks = steps.rank_min(x)
    known = x[~np.isnan(x)]
    for value, rank in zip(x, ranks, strict=True):
        if math.isnan(value):
            assert math.isnan(rank)
        else:
            assert rank == 1 + (known > value).sum()
