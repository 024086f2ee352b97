"""A pipeline configuration (TOML, one table per step) and its run over a dataset: every stage kept, scores and
ranks of every aggregate, and what each step did.

    [denominate]                                   # present = divide by iMeta's Denominator column
    [impute]     method = "group_mean"  group = "EurAsia_group"
    [screen]     min_availability = 0.9
    [treat]      method = "winsorise_then_log"  winmax = 5  skew_threshold = 2.0  kurtosis_threshold = 3.5
    [normalise]  method = "minmax"  range = [0, 100]
    [aggregate]  method = "arithmetic_mean"

A step whose table is absent does not run (normalise and aggregate must be there). `[normalise.by_indicator.CODE]`
gives one indicator its own method; `[aggregate.by_level]` maps a level ("3") to its own method."""

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from luoshi.composite import steps
from luoshi.composite.errors import CompositeError, _
from luoshi.composite.frame import Dataset, Hierarchy

IMPUTE = ("indicator_mean", "indicator_median", "group_mean", "group_median", "none")
TREAT = ("winsorise_then_log", "winsorise", "log", "none")
AGGREGATE = ("arithmetic_mean", "geometric_mean", "harmonic_mean", "median")
# Each normalisation method with the parameters it takes (and needs).
NORMALISE: dict[str, tuple[set[str], set[str]]] = {
    "minmax": ({"range"}, set()),
    "zscore": ({"mean_sd"}, set()),
    "rank": (set(), set()),
    "percentile_rank": ({"scale"}, set()),
    "distance_to_target": ({"scale", "cap", "target"}, set()),
    "goalposts": ({"lower", "upper", "scale"}, {"lower", "upper"}),
    "ratio": ({"reference", "cap", "scale"}, {"reference"}),
    "bands": ({"bands"}, {"bands"}),
}
STEPS = ("denominate", "impute", "screen", "treat", "normalise", "aggregate")


@dataclass(frozen=True)
class Config:
    denominate: bool = False
    impute: str = "none"
    impute_group: str | None = None
    screen: float | None = None
    treat: str = "none"
    winmax: int = 5
    skew_threshold: float = 2.0
    kurtosis_threshold: float = 3.5
    normalise: tuple[str, dict[str, Any]] = ("minmax", {"range": (0.0, 100.0)})
    normalise_by: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    aggregate: str = "arithmetic_mean"
    aggregate_params: dict[str, Any] = field(default_factory=dict)
    aggregate_by_level: dict[int, str] = field(default_factory=dict)

    def replace(self, **changes: Any) -> "Config":
        return Config(**{**self.__dict__, **changes})


def _key(table: str, key: str) -> str:
    return f"[{table}] {key}"


def _choice(table: str, spec: Mapping[str, Any], choices: tuple[str, ...], default: str | None = None) -> str:
    method = spec.get("method", default)
    if method not in choices:
        raise CompositeError(
            _("方法“%(method)s”不可识别，可选：%(choices)s"),
            column=_key(table, "method"),
            method=method,
            choices="、".join(choices),
        )
    return str(method)


def _number(
    table: str, spec: Mapping[str, Any], key: str, default: float, low: float = 0.0, high: float = np.inf
) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise CompositeError(
            _("应为 %(low)s 到 %(high)s 之间的数"), column=_key(table, key), low=low, high=high
        )
    return float(value)


def _only(table: str, spec: Mapping[str, Any], allowed: set[str]) -> None:
    for key in spec:
        if key not in allowed:
            raise CompositeError(_("不认识的参数“%(key)s”"), column=_key(table, key), key=key)


