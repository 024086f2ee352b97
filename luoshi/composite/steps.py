"""The pipeline's steps as functions of arrays (units × columns, NaN for missing), after COINr v1.1.14 as
`docs/composite-reference.md` describes it. Each returns a new array; inputs are never changed."""

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from luoshi.composite.errors import CompositeError, _


def denominate(values: np.ndarray, denominators: Sequence[np.ndarray | None]) -> np.ndarray:
    """Divide each column by its denominator (None: copied). NaN in either gives NaN."""
    out = values.copy()
    for j, den in enumerate(denominators):
        if den is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                out[:, j] = values[:, j] / den
    return out


def impute(
    values: np.ndarray, method: str, groups: Sequence[str | None] | None = None, codes: Sequence[str] = ()
) -> tuple[np.ndarray, int]:
    """Fill missing cells with the column's mean or median, over all units or within each unit's group (units
    without a group are left alone). Returns the table and the number of cells filled. A group with no value
    at all in a column cannot be filled: an error, never a silent NaN."""
    if method == "none":
        return values.copy(), 0
    stat = np.nanmean if method.endswith("mean") else np.nanmedian
    out = values.copy()
    missing = np.isnan(values)
    masks: dict[str | None, np.ndarray]
    if method.startswith("indicator_"):
        masks = {None: np.ones(len(values), dtype=bool)}
    else:
        assert groups is not None
        labels = np.array([g if g is not None else "" for g in groups], dtype=object)
        masks = {g: labels == g for g in dict.fromkeys(groups) if g is not None}
    for j in range(values.shape[1]):
        for group, mask in masks.items():
            holes = mask & missing[:, j]
            if not holes.any():
                continue
            known = values[mask & ~missing[:, j], j]
            if known.size == 0:
                code = codes[j] if codes else str(j)
                if group is None:
                    raise CompositeError(_("这一指标全部缺失，无法插补"), code=code)
                raise CompositeError(
                    _("“%(group)s”组的这一指标全部缺失，无法按组插补"), code=code, group=group
                )
            out[holes, j] = stat(known)
    return out, int((missing & ~np.isnan(out)).sum())


def screen(values: np.ndarray, min_availability: float) -> np.ndarray:
    """Which units to keep: those whose share of non-missing indicators is at least `min_availability`."""
    return 1 - np.isnan(values).mean(axis=1) >= min_availability


# Outlier treatment --------------------------------------------------------------------------------------------


def _deviations(x: np.ndarray, at_least: int) -> tuple[int, np.ndarray, float] | None:
    """The count, deviations from the mean and their sum of squares of the known values; None when there are
    fewer than `at_least` of them or they are all equal (the moments are undefined)."""
    x = x[~np.isnan(x)]
    if x.size < at_least:
        return None
    d = x - x.mean()
    m2 = float((d**2).sum())
    return (x.size, d, m2) if m2 > 0 else None


def skewness(x: np.ndarray) -> float:
    """Sample-adjusted skewness G1 (Excel SKEW, e1071 type 2); NaN below 3 values or for a constant column."""
    found = _deviations(x, 3)
    if found is None:
        return np.nan
    n, d, m2 = found
    g1 = np.sqrt(n) * (d**3).sum() / m2**1.5
    return float(g1 * np.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: np.ndarray) -> float:
    """Sample-adjusted excess kurtosis G2 (Excel KURT, e1071 type 2); NaN below 4 values or when constant."""
    found = _deviations(x, 4)
    if found is None:
        return np.nan
    n, d, m2 = found
    r = n * (d**4).sum() / m2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def passes(x: np.ndarray, skew_threshold: float, kurtosis_threshold: float) -> bool | None:
    """COINr's check_SkewKurt: |skew| < threshold OR kurtosis < threshold, in R's three-valued logic (None)."""
    s, k = skewness(x), kurtosis(x)
    skew_ok = None if np.isnan(s) else abs(s) < skew_threshold
    kurt_ok = None if np.isnan(k) else k < kurtosis_threshold
    if skew_ok or kurt_ok:
        return True
    if skew_ok is None or kurt_ok is None:
        return None
    return False


