"""Points at stake (the score our unit gains by closing its gap to the unit now at the target rank on one
indicator) and the what-if projection that re-runs the pipeline with several of our values changed."""

import pytest

from luoshi.composite import frame, gap
from luoshi.composite.errors import CompositeError
from luoshi.composite.tests.test_gap import MINMAX, data_of, tree_of


@pytest.fixture
def small() -> tuple[frame.Dataset, frame.Hierarchy]:
    """I1 more is better (range 0–20), I2 less is better (range 1–4): B (5, 3) aims at rank 2, held by A (0, 1)."""
    tree = tree_of({"I1": ("G", 1, 1), "I2": ("G", 1, -1)}, {"G": 1})
    return data_of(tree, {"A": [0, 1], "B": [5, 3], "C": [10, 2], "D": [20, 4]}), tree


def test_points_at_stake_by_hand(small: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    data, tree = small
    found = {g.code: g for g in gap.analyse(data, tree, MINMAX, "B", 2).indicators}
    assert found["I1"].theirs == 0 and found["I1"].at_stake == 0  # B already beats A on I1
    assert found["I2"].theirs == 1
    assert found["I2"].at_stake == pytest.approx((100 - 100 / 3) / 2)  # I2 from 33.3 to 100, half the weight


def test_points_at_stake_equal_the_projection(small: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    data, tree = small
    found = gap.analyse(data, tree, MINMAX, "B", 2)
    assert gap.project(data, tree, MINMAX, "B", {}) == (pytest.approx(found.score), found.rank)
    for g in found.indicators:
        if g.at_stake > 0:
            score, _rank = gap.project(data, tree, MINMAX, "B", {g.code: g.theirs})
            assert score - found.score == pytest.approx(g.at_stake)


def test_a_projection_of_several_changes(small: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    data, tree = small
    score, rank = gap.project(data, tree, MINMAX, "B", {"I1": 20, "I2": 1})
    assert (score, rank) == (pytest.approx(100), 1)  # the best on both: C's 58.3 is next


def test_a_projection_names_only_indicators_of_the_tree(small: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    data, tree = small
    with pytest.raises(CompositeError, match="I9"):
        gap.project(data, tree, MINMAX, "B", {"I9": 1})
