"""The arena's score (docs/domain.md §6.3 (d)). Pure: ballots' points in, scores and ranks out; no database.

    ArenaScore_u = 100 · Σ_r points_{r,u} / (full · n_u)

where points are a ballot's grade (好 4 … 较差 1, full = 4) or the sum of its criteria's scores (full = the sum
of the criteria's maxima), and n_u the ballots counted for presenter u. With `trim`, each presenter's highest
and lowest ballot are left out, as juries do (去掉一个最高分和一个最低分); that needs three ballots at least, so
fewer are all counted."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from luoshi.composite.steps import rank_min

# Scores are published with two decimals, and ranks follow the published figures: two presenters shown with the
# same score share a place.
DECIMALS = 2
TRIM_FROM = 3


@dataclass(frozen=True)
class Standing:
    score: float | None  # None: no ballot yet
    rank: int | None
    counted: int  # ballots that made the score (after trimming)


def counted(points: Sequence[float], trim: bool) -> list[float]:
    """The ballots that count: all of them, or without one highest and one lowest when trimming."""
    ordered = sorted(points)
    if trim and len(ordered) >= TRIM_FROM:
        return ordered[1:-1]
    return ordered


def arena_score(points: Sequence[float], full: float, trim: bool) -> float | None:
    kept = counted(points, trim)
    if not kept:
        return None
    return round(100 * sum(kept) / (full * len(kept)), DECIMALS)


def standings(ballots: Sequence[Sequence[float]], full: float, trim: bool) -> list[Standing]:
    """Each presenter's score and competition rank (1, 2, 2, 4) from their ballots' points, in the order given;
    presenters without ballots have neither."""
    if full <= 0:
        raise ValueError("full marks must be positive")
    scores = [arena_score(points, full, trim) for points in ballots]
    ranks = rank_min(np.array([np.nan if s is None else s for s in scores], dtype=float))
    return [
        Standing(score, None if np.isnan(rank) else int(rank), len(counted(points, trim)))
        for score, rank, points in zip(scores, ranks, ballots, strict=True)
    ]