def winsorise(
    x: np.ndarray, winmax: int, skew_threshold: float, kurtosis_threshold: float
) -> tuple[np.ndarray, list[int]]:
    """Clip one extreme value (every tie of it) per step, on the side of the current skew, to the next distinct
    value, until the column passes or `winmax` points have changed. Returns the column and the positions
    changed (the latest high-side and low-side sets, as COINr counts them)."""
    x = x.copy()
    high: np.ndarray = np.array([], dtype=int)
    low: np.ndarray = np.array([], dtype=int)
    ok = passes(x, skew_threshold, kurtosis_threshold)
    while not ok and len(high) + len(low) < winmax:
        s = skewness(x)
        if np.isnan(s):
            break
        known = ~np.isnan(x)
        extreme = np.nanmax(x) if s >= 0 else np.nanmin(x)
        points = np.flatnonzero(known & (x == extreme))
        rest = x[known & (x != extreme)]
        if rest.size == 0:
            break
        if s >= 0:
            high, x[points] = points, rest.max()
        else:
            low, x[points] = points, rest.min()
        ok = passes(x, skew_threshold, kurtosis_threshold)
    return x, sorted({*high.tolist(), *low.tolist()})


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr's log_CT: ln(x − min + 0.01·(max − min))."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo))


@dataclass(frozen=True)
class Treatment:
    """What happened to one column: 'none', 'winsorised' (with the units changed) or 'log'."""

    code: str
    action: str
    points: tuple[int, ...] = ()
    skew: float = np.nan
    kurtosis: float = np.nan


def treat(
    values: np.ndarray,
    codes: Sequence[str],
    method: str,
    winmax: int = 5,
    skew_threshold: float = 2.0,
    kurtosis_threshold: float = 3.5,
) -> tuple[np.ndarray, list[Treatment]]:
    """Per column (COINr Treat, combine_treat = FALSE): pass → unchanged; else winsorise, and if that still fails
    (and the method allows) take log_CT of the original column instead. An undecidable check leaves the column."""
    out = values.copy()
    report = []
    for j, code in enumerate(codes):
        x = values[:, j]
        ok = passes(x, skew_threshold, kurtosis_threshold)
        if ok or ok is None or method == "none":
            continue
        if method == "log":
            out[:, j] = log_ct(x)
            report.append(Treatment(code, "log", (), skewness(out[:, j]), kurtosis(out[:, j])))
            continue
        clipped, points = winsorise(x, winmax, skew_threshold, kurtosis_threshold)
        after = passes(clipped, skew_threshold, kurtosis_threshold)
        if after or method == "winsorise":
            out[:, j] = clipped
            report.append(Treatment(code, "winsorised", tuple(points), skewness(clipped), kurtosis(clipped)))
        elif after is None:
            continue
        else:
            out[:, j] = log_ct(x)
            report.append(Treatment(code, "log", (), skewness(out[:, j]), kurtosis(out[:, j])))
    return out, report


# Normalisation -------------------------------------------------------------------------------------------------


def _span(z: np.ndarray, code: str) -> tuple[float, float]:
    lo, hi = np.nanmin(z), np.nanmax(z)
    if not hi > lo:
        raise CompositeError(_("这一指标所有单位取值相同（极差为零），无法标准化"), code=code)
    return float(lo), float(hi)


