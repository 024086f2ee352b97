"""Innovation points, pure NumPy: stage by age, each indicator's fraction by its method (the composite engine's
normalisation steps), stage-weighted core points, capped bonus, penalties and veto, competition ranks in the
zone and in the stage, tiers. Arrays in, arrays out; the same inputs always give the same numbers."""

from dataclasses import dataclass

import numpy as np

from luoshi.composite.steps import normalise_column, rank_min, ranks_within
from luoshi.innovation.framework import Framework, Measure

INELIGIBLE = "ineligible"
# Points are compared at this precision, so sums that differ only by rounding tie, as they print.
DECIMALS = 9


@dataclass
class Result:
    stage: np.ndarray  # index into framework.stages
    values: (
        np.ndarray
    )  # enterprises × measures (indicators, then bonus items): the value scored, NaN if not reported
    fractions: np.ndarray  # the same shape: 0–1, NaN if not reported
    core: np.ndarray
    bonus: np.ndarray
    penalty: np.ndarray
    points: np.ndarray
    veto: np.ndarray  # bool
    rank: np.ndarray  # NaN for a vetoed enterprise
    stage_rank: np.ndarray
    tier: np.ndarray  # "A".."D" or INELIGIBLE

    def order(self) -> np.ndarray:
        """Rank order, equal ranks as they came, vetoed enterprises last."""
        index = np.arange(len(self.points))
        return np.lexsort((index, np.where(self.veto, np.inf, self.rank)))


def stages(framework: Framework, founded: np.ndarray, year: int) -> np.ndarray:
    """The first stage whose `max_age` the age reaches (age = year − founding year); the last one otherwise."""
    age = year - founded
    out = np.full(len(founded), len(framework.stages) - 1, dtype=np.int64)
    for s in reversed(range(len(framework.stages))):
        limit = framework.stages[s].max_age
        if limit is not None:
            out[age <= limit] = s
    return out


def value(measure: Measure, numbers: dict[str, np.ndarray]) -> np.ndarray:
    """The column, or its growth over `previous`: NaN when either is not reported; from a base of zero or less,
    the cap when the value is positive, else 0; never more than the cap."""
    x = numbers[measure.column]
    if measure.previous is None:
        return x
    p = numbers[measure.previous]
    cap = measure.growth_cap
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(p > 0, (x - p) / p, np.where(x > 0, cap, 0.0))
    g = np.minimum(g, cap)
    return np.where(np.isnan(x) | np.isnan(p), np.nan, g)


def fraction(measure: Measure, x: np.ndarray, stage: np.ndarray) -> np.ndarray:
    """0–1 by the measure's method; NaN stays NaN (not reported)."""
    p = measure.params
    if measure.method == "capped_ratio":
        spec = {"reference": p["ref"], "cap": 1.0, "scale": 1.0}
        return normalise_column(np.maximum(x, 0.0), 1, "ratio", spec, measure.code)
    if measure.method == "goalposts":
        spec = {"lower": p["low"], "upper": p["high"], "scale": 1.0}
        return normalise_column(x, 1, "goalposts", spec, measure.code)
    if measure.method == "bands":
        # The engine's bands give 0 below the first bound; here a value below the first cut scores scores[0].
        bands = [[-np.inf, p["scores"][0]], *zip(p["cuts"], p["scores"][1:], strict=True)]
        return normalise_column(x, 1, "bands", {"bands": bands}, measure.code)
    if measure.method == "prank":  # within the stage: start-ups are compared with start-ups
        out = np.full(len(x), np.nan)
        for s in np.unique(stage):
            mask = stage == s
            spec = {"scale": 1.0, "ties": "average"}
            out[mask] = normalise_column(x[mask], 1, "percentile_rank", spec, measure.code)
        return out
    raise AssertionError(measure.method)  # the framework checks the names


def score(
    framework: Framework,
    founded: np.ndarray,
    numbers: dict[str, np.ndarray],
    flags: dict[str, np.ndarray],
    year: int,
) -> Result:
    stage = stages(framework, founded, year)
    measures = framework.indicators + framework.bonuses
    n = len(founded)
    values = np.empty((n, len(measures)))
    fractions = np.empty((n, len(measures)))
    for k, measure in enumerate(measures):
        values[:, k] = value(measure, numbers)
        fractions[:, k] = fraction(measure, values[:, k], stage)
    got = np.nan_to_num(fractions, nan=0.0)
    k = len(framework.indicators)
    weights = np.array([[m.weights.get(s.code, 0.0) for m in framework.indicators] for s in framework.stages])
    core = (weights[stage] * got[:, :k]).sum(axis=1)
    bonus_points = np.array([m.points for m in framework.bonuses])
    bonus = np.minimum((got[:, k:] * bonus_points).sum(axis=1), framework.bonus_cap)
    penalty = np.zeros(n)
    veto = np.zeros(n, dtype=bool)
    for item in framework.penalties:
        if item.veto:
            veto |= flags[item.column]
        else:
            x = np.nan_to_num(numbers[item.column], nan=0.0)
            penalty += np.minimum(item.points_each * np.maximum(x, 0.0), item.max)
    points = np.where(veto, 0.0, np.maximum(core + bonus - penalty, 0.0))
    ranked = np.where(veto, np.nan, np.round(points, DECIMALS))
    rank = rank_min(ranked)
    stage_rank = ranks_within(ranked, [str(s) for s in stage])
    tier = tiers(framework, ranked, stage, stage_rank, veto)
    return Result(stage, values, fractions, core, bonus, penalty, points, veto, rank, stage_rank, tier)


def tiers(
    framework: Framework, ranked: np.ndarray, stage: np.ndarray, stage_rank: np.ndarray, veto: np.ndarray
) -> np.ndarray:
    """By share of the stage (stage rank ÷ eligible enterprises in the stage) or by score thresholds."""
    rule = framework.tiers
    if rule.method == "percentile":
        eligible = np.bincount(stage[~veto], minlength=len(framework.stages))
        with np.errstate(divide="ignore", invalid="ignore"):
            share = stage_rank / eligible[stage]
        a, b, c = share <= rule.a, share <= rule.b, share <= rule.c
    else:
        a, b, c = ranked >= rule.a, ranked >= rule.b, ranked >= rule.c
    tier = np.select([a, b, c], ["A", "B", "C"], default="D").astype(object)
    tier[veto] = INELIGIBLE
    return tier


def missing(framework: Framework, result: Result) -> list[str]:
    """For each enterprise, the codes of the indicators and bonus items it did not report, joined by ";"
    (worked out once per pattern: most enterprises share a few)."""
    codes = [m.code for m in framework.indicators + framework.bonuses]
    packed = np.packbits(np.isnan(result.values), axis=1)
    keys = np.ascontiguousarray(packed).view(f"V{packed.shape[1]}").ravel()  # one sortable key per row
    _keys, first, which = np.unique(keys, return_index=True, return_inverse=True)
    texts = [
        ";".join(c for c, gone in zip(codes, np.isnan(result.values[i]), strict=True) if gone) for i in first
    ]
    return [texts[w] for w in which.tolist()]