def _normalise_spec(table: str, spec: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    method = _choice(table, spec, tuple(NORMALISE))
    allowed, needed = NORMALISE[method]
    _only(table, spec, allowed | {"method"})
    for key in needed:
        if key not in spec:
            raise CompositeError(
                _("方法“%(method)s”需要参数“%(key)s”"), column=_key(table, key), method=method, key=key
            )
    p: dict[str, Any] = {k: v for k, v in spec.items() if k != "method"}
    for key in ("range", "mean_sd"):
        if key in p:
            pair = p[key]
            if not (
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, int | float) for v in pair)
            ):
                raise CompositeError(_("应为两个数，如 [0, 100]"), column=_key(table, key))
            if key == "range" and not pair[1] > pair[0]:
                raise CompositeError(_("区间上限应大于下限"), column=_key(table, key))
            p[key] = (float(pair[0]), float(pair[1]))
    for key in ("scale", "reference", "lower", "upper", "target"):
        if key in p:
            p[key] = _number(table, p, key, 0.0, -np.inf)
    if "cap" in p and method == "distance_to_target" and not isinstance(p["cap"], bool):
        raise CompositeError(_("应为 true 或 false"), column=_key(table, "cap"))
    if "cap" in p and method == "ratio":
        p["cap"] = _number(table, p, "cap", 1.0, 0.0)
    if "bands" in p:
        bands = p["bands"]
        ok = (
            isinstance(bands, list)
            and bands
            and all(
                isinstance(b, list) and len(b) == 2 and all(isinstance(v, int | float) for v in b)
                for b in bands
            )
        )
        if not ok:
            raise CompositeError(_("应为 [[界值, 得分], …]"), column=_key(table, "bands"))
    return method, p


def config(data: Mapping[str, Any]) -> Config:
    """Check a parsed TOML document against the vocabulary."""
    for table in data:
        if table not in STEPS:
            raise CompositeError(_("不认识的步骤“%(table)s”"), column=f"[{table}]", table=table)
    for table in ("normalise", "aggregate"):
        if table not in data:
            raise CompositeError(_("缺少“[%(table)s]”步骤"), column=f"[{table}]", table=table)
    cfg: dict[str, Any] = {"denominate": "denominate" in data}
    if "impute" in data:
        spec = data["impute"]
        _only("impute", spec, {"method", "group"})
        cfg["impute"] = _choice("impute", spec, IMPUTE)
        if cfg["impute"].startswith("group_"):
            if not isinstance(spec.get("group"), str):
                raise CompositeError(_("按组插补需要指定分组列 group"), column=_key("impute", "group"))
            cfg["impute_group"] = spec["group"]
    if "screen" in data:
        _only("screen", data["screen"], {"min_availability"})
        cfg["screen"] = _number("screen", data["screen"], "min_availability", 0.0, 0.0, 1.0)
    if "treat" in data:
        spec = data["treat"]
        _only("treat", spec, {"method", "winmax", "skew_threshold", "kurtosis_threshold"})
        cfg["treat"] = _choice("treat", spec, TREAT, "winsorise_then_log")
        cfg["winmax"] = int(_number("treat", spec, "winmax", 5, 0, 10_000))
        cfg["skew_threshold"] = _number("treat", spec, "skew_threshold", 2.0)
        cfg["kurtosis_threshold"] = _number("treat", spec, "kurtosis_threshold", 3.5, -np.inf)
    spec = dict(data["normalise"])
    by = spec.pop("by_indicator", {})
    cfg["normalise"] = _normalise_spec("normalise", spec)
    cfg["normalise_by"] = {
        code: _normalise_spec(f"normalise.by_indicator.{code}", s) for code, s in by.items()
    }
    spec = dict(data["aggregate"])
    by_level = spec.pop("by_level", {})
    _only("aggregate", spec, {"method", "zeros", "offset", "min_availability"})
    cfg["aggregate"] = _choice("aggregate", spec, AGGREGATE)
    if spec.get("zeros", "offset") not in ("offset", "error"):
        raise CompositeError(_('zeros 应为 "offset" 或 "error"'), column=_key("aggregate", "zeros"))
    params = {k: v for k, v in spec.items() if k != "method"}
    if "offset" in params:
        params["offset"] = _number("aggregate", spec, "offset", 1.0, 0.0)
    if "min_availability" in params:
        params["min_availability"] = _number("aggregate", spec, "min_availability", 0.0, 0.0, 1.0)
    cfg["aggregate_params"] = params
    levels = {}
    for level, method in by_level.items():
        if not str(level).isdigit():
            raise CompositeError(_("层级应为整数"), column=_key("aggregate.by_level", str(level)))
        levels[int(level)] = _choice("aggregate.by_level", {"method": method}, AGGREGATE)
    cfg["aggregate_by_level"] = levels
    return Config(**cfg)


