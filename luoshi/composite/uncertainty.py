"""Is 3rd really 3rd? Uncertainty and sensitivity analysis of a pipeline, after COINr's get_sensitivity.

Uncertain choices: noise on every weight (w' = w·(1 + U(−noise, noise)), renormalised among siblings as always),
the normalisation method, the aggregation method and the imputation method, each among alternatives. Uncertainty
analysis draws N replications and reports per unit the nominal, median, 5th and 95th percentile rank of the top
aggregate. Sensitivity analysis runs SALib's Saltelli design (N·(d+2) replications for d uncertain choices) with
the mean absolute rank change against the nominal ranks as output, and reports first-order and total Sobol indices
with their confidence intervals.

Replications are array operations: the tables for each (imputation, normalisation) pair are computed once, then
every replication that shares an aggregation method is aggregated in one stack of weight sets."""

from dataclasses import dataclass
from typing import Any

import numpy as np

from luoshi.composite import steps
from luoshi.composite.errors import CompositeError, _
from luoshi.composite.frame import Dataset, Hierarchy
from luoshi.composite.pipeline import AGGREGATE, Config, aggregate_all, normalised_with, prepare

CHUNK = 1000  # replications aggregated at once: bounds memory at CHUNK × units × codes floats
FACTORS = ("weights", "normalisation", "aggregation", "imputation")


@dataclass(frozen=True)
class Alternatives:
    """The choices varied; None takes defaults around the nominal configuration."""

    weight_noise: float = 0.25
    normalisations: tuple[tuple[str, dict[str, Any]], ...] | None = None
    aggregations: tuple[str, ...] | None = None
    imputations: tuple[str, ...] | None = None
    weight_sets: int = 100  # noisy weight sets the sensitivity design picks among

    def resolved(self, cfg: Config) -> tuple[list[tuple[str, dict[str, Any]]], list[str], list[str]]:
        norms = list(self.normalisations or _default_normalisations(cfg))
        aggs = list(self.aggregations or dict.fromkeys([cfg.aggregate, "arithmetic_mean", "geometric_mean"]))
        imps = list(self.imputations or dict.fromkeys([cfg.impute, "none"]))
        for agg in aggs:
            if agg not in AGGREGATE:
                raise CompositeError(
                    _("方法“%(method)s”不可识别，可选：%(choices)s"), method=agg, choices="、".join(AGGREGATE)
                )
        return norms, aggs, imps


# Normalisations against fixed bounds or references: the score means "how good", not "how it compares", and a
# relative method in their place would change what the index measures, so they are not varied.
ABSOLUTE = ("goalposts", "ratio", "bands")


def _default_normalisations(cfg: Config) -> list[tuple[str, dict[str, Any]]]:
    nominal = cfg.normalise
    if nominal[0] in ABSOLUTE or any(m in ABSOLUTE for m, _p in cfg.normalise_by.values()):
        return [nominal]
    others: list[tuple[str, dict[str, Any]]] = [
        ("percentile_rank", {"scale": 100.0}),
        ("zscore", {"mean_sd": (50.0, 10.0)}),
    ]
    return [nominal, *[o for o in others if o[0] != nominal[0]]]


@dataclass
class UncertaintyResult:
    units: tuple[str, ...]
    nominal: np.ndarray  # the configured pipeline's rank of the top aggregate
    median: np.ndarray
    q05: np.ndarray
    q95: np.ndarray
    ranks: np.ndarray  # replications × units


@dataclass
class SensitivityResult:
    factors: list[str]
    first: np.ndarray
    first_conf: np.ndarray
    total: np.ndarray
    total_conf: np.ndarray
    runs: int


