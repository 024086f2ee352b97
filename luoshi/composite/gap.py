"""Gap to a target rank (docs/domain.md §2.3, the gap-to-target simulator): for one unit ranked among peers, its
score and rank, the score that reaches rank k, and for each indicator what improving it alone would do.

Ranks are competition ranks (1, 2, 2, 4): a unit reaches rank k when fewer than k others score strictly more, so
tying the unit now k-th among the others is enough. Everything is computed by re-running the pipeline with our raw
values changed, so it holds for any normalisation and aggregation, including min-max where our own value can move
a column's minimum or maximum and with it every other unit's score.

Why it is fast: every step before aggregation reads one indicator's column at a time (denominate, impute, treat,
normalise; screening reads only which cells are missing, and our row is complete), so changing our value on
indicator j changes column j of the normalised table and nothing else. One pass of those steps over a table where
every indicator has our value changed at once gives each indicator's own changed column; the tables "only indicator
j changed" are then aggregated as one stack. A bisection step for all indicators is one such pass."""

from dataclasses import dataclass

import numpy as np

from luoshi.composite.errors import CompositeError, _
from luoshi.composite.frame import Dataset, Hierarchy
from luoshi.composite.pipeline import Config, Result, aggregate_all, normalised_with, prepare, run

STEP = 1e-6  # of the column's range: the marginal's finite step, small enough to stay on one linear piece
HALVINGS = 32  # bisection steps: the answer is within 2⁻³² of the distance from our value to the best


@dataclass(frozen=True)
class IndicatorGap:
    code: str
    value: float  # ours, raw
    best: float  # the best raw value of any ranked unit, in the indicator's better direction
    marginal: float  # our top score's change per unit of raw improvement (0 where the score is flat there)
    gain: float  # our top score's change if we matched `best` on this indicator alone
    rank_at_best: int  # our rank then
    needed: float | None  # the raw value reaching the target rank on this indicator alone; None: unreachable
    # The unit now at the target rank, on this indicator (in our raw terms), and the points at stake: our top
    # score's gain from closing our gap to that value alone (0 where we are already as good).
    theirs: float = float("nan")
    at_stake: float = 0.0


@dataclass(frozen=True)
class Gap:
    unit: str
    target: int
    score: float
    rank: int
    needed_score: float  # the score of the unit now k-th among the others: tying it gives rank k
    target_unit: str  # that unit
    indicators: tuple[IndicatorGap, ...]  # by the rank matching the best reaches, then by gain
    result: Result  # the nominal run: every unit's scores and ranks on every aggregate

    @property
    def gap(self) -> float:
        """Score still to gain; negative when already there (the lead over the first unit outside)."""
        return self.needed_score - self.score