def read_config(path: str | Path) -> Config:
    try:
        with open(path, "rb") as f:
            return config(tomllib.load(f))
    except FileNotFoundError:
        raise CompositeError(_("找不到文件 %(path)s"), path=str(path)) from None
    except tomllib.TOMLDecodeError as e:
        raise CompositeError(_("配置文件不是有效的 TOML：%(error)s"), error=str(e)) from None


@dataclass
class Result:
    """Units kept (sorted), every indicator and aggregate code, the stages, and what each step did."""

    units: tuple[str, ...]
    codes: tuple[str, ...]
    stages: dict[str, np.ndarray]  # "raw" … "normalised": units × indicators (all units until "screened")
    scores: np.ndarray  # units × codes: normalised indicators, then aggregates
    removed: tuple[str, ...] = ()
    imputed: int = 0
    treatment: list[steps.Treatment] = field(default_factory=list)

    def column(self, code: str) -> np.ndarray:
        return self.scores[:, self.codes.index(code)]

    @cached_property
    def ranks(self) -> np.ndarray:
        """Units × codes: every column's competition ranks, computed once (results tables and explanations ask
        for them unit by unit)."""
        return steps.rank_min(self.scores, axis=0)

    def rank(self, code: str) -> np.ndarray:
        return self.ranks[:, self.codes.index(code)]


def _normalise_specs(tree: Hierarchy, cfg: Config) -> list[tuple[str, dict[str, Any]]]:
    specs = []
    for code in cfg.normalise_by:
        if code not in tree.indicators:
            raise CompositeError(_("指标不在元数据中"), column="[normalise.by_indicator]", code=code)
    for code in tree.indicators:
        method, p = cfg.normalise_by.get(code, cfg.normalise)
        if method == "distance_to_target" and "target" not in p:
            target = tree.nodes[code].target
            if target is None:
                raise CompositeError(
                    _("到目标距离法需要元数据中的目标值（Target）"), column="Target", code=code
                )
            p = {**p, "target": target}
        specs.append((method, p))
    return specs


def prepare(data: Dataset, tree: Hierarchy, cfg: Config) -> tuple[Result, np.ndarray]:
    """Every step up to treatment (what uncertainty analysis varies after): the Result so far and the treated
    table of the kept units."""
    x = data.values
    stages = {"raw": x}
    if cfg.denominate:
        dens = []
        for code in tree.indicators:
            den = tree.nodes[code].denominator
            dens.append(np.asarray(data.meta[den], dtype=float) if den else None)
        x = stages["denominated"] = steps.denominate(x, dens)
    imputed = 0
    if cfg.impute != "none":
        groups = None
        if cfg.impute_group is not None:
            if cfg.impute_group not in data.meta:
                raise CompositeError(_("数据表中没有分组列"), column=cfg.impute_group)
            groups = data.meta[cfg.impute_group]
        x, imputed = steps.impute(x, cfg.impute, groups, tree.indicators)
        stages["imputed"] = x
    keep = np.ones(len(data.units), dtype=bool)
    if cfg.screen is not None:
        keep = steps.screen(x, cfg.screen)
        if not keep.any():
            raise CompositeError(_("所有单位的数据完整度都低于 %(t)s，无单位可排名"), t=cfg.screen)
        x = stages["screened"] = x[keep]
    units = tuple(u for u, k in zip(data.units, keep, strict=True) if k)
    removed = tuple(u for u, k in zip(data.units, keep, strict=True) if not k)
    report: list[steps.Treatment] = []
    if cfg.treat != "none":
        x, report = steps.treat(
            x, tree.indicators, cfg.treat, cfg.winmax, cfg.skew_threshold, cfg.kurtosis_threshold
        )
        stages["treated"] = x
    result = Result(units, tree.codes, stages, np.empty((0, 0)), removed, imputed, report)
    return result, x


