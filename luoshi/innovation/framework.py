"""An innovation-points framework read from its TOML text and checked: stages by age, indicators with stage
weights, bonus and penalty items, tiers. The same checks serve the `luoshi points` command and the framework
form, so a framework that one accepts the other accepts. Every problem names its TOML table and key."""

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from luoshi.sheets.problems import Problem, error

# Each method with the parameters it needs.
METHODS: dict[str, tuple[str, ...]] = {
    "capped_ratio": ("ref",),
    "goalposts": ("low", "high"),
    "bands": ("cuts", "scores"),
    "prank": (),
}
SUM_TOLERANCE = 1e-6
SAMPLES = Path(__file__).parent / "frameworks"


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    max_age: int | None  # None: the last stage, which takes every older enterprise


@dataclass(frozen=True)
class Measure:
    """An indicator (weights by stage) or a bonus item (`points`): a column turned into a fraction 0–1."""

    code: str
    name: str
    column: str
    method: str
    params: dict[str, Any]
    group: str = ""
    previous: str | None = None  # the previous year's column: the value is the growth rate
    growth_cap: float = math.inf
    weights: dict[str, float] = field(default_factory=dict)
    points: float = 0.0


@dataclass(frozen=True)
class Penalty:
    code: str
    name: str
    column: str
    veto: bool
    points_each: float = 0.0
    max: float = 0.0


@dataclass(frozen=True)
class Tiers:
    method: str  # "percentile": shares of the stage; "score": thresholds on the points
    a: float
    b: float
    c: float


@dataclass(frozen=True)
class Framework:
    name: str
    core_points: float
    bonus_cap: float
    stages: tuple[Stage, ...]
    indicators: tuple[Measure, ...]
    bonuses: tuple[Measure, ...]
    penalties: tuple[Penalty, ...]
    tiers: Tiers

    def number_columns(self) -> list[str]:
        """The columns read as numbers, each once, in framework order."""
        names = [m.column for m in self.indicators + self.bonuses]
        names += [m.previous for m in self.indicators + self.bonuses if m.previous]
        names += [p.column for p in self.penalties if not p.veto]
        return list(dict.fromkeys(names))

    def flag_columns(self) -> list[str]:
        return list(dict.fromkeys(p.column for p in self.penalties if p.veto))

    def full_marks(self, stage: str) -> float:
        return sum(m.weights.get(stage, 0.0) for m in self.indicators)


class FrameworkError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def parse(text: str) -> Framework:
    """The framework in `text`, or FrameworkError with every problem found."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise FrameworkError([error(_("TOML 格式错误：%(error)s") % {"error": e}, column="TOML")]) from None
    reader = _Reader()
    framework = reader.framework(doc)
    if reader.problems or framework is None:
        raise FrameworkError(reader.problems)
    return framework


def samples() -> dict[str, str]:
    """The frameworks Luoshi ships, labelled as samples, by file name: their weights are illustrative."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.toml"))}


