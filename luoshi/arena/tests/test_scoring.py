"""ArenaScore = 100 · Σ points / (full · n), with the trim option and competition ranks; figures checked by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.arena.scoring import Standing, arena_score, counted, standings


def test_four_grades() -> None:
    # 好 好 较好 一般: 4 + 4 + 3 + 2 = 13 of 4 · 4 = 16 → 81.25
    assert arena_score([4, 4, 3, 2], 4, trim=False) == 81.25


def test_criteria_totals() -> None:
    # Three ballots of 80, 90 and 70 out of 100: 240 / 300 → 80
    assert arena_score([80, 90, 70], 100, trim=False) == 80.0


def test_trim_leaves_out_one_highest_and_one_lowest() -> None:
    # 4 4 3 2 → 4 3 counted: 7 / 8 → 87.5 (not 81.25)
    assert counted([4, 4, 3, 2], trim=True) == [3, 4]
    assert arena_score([4, 4, 3, 2], 4, trim=True) == 87.5
    # Criteria: 95 60 80 85 → 80 85 counted: 165 / 200 → 82.5
    assert arena_score([95, 60, 80, 85], 100, trim=True) == 82.5


def test_trim_needs_three_ballots() -> None:
    # 好 较差: both count (62.5); trimming two would leave nothing.
    assert arena_score([4, 1], 4, trim=True) == 62.5
    # Three: the middle one alone.
    assert arena_score([4, 1, 3], 4, trim=True) == 75.0


def test_scores_are_published_with_two_decimals() -> None:
    assert arena_score([4, 4, 3], 4, trim=False) == 91.67  # 11 / 12 = 91.666…


def test_no_ballot_no_score() -> None:
    assert arena_score([], 4, trim=False) is None
    assert arena_score([], 4, trim=True) is None


def test_competition_ranks_share_places() -> None:
    result = standings([[4, 4], [4, 3], [3, 4], [2, 2], []], 4, trim=False)
    assert result == [
        Standing(100.0, 1, 2),
        Standing(87.5, 2, 2),
        Standing(87.5, 2, 2),
        Standing(50.0, 4, 2),
        Standing(None, None, 0),
    ]


def test_ties_follow_the_published_figures() -> None:
    # 75 and 74.9999975 are both published as 75.00, so they share first place.
    assert [s.rank for s in standings([[3], [2.9999999]], 4, trim=False)] == [1, 1]


def test_trimmed_ballots_are_counted_as_such() -> None:
    assert [s.counted for s in standings([[4, 3, 2, 1], [4, 4]], 4, trim=True)] == [2, 2]


def test_full_marks_must_be_positive() -> None:
    with pytest.raises(ValueError):
        standings([[1]], 0, trim=False)


@given(
    st.lists(st.lists(st.integers(1, 4), max_size=12), min_size=1, max_size=15),
    st.booleans(),
)
def test_scores_lie_between_the_lowest_and_highest_ballot(ballots: list[list[int]], trim: bool) -> None:
    result = standings(ballots, 4, trim)
    for points, standing in zip(ballots, result, strict=True):
        if not points:
            assert standing == Standing(None, None, 0)
            continue
        assert standing.score is not None
        assert 25 * min(points) - 0.005 <= standing.score <= 25 * max(points) + 0.005
        # Nobody is ranked behind a presenter with a lower score.
        better = [s for s in result if s.score is not None and s.score > standing.score]
        assert standing.rank == len(better) + 1