def aggregate_all(
    normalised: np.ndarray, tree: Hierarchy, cfg: Config, weights: Mapping[str, np.ndarray] | None = None
) -> np.ndarray:
    """Indicators, then each aggregate bottom-up from its children's columns: units × codes. `weights` (code →
    array, default the iMeta weights) may hold a stack of weight sets (replications × 1 × 1), and `normalised`
    a stack of tables (replications × units × indicators), in which case the result is replications × units ×
    codes."""
    index = {c: n for n, c in enumerate(tree.codes)}
    sample = next(iter(weights.values())) if weights else None
    lead = sample.shape[:-2] if sample is not None and sample.ndim > 2 else ()
    lead = np.broadcast_shapes(lead, normalised.shape[:-2])
    out = np.empty((*lead, normalised.shape[-2], len(tree.codes)))
    out[..., : len(tree.indicators)] = normalised
    for code in tree.aggregates:
        kids = tree.children[code]
        cols = out[..., [index[c] for c in kids]]
        if weights is None:
            w = np.array([tree.nodes[c].weight for c in kids])
        else:
            w = np.concatenate([weights[c] for c in kids], axis=-1)
        method = cfg.aggregate_by_level.get(tree.nodes[code].level, cfg.aggregate)
        out[..., index[code]] = steps.aggregate(cols, w, method, cfg.aggregate_params, code)
    return out


def run(data: Dataset, tree: Hierarchy, cfg: Config) -> Result:
    result, x = prepare(data, tree, cfg)
    normalised = normalised_with(x, tree, cfg)
    result.stages["normalised"] = normalised
    result.scores = aggregate_all(normalised, tree, cfg)
    top = result.column(tree.top)
    if np.isnan(top).any():
        missing = [u for u, v in zip(result.units, top, strict=True) if np.isnan(v)]
        raise CompositeError(
            _("这些单位的总分无法计算（数据缺失）：%(units)s"), code=tree.top, units="、".join(missing)
        )
    return result


def normalised_with(x: np.ndarray, tree: Hierarchy, cfg: Config) -> np.ndarray:
    return steps.normalise(x, tree.directions(), tree.indicators, _normalise_specs(tree, cfg))


@dataclass(frozen=True)
class Contribution:
    code: str
    weight: float  # renormalised over the children the unit has
    value: float
    contribution: float  # weight × value: for the arithmetic mean these add up to the score


@dataclass(frozen=True)
class Explanation:
    unit: str
    code: str
    score: float
    rank: float
    children: list[Contribution]
    strongest: list[tuple[str, float]]  # indicators where the unit ranks best: (code, rank)
    weakest: list[tuple[str, float]]


def indicators_under(tree: Hierarchy, code: str) -> list[str]:
    if code in tree.indicators:
        return [code]
    return [i for kid in tree.children[code] for i in indicators_under(tree, kid)]


def explain(result: Result, tree: Hierarchy, unit: str, code: str, n: int = 3) -> Explanation:
    """How `unit`'s score on aggregate `code` is made: each child's weight, value and contribution, and the
    indicators under it where the unit ranks best and worst among all units."""
    if unit not in result.units:
        raise CompositeError(_("单位不在结果中"), code=unit)
    if code not in tree.aggregates:
        raise CompositeError(_("不是汇总项"), code=code)
    u = result.units.index(unit)
    kids = tree.children[code]
    values = np.array([result.column(c)[u] for c in kids])
    w = np.array([tree.nodes[c].weight for c in kids])
    w = np.where(np.isnan(values), 0.0, w)
    w = w / w.sum() if w.sum() > 0 else w
    children = [
        Contribution(c, float(wi), float(v), float(wi * v) if not np.isnan(v) else np.nan)
        for c, wi, v in zip(kids, w, values, strict=True)
    ]
    ranked = sorted(
        ((c, float(result.rank(c)[u])) for c in indicators_under(tree, code)), key=lambda cr: cr[1]
    )
    return Explanation(
        unit,
        code,
        float(result.column(code)[u]),
        float(result.rank(code)[u]),
        children,
        ranked[:n],
        list(reversed(ranked[-n:])),
    )