class _Model:
    """The pipeline around our unit: our raw row in, every unit's top score out, for a stack of indicators each
    changed alone."""

    def __init__(self, data: Dataset, tree: Hierarchy, cfg: Config, unit: str) -> None:
        if unit not in data.units:
            raise CompositeError(_("单位不在数据中"), code=unit)
        self.data, self.tree, self.cfg = data, tree, cfg
        self.row = data.units.index(unit)
        self.raw = data.values[self.row].copy()
        missing = [c for c, v in zip(tree.indicators, self.raw, strict=True) if np.isnan(v)]
        if missing:
            raise CompositeError(
                _("这一单位缺少以下指标的数值，无法分析差距：%(codes)s"), code=unit, codes="、".join(missing)
            )
        self.result = run(data, tree, cfg)
        if unit not in self.result.units:
            raise CompositeError(_("这一单位因数据完整度不足未参加排名"), code=unit)
        self.u = self.result.units.index(unit)
        # Our denominator per indicator (1 where none): raw = compared value × scale.
        self.scale = np.ones(len(tree.indicators))
        if cfg.denominate:
            for j, code in enumerate(tree.indicators):
                den = tree.nodes[code].denominator
                if den:
                    self.scale[j] = float(data.meta[den][self.row])
                    if not np.isfinite(self.scale[j]) or self.scale[j] == 0:
                        raise CompositeError(_("这一单位的分母“%(den)s”缺失或为零"), code=unit, den=den)
        self.base = self.result.stages["normalised"]
        self.top = tree.codes.index(tree.top)

    def normalised(self, ours: np.ndarray) -> np.ndarray:
        """The normalised table with our raw row replaced by `ours` (kept units × indicators)."""
        values = self.data.values.copy()
        values[self.row] = ours
        _result, treated = prepare(Dataset(self.data.units, values, self.data.meta), self.tree, self.cfg)
        return normalised_with(treated, self.tree, self.cfg)

    def matching(self, best: np.ndarray) -> np.ndarray:
        """The normalised table with our value at `best` on every indicator where that leaves a normalisable
        column. Where every other unit has the best value, matching it would leave no range (min-max and
        z-scores refuse a constant column): there we keep our value, so matching it alone gains nothing, as
        the limit from below does."""
        ours = best.copy()
        while True:
            try:
                return self.normalised(ours)
            except CompositeError as e:
                j = self.tree.indicators.index(e.code) if e.code in self.tree.indicators else None
                if j is None or ours[j] == self.raw[j]:
                    raise
                ours[j] = self.raw[j]

    def tops(self, changed: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Top scores (len(columns) × units): the base table with only column columns[p] taken from `changed`."""
        p = len(columns)
        stack = np.broadcast_to(self.base, (p, *self.base.shape)).copy()
        stack[np.arange(p), :, columns] = changed[:, columns].T
        return aggregate_all(stack, self.tree, self.cfg)[..., self.top]

    def ranks(self, tops: np.ndarray) -> np.ndarray:
        ours = tops[..., self.u]
        return 1 + (tops > ours[..., None]).sum(axis=-1)


def analyse(data: Dataset, tree: Hierarchy, cfg: Config, unit: str, target: int) -> Gap:
    """How `unit` reaches rank `target` (1 … n−1 among the n ranked units). "Feasible" on an indicator means no
    better than the best value any ranked unit has now."""
    model = _Model(data, tree, cfg, unit)
    result, u = model.result, model.u
    n = len(result.units)
    if n < 2:
        raise CompositeError(_("只有一个单位参加排名，无从比较"), code=unit)
    if not 1 <= target <= n - 1:
        raise CompositeError(
            _("目标名次应在 1 到 %(last)d 之间（共 %(n)d 个单位参加排名）"), code=unit, last=n - 1, n=n
        )
    everything = np.arange(len(tree.indicators))
    base = model.tops(model.base, everything[:1])[0]  # the stacked arithmetic, so differences are exact
    score, rank = float(base[u]), int(model.ranks(base))
    others = np.delete(np.arange(n), u)
    order = others[np.argsort(-base[others], kind="stable")]
    kth = int(order[target - 1])

    direction = tree.directions()
    # The best is the best value as compared (a ratio when denominated), brought back to our raw terms.
    kept = np.isin(np.array(data.units), np.array(result.units))
    compared = result.stages.get("denominated", data.values)[kept]
    best = np.where(direction > 0, np.nanmax(compared, axis=0), np.nanmin(compared, axis=0)) * model.scale
    span = (np.nanmax(compared, axis=0) - np.nanmin(compared, axis=0)) * model.scale
    step = np.where(span > 0, span, np.maximum(np.abs(model.raw), 1.0)) * STEP
    nudged = model.tops(model.normalised(model.raw + direction * step), everything)
    marginal = (nudged[:, u] - base[u]) / step
    at_best = model.tops(model.matching(best), everything)
    gain = at_best[:, u] - base[u]
    rank_at_best = model.ranks(at_best)
    needed = _needed(model, everything, best, rank_at_best, rank, target)
    theirs = result.stages.get("denominated", data.values)[data.units.index(result.units[kth])] * model.scale
    closing = np.where(direction * (theirs - model.raw) > 0, theirs, model.raw)
    at_stake = np.maximum(model.tops(model.matching(closing), everything)[:, u] - base[u], 0.0)

    indicators = [
        IndicatorGap(
            code,
            float(model.raw[j]),
            float(best[j]),
            float(marginal[j]),
            float(gain[j]),
            int(rank_at_best[j]),
            None if np.isnan(needed[j]) else float(needed[j]),
            float(theirs[j]),
            float(at_stake[j]),
        )
        for j, code in enumerate(tree.indicators)
    ]
    indicators.sort(key=lambda g: (g.rank_at_best, -g.gain))
    return Gap(unit, target, score, rank, float(base[kth]), result.units[kth], tuple(indicators), result)


def _needed(
    model: _Model, columns: np.ndarray, best: np.ndarray, rank_at_best: np.ndarray, rank: int, target: int
) -> np.ndarray:
    """Per indicator, the least improvement from our value towards `best` that reaches `target` alone (NaN when
    even `best` does not). Bisection over all indicators at once; `hi` always reaches the target, so the answer
    is checked by the engine whatever the pipeline's shape."""
    if rank <= target:
        return model.raw.copy()
    needed = np.full(len(columns), np.nan)
    search = rank_at_best <= target
    lo, hi = model.raw.copy(), np.where(search, best, model.raw)
    todo = columns[search]
    for _step in range(HALVINGS):
        if todo.size == 0:
            break
        mid = model.raw.copy()
        mid[todo] = lo[todo] + (hi[todo] - lo[todo]) / 2
        reached = model.ranks(model.tops(model.normalised(mid), todo)) <= target
        hi[todo] = np.where(reached, mid[todo], hi[todo])
        lo[todo] = np.where(reached, lo[todo], mid[todo])
    needed[search] = hi[search]
    return needed


def project(
    data: Dataset, tree: Hierarchy, cfg: Config, unit: str, values: dict[str, float]
) -> tuple[float, int]:
    """What-if: our top score and rank with our raw values on some indicators changed at once (the others'
    stay), by the same pipeline, so it agrees with `analyse` where one indicator changes."""
    model = _Model(data, tree, cfg, unit)
    unknown = [code for code in values if code not in tree.indicators]
    if unknown:
        raise CompositeError(_("指标体系中没有这些指标：%(codes)s"), code=unit, codes="、".join(unknown))
    ours = model.raw.copy()
    for code, value in values.items():
        ours[tree.indicators.index(code)] = value
    tops = aggregate_all(model.normalised(ours), tree, cfg)[..., model.top]
    return float(tops[model.u]), int(model.ranks(tops))