def rank_min(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """Competition ranks of `values` along `axis`, highest first (1, 2, 2, 4); NaN stays NaN. Works on a whole
    stack of replications at once."""
    v = np.moveaxis(np.asarray(values, dtype=float), axis, -1)
    key = np.where(np.isnan(v), np.inf, -v)  # NaN sorts last
    order = np.argsort(key, axis=-1, kind="stable")
    ordered = np.take_along_axis(key, order, axis=-1)
    # Each position's rank is 1 + the index of the first equal value in sorted order.
    first = np.ones(ordered.shape, dtype=bool)
    first[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    index = np.broadcast_to(np.arange(ordered.shape[-1]), ordered.shape)
    starts = np.maximum.accumulate(np.where(first, index, 0), axis=-1) + 1
    ranks = np.empty(ordered.shape)
    np.put_along_axis(ranks, order, starts.astype(float), axis=-1)
    ranks[np.isnan(v)] = np.nan
    return np.moveaxis(ranks, -1, axis)


def normalise_column(x: np.ndarray, direction: int, method: str, p: dict[str, Any], code: str) -> np.ndarray:
    """One indicator by `method` with its parameters `p` (see pipeline.NORMALISE for the vocabulary)."""
    scale = float(p.get("scale", 100.0))
    if method == "minmax":
        lower, upper = p.get("range", (0.0, 100.0))
        z = direction * x
        lo, hi = _span(z, code)
        return (z - lo) / (hi - lo) * (upper - lower) + lower
    if method == "zscore":
        mean, sd = p.get("mean_sd", (0.0, 1.0))
        z = direction * x
        spread = np.nanstd(z, ddof=1)
        if not spread > 0:
            raise CompositeError(_("这一指标所有单位取值相同（标准差为零），无法标准化"), code=code)
        return (z - np.nanmean(z)) / spread * sd + mean
    if method == "rank":
        return _ascending_rank(direction * x)
    if method == "percentile_rank":
        # COINr ranks ties at their lowest rank; ties="average" gives them the mean of the ranks they share.
        r = rank_average(direction * x) if p.get("ties") == "average" else _ascending_rank(direction * x)
        n = np.count_nonzero(~np.isnan(x))
        return (r - 1) / (n - 1) * scale if n > 1 else np.where(np.isnan(x), np.nan, scale)
    if method == "distance_to_target":
        target = p["target"]
        lo, hi = _span(x, code)
        if direction > 0:
            if target <= lo:
                raise CompositeError(_("目标值不高于最小值，无法计算到目标的距离"), code=code)
            y = (x - lo) / (target - lo)
        else:
            if target >= hi:
                raise CompositeError(_("目标值不低于最大值，无法计算到目标的距离"), code=code)
            y = (hi - x) / (hi - target)
        return np.minimum(y, 1.0) * scale if p.get("cap", True) else y * scale
    if method == "goalposts":
        lower, upper = float(p["lower"]), float(p["upper"])
        if not upper > lower:
            raise CompositeError(_("目标上限应大于下限"), code=code)
        y = (x - lower) / (upper - lower) if direction > 0 else (upper - x) / (upper - lower)
        return np.clip(y, 0.0, 1.0) * scale
    if method == "ratio":
        reference = float(p["reference"])
        cap = float(p.get("cap", 1.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            y = x / reference if direction > 0 else reference / x
        return np.minimum(np.where(np.isinf(y), cap, y), cap) * scale
    if method == "bands":
        return _bands(x, direction, p["bands"], code)
    raise AssertionError(method)  # pipeline checks the names


def _ascending_rank(z: np.ndarray) -> np.ndarray:
    """Rank with 1 for the lowest (COINr n_rank, ties at their lowest rank)."""
    return rank_min(-z)


def rank_average(values: np.ndarray) -> np.ndarray:
    """Ascending ranks (1 for the lowest), ties given the mean of the ranks they share; NaN stays NaN."""
    v = np.asarray(values, dtype=float)
    out = np.full(v.shape, np.nan)
    present = ~np.isnan(v)
    z = v[present]
    order = np.argsort(z, kind="stable")
    ordered = z[order]
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], len(ordered))
    ranks = np.empty(len(ordered))
    ranks[order] = ((starts + ends + 1) / 2)[np.cumsum(first) - 1]
    out[present] = ranks
    return out


def _bands(x: np.ndarray, direction: int, bands: Sequence[Sequence[float]], code: str) -> np.ndarray:
    """Banded scores: [[bound, score], …]. Higher is better: a value earns the score of the highest bound it
    reaches (below the first bound: 0). Lower is better: the score of the lowest bound it stays within."""
    out = np.where(np.isnan(x), np.nan, 0.0)
    ordered = sorted((float(b), float(s)) for b, s in bands)
    if direction > 0:
        for bound, score in ordered:
            out = np.where(x >= bound, score, out)
    else:
        for bound, score in reversed(ordered):
            out = np.where(x <= bound, score, out)
    return out


def normalise(
    values: np.ndarray,
    directions: np.ndarray,
    codes: Sequence[str],
    specs: Sequence[tuple[str, dict[str, Any]]],
) -> np.ndarray:
    """Each column by its own (method, parameters)."""
    out = np.empty_like(values)
    for j, (method, p) in enumerate(specs):
        out[:, j] = normalise_column(values[:, j], int(directions[j]), method, p, codes[j])
    return out


# Aggregation ---------------------------------------------------------------------------------------------------


def aggregate(
    x: np.ndarray, w: np.ndarray, method: str, p: dict[str, Any] | None = None, code: str = ""
) -> np.ndarray:
    """Aggregate children (last axis) with weights `w` (last axis, broadcast over leading ones: a stack of weight
    sets aggregates every replication at once). Missing children are dropped and the weights renormalised over
    the rest; no child left, or fewer than `min_availability` of them, gives NaN."""
    p = p or {}
    present = ~np.isnan(x)
    share = present.mean(axis=-1)
    weights = np.where(present, w, 0.0)
    total = weights.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic_mean":
            out = (np.where(present, x, 0.0) * weights).sum(-1) / total
        elif method == "geometric_mean":
            out = _geometric(x, weights, total, present, p, code)
        elif method == "harmonic_mean":
            safe = np.where(present, x, 1.0)
            if (safe < 0).any():
                raise CompositeError(_("调和平均要求数值不为负"), code=code)
            zero = (present & (safe == 0)).any(axis=-1)
            out = np.where(zero, 0.0, total / (weights / np.where(safe == 0, 1.0, safe)).sum(-1))
        elif method == "median":
            with warnings.catch_warnings():  # a unit with no child left is NaN, as with the means
                warnings.simplefilter("ignore", RuntimeWarning)
                out = np.nanmedian(np.where(weights > 0, x, np.nan), axis=-1)
        else:
            raise AssertionError(method)
    out = np.where((total > 0) & (share >= float(p.get("min_availability", 0.0))), out, np.nan)
    return out


def _geometric(
    x: np.ndarray, weights: np.ndarray, total: np.ndarray, present: np.ndarray, p: dict[str, Any], code: str
) -> np.ndarray:
    """Weighted geometric mean. Zeros (min-max puts one in every column) follow `zeros`: "offset" (default) adds
    `offset` (default 1) before and takes it off after; "error" refuses them."""
    safe = np.where(present, x, 1.0)
    if (safe < 0).any():
        raise CompositeError(_("几何平均要求数值不为负"), code=code)
    offset = 0.0
    if (present & (safe == 0)).any():
        if p.get("zeros", "offset") == "error":
            raise CompositeError(_('几何平均遇到零值；可改用 zeros = "offset"'), code=code)
        offset = float(p.get("offset", 1.0))
    logs = np.log(safe + offset)
    return np.exp((weights * logs).sum(-1) / total) - offset


def ranks_within(scores: np.ndarray, groups: Sequence[str | None]) -> np.ndarray:
    """Competition ranks inside each group; units without a group get NaN."""
    out = np.full(scores.shape, np.nan)
    labels = np.array([g or "" for g in groups], dtype=object)
    for group in {g for g in groups if g}:
        mask = labels == group
        out[mask] = rank_min(scores[mask])
    return out