def _where(table: str, key: str, code: str = "") -> str:
    """ "[framework] core_points", "[[indicator]] rd_amount.weights"."""
    if table in ("framework", "tiers"):
        return f"[{table}] {key}"
    return f"[[{table}]] {code}.{key}" if code else f"[[{table}]] {key}"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class _Reader:
    """Reads each part, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(
            error(_("%(where)s：%(message)s") % {"where": where, "message": message}, column=where)
        )

    def text(self, spec: dict[str, Any], table: str, key: str, code: str = "", required: bool = True) -> str:
        value = spec.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(_where(table, key, code), _("应填写文字"))
            return ""
        return value.strip()

    def number(
        self, spec: dict[str, Any], table: str, key: str, code: str = "", low: float = -math.inf
    ) -> float:
        value = spec.get(key)
        if value is None:
            self.fail(_where(table, key, code), _("缺少这一项"))
            return 0.0
        if not _is_number(value) or value < low:
            message = _("应为数字") if low == -math.inf else _("应为不小于 %(low)s 的数字") % {"low": low}
            self.fail(_where(table, key, code), message)
            return 0.0
        return float(value)

    def tables(self, doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(f"[[{key}]]", _("应写成 [[%(key)s]] 表的数组") % {"key": key})
            return []
        return value

    def framework(self, doc: dict[str, Any]) -> Framework | None:
        head = doc.get("framework")
        if not isinstance(head, dict):
            self.fail("[framework]", _("缺少 [framework] 表"))
            head = {}
        name = self.text(head, "framework", "name")
        core = self.number(head, "framework", "core_points", low=0)
        stages = self.stages(self.tables(doc, "stage"))
        codes = [s.code for s in stages]
        indicators = [self.measure(spec, "indicator", codes) for spec in self.tables(doc, "indicator")]
        bonuses = [self.measure(spec, "bonus", codes) for spec in self.tables(doc, "bonus")]
        penalties = [self.penalty(spec) for spec in self.tables(doc, "penalty")]
        bonus_cap = math.inf
        if "bonus_cap" in head or bonuses:
            bonus_cap = self.number(head, "framework", "bonus_cap", low=0)
        if not indicators:
            self.fail("[[indicator]]", _("至少需要一项指标"))
        self.check_codes([m.code for m in indicators + bonuses] + [p.code for p in penalties])
        self.check_sums(indicators, stages, core)
        tiers = self.tiers(doc.get("tiers"))
        if self.problems or tiers is None:
            return None
        return Framework(
            name, core, bonus_cap, tuple(stages), tuple(indicators), tuple(bonuses), tuple(penalties), tiers
        )

    def stages(self, specs: list[dict[str, Any]]) -> list[Stage]:
        if not specs:
            self.fail("[[stage]]", _("至少需要一个阶段"))
        stages: list[Stage] = []
        for index, spec in enumerate(specs):
            code = self.text(spec, "stage", "code")
            name = self.text(spec, "stage", "name", code)
            max_age: int | None = None
            if index < len(specs) - 1:
                value = spec.get("max_age")
                if isinstance(value, bool) or not isinstance(value, int):
                    self.fail(
                        _where("stage", "max_age", code), _("除最后一个阶段外，每个阶段都应填写整数年限")
                    )
                elif stages and stages[-1].max_age is not None and value <= stages[-1].max_age:
                    self.fail(_where("stage", "max_age", code), _("应大于上一阶段的年限"))
                else:
                    max_age = value
            stages.append(Stage(code, name, max_age))
        seen = [s.code for s in stages]
        for code in {c for c in seen if c and seen.count(c) > 1}:
            self.fail(_where("stage", "code", code), _("阶段代码“%(code)s”重复") % {"code": code})
        return stages

    def measure(self, spec: dict[str, Any], table: str, stages: list[str]) -> Measure:
        code = self.text(spec, table, "code")
        name = self.text(spec, table, "name", code)
        column = self.text(spec, table, "column", code)
        method = spec.get("method")
        params: dict[str, Any] = {}
        if not isinstance(method, str) or method not in METHODS:
            self.fail(
                _where(table, "method", code),
                _("方法“%(method)s”不可识别，可选：%(choices)s")
                % {"method": method, "choices": "、".join(METHODS)},
            )
        else:
            params = self.params(spec, table, code, str(method))
        previous = self.text(spec, table, "previous", code, required=False) or None
        growth_cap = math.inf
        if "growth_cap" in spec:
            growth_cap = self.number(spec, table, "growth_cap", code, low=0)
        weights: dict[str, float] = {}
        points = 0.0
        if table == "indicator":
            group = self.text(spec, table, "group", code, required=False)
            weights = self.weights(spec.get("weights"), code, stages)
        else:
            group = ""
            points = self.number(spec, table, "points", code, low=0)
        return Measure(code, name, column, str(method), params, group, previous, growth_cap, weights, points)

    def params(self, spec: dict[str, Any], table: str, code: str, method: str) -> dict[str, Any]:
        params = {key: spec.get(key) for key in METHODS[method]}
        if method == "capped_ratio":
            ref = self.number(spec, table, "ref", code)
            if "ref" in spec and _is_number(spec["ref"]) and not ref > 0:
                self.fail(_where(table, "ref", code), _("满分参考值应大于 0"))
            params["ref"] = ref
        elif method == "goalposts":
            low, high = self.number(spec, table, "low", code), self.number(spec, table, "high", code)
            if _is_number(spec.get("low")) and _is_number(spec.get("high")) and high <= low:
                self.fail(_where(table, "high", code), _("上限应大于下限"))
            params.update(low=low, high=high)
        elif method == "bands":
            params.update(self.bands(spec, table, code))
        return params

    def bands(self, spec: dict[str, Any], table: str, code: str) -> dict[str, Any]:
        cuts, scores = spec.get("cuts"), spec.get("scores")
        if not isinstance(cuts, list) or not cuts or not all(_is_number(c) for c in cuts):
            self.fail(_where(table, "cuts", code), _("应为数字列表，如 [0.01, 0.03]"))
            return {}
        if any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
            self.fail(_where(table, "cuts", code), _("分档界值应从小到大排列且不重复"))
        if not isinstance(scores, list) or not all(_is_number(s) for s in scores):
            self.fail(_where(table, "scores", code), _("应为数字列表，如 [0, 0.5, 1]"))
            return {}
        if len(scores) != len(cuts) + 1:
            self.fail(
                _where(table, "scores", code),
                _("得分应比界值多一个：%(cuts)d 个界值需要 %(need)d 个得分，现有 %(have)d 个")
                % {"cuts": len(cuts), "need": len(cuts) + 1, "have": len(scores)},
            )
        return {"cuts": [float(c) for c in cuts], "scores": [float(s) for s in scores]}

    def weights(self, value: object, code: str, stages: list[str]) -> dict[str, float]:
        where = _where("indicator", "weights", code)
        if not isinstance(value, dict):
            self.fail(where, _("应写成 { 阶段代码 = 分值, … }"))
            return {}
        weights: dict[str, float] = {}
        for stage, points in value.items():
            if stage not in stages:
                self.fail(
                    where,
                    _("阶段“%(stage)s”不存在，已定义的阶段：%(stages)s")
                    % {"stage": stage, "stages": "、".join(stages)},
                )
            elif not _is_number(points) or points < 0:
                self.fail(where, _("阶段“%(stage)s”的分值应为不小于 0 的数字") % {"stage": stage})
            else:
                weights[stage] = float(points)
        return weights

    def penalty(self, spec: dict[str, Any]) -> Penalty:
        code = self.text(spec, "penalty", "code")
        name = self.text(spec, "penalty", "name", code)
        column = self.text(spec, "penalty", "column", code)
        veto = spec.get("veto", False)
        if not isinstance(veto, bool):
            self.fail(_where("penalty", "veto", code), _("应为 true 或 false"))
            veto = False
        if veto:
            return Penalty(code, name, column, True)
        each = self.number(spec, "penalty", "points_each", code, low=0)
        most = self.number(spec, "penalty", "max", code, low=0)
        return Penalty(code, name, column, False, each, most)

    def check_codes(self, codes: list[str]) -> None:
        for code in sorted({c for c in codes if c and codes.count(c) > 1}):
            self.fail(
                f"{code}.code", _("代码“%(code)s”重复，指标、加分项、扣分项的代码应各不相同") % {"code": code}
            )

    def check_sums(self, indicators: list[Measure], stages: list[Stage], core: float) -> None:
        for stage in stages:
            total = sum(m.weights.get(stage.code, 0.0) for m in indicators)
            if abs(total - core) > SUM_TOLERANCE:
                self.fail(
                    f"[[indicator]] weights.{stage.code}",
                    _("“%(stage)s”阶段各指标权重合计为 %(total)s，应等于 core_points（%(core)s）")
                    % {"stage": stage.name or stage.code, "total": _plain(total), "core": _plain(core)},
                )

    def tiers(self, spec: object) -> Tiers | None:
        if not isinstance(spec, dict):
            self.fail("[tiers]", _("缺少 [tiers] 表"))
            return None
        method = spec.get("method")
        if method not in ("percentile", "score"):
            self.fail("[tiers] method", _('应为 "percentile"（按阶段内名次比例）或 "score"（按分数线）'))
            return None
        a, b, c = (self.number(spec, "tiers", key, low=0) for key in ("A", "B", "C"))
        if method == "percentile" and not 0 < a <= b <= c <= 1:
            self.fail("[tiers] A", _("比例应满足 0 < A ≤ B ≤ C ≤ 1"))
        if method == "score" and not a >= b >= c:
            self.fail("[tiers] A", _("分数线应满足 A ≥ B ≥ C"))
        return Tiers(str(method), a, b, c)


def _plain(value: float) -> str:
    return f"{value:g}"