class _Model:
    """The pipeline with its uncertain choices as array indices: tables per (imputation, normalisation) are
    computed once; `ranks` evaluates a whole plan of replications."""

    def __init__(self, data: Dataset, tree: Hierarchy, cfg: Config, alt: Alternatives) -> None:
        self.tree, self.cfg, self.alt = tree, cfg, alt
        self.norms, self.aggs, self.imps = alt.resolved(cfg)
        nominal, _x = prepare(data, tree, cfg)
        self.units = nominal.units
        keep = np.isin(np.array(data.units), np.array(self.units))
        self.tables: dict[tuple[int, int], np.ndarray] = {}
        for i, imp in enumerate(self.imps):
            _r, treated = prepare(data, tree, cfg.replace(impute=imp, screen=None))
            treated = treated[keep]
            for n, (method, params) in enumerate(self.norms):
                by = dict(cfg.normalise_by) if n == 0 else {}  # per-indicator methods belong to the nominal
                self.tables[(i, n)] = normalised_with(
                    treated, tree, cfg.replace(normalise=(method, params), normalise_by=by)
                )
        self.weighted = [c for c in tree.codes if c != tree.top]
        self.base = np.array([tree.nodes[c].weight for c in self.weighted])
        self.nominal = steps.rank_min(
            aggregate_all(self.tables[(0, 0)], tree, cfg)[:, tree.codes.index(tree.top)]
        )

    def ranks(self, imp: np.ndarray, norm: np.ndarray, agg: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """Top-aggregate ranks (replications × units) for replications choosing imputation `imp`, normalisation
        `norm`, aggregation `agg` (indices) and weight multipliers `noise` (replications × weighted codes)."""
        out = np.empty((len(imp), len(self.units)))
        top = self.tree.codes.index(self.tree.top)
        for key in set(zip(imp.tolist(), norm.tolist(), agg.tolist(), strict=True)):
            rows = np.flatnonzero((imp == key[0]) & (norm == key[1]) & (agg == key[2]))
            table = self.tables[(key[0], key[1])]
            method = self.aggs[key[2]]
            if method in ("geometric_mean", "harmonic_mean"):
                table = np.maximum(table, 0.0)  # z-scores below the mean count as zero there
            cfg = self.cfg.replace(aggregate=method, aggregate_by_level={})
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                w = self.base * noise[chunk]
                weights = {c: w[:, k, None, None] for k, c in enumerate(self.weighted)}
                scores = aggregate_all(table, self.tree, cfg, weights)[..., top]
                out[chunk] = steps.rank_min(scores, axis=-1)
        return out

    def noise(self, rng: np.random.Generator, n: int) -> np.ndarray:
        spread = self.alt.weight_noise
        return 1 + rng.uniform(-spread, spread, size=(n, len(self.weighted)))


def uncertainty(
    data: Dataset, tree: Hierarchy, cfg: Config, n: int, alt: Alternatives = Alternatives(), seed: int = 0
) -> UncertaintyResult:
    if n < 1:
        raise CompositeError(_("重复次数应为正整数"))
    model = _Model(data, tree, cfg, alt)
    rng = np.random.default_rng(seed)
    plan = [rng.integers(0, len(choices), n) for choices in (model.imps, model.norms, model.aggs)]
    ranks = model.ranks(plan[0], plan[1], plan[2], model.noise(rng, n))
    q05, median, q95 = np.nanpercentile(ranks, [5, 50, 95], axis=0)
    return UncertaintyResult(model.units, model.nominal, median, q05, q95, ranks)


def sensitivity(
    data: Dataset, tree: Hierarchy, cfg: Config, n: int, alt: Alternatives = Alternatives(), seed: int = 0
) -> SensitivityResult:
    """Sobol indices of the choices that have alternatives; `n` is the base sample (a power of two is best)."""
    model = _Model(data, tree, cfg, alt)
    sizes = {
        "weights": alt.weight_sets if alt.weight_noise > 0 else 1,
        "normalisation": len(model.norms),
        "aggregation": len(model.aggs),
        "imputation": len(model.imps),
    }
    factors = [f for f in FACTORS if sizes[f] > 1]
    if not factors:
        raise CompositeError(_("没有可变的选择，无法做敏感性分析"))
    # Imported here: SALib brings SciPy, a second of start-up for every command and worker that never asks.
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(factors), "names": factors, "bounds": [[0.0, 1.0]] * len(factors)}
    sample = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    picks = {f: np.zeros(len(sample), dtype=int) for f in FACTORS}
    for k, f in enumerate(factors):
        picks[f] = np.minimum((sample[:, k] * sizes[f]).astype(int), sizes[f] - 1)
    rng = np.random.default_rng(seed)
    weight_sets = model.noise(rng, sizes["weights"])
    if sizes["weights"] == 1:
        weight_sets = np.ones_like(weight_sets)
    ranks = model.ranks(
        picks["imputation"], picks["normalisation"], picks["aggregation"], weight_sets[picks["weights"]]
    )
    y = np.nanmean(np.abs(ranks - model.nominal), axis=1)
    if not np.ptp(y) > 0:  # Sobol indices divide by the output's variance
        raise CompositeError(_("在所有方法选择下排名都不变：排名对这些选择不敏感"))
    found = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    return SensitivityResult(
        factors, found["S1"], found["S1_conf"], found["ST"], found["ST_conf"], int(len(sample))
    )


def rank_interval_columns(result: UncertaintyResult, top: str) -> dict[str, np.ndarray]:
    return {f"{top}_rank_median": result.median, f"{top}_rank_q05": result.q05, f"{top}_rank_q95": result.q95}
