"""An enterprise's points explained: each indicator against its full marks for the stage, and what would raise
the points most — for each indicator and bonus item, the value that reaches the reference value, the upper
goalpost, the next band or the stage's best, and the points that would add. Pure: the framework and the
stored score in, rows out."""

from dataclasses import dataclass

from luoshi.innovation.framework import Framework, Measure

GROWTH = "增长率"  # a fraction shown as a percentage, like the catalogue's 比例


@dataclass
class Line:
    code: str
    name: str
    group: str
    column: str
    value: float | None  # as scored (a growth rate for growth indicators)
    points: float
    full: float
    is_bonus: bool = False
    unit: str = ""  # the field's unit; GROWTH for a growth rate

    @property
    def share(self) -> float:
        return self.points / self.full * 100 if self.full else 0.0


@dataclass
class Step:
    """Reaching `target` in `column` would add `gain` points."""

    code: str
    name: str
    column: str
    target: float
    gain: float
    growth: float | None = None  # for a growth indicator: the rate `target` means
    unit: str = ""


def _unit(m: Measure, units: dict[str, str]) -> str:
    return GROWTH if m.previous else units.get(m.column, "")


def lines(
    rules: Framework, stage: str, detail: dict[str, list[float | None]], units: dict[str, str]
) -> list[Line]:
    out = []
    for m in rules.indicators:
        value, _fraction, points = detail.get(m.code, [None, None, 0.0])
        full = m.weights.get(stage, 0.0)
        out.append(Line(m.code, m.name, m.group, m.column, value, points or 0.0, full, unit=_unit(m, units)))
    for m in rules.bonuses:
        value, _fraction, points = detail.get(m.code, [None, None, 0.0])
        out.append(Line(m.code, m.name, "", m.column, value, points or 0.0, m.points, True, _unit(m, units)))
    return out


def _target(m: Measure, value: float | None, stage_best: float | None) -> tuple[float, float] | None:
    """(value to reach, fraction there) for the next step up, or None when there is none."""
    p = m.params
    if m.method == "capped_ratio":
        return (p["ref"], 1.0) if value is None or value < p["ref"] else None
    if m.method == "goalposts":
        return (p["high"], 1.0) if value is None or value < p["high"] else None
    if m.method == "bands":
        cuts, scores = p["cuts"], p["scores"]
        for n, cut in enumerate(cuts):
            if value is None or value < cut:
                return cut, max(scores[n + 1 :])
        return None
    if stage_best is not None and (value is None or value < stage_best):  # prank: the stage's best
        return stage_best, 1.0
    return None


def steps(
    rules: Framework,
    stage: str,
    detail: dict[str, list[float | None]],
    inputs: dict[str, list[object]],
    bonus: float,
    stage_best: dict[str, float],
    units: dict[str, str],
) -> list[Step]:
    """Every step that adds points, the largest gain first. Bonus gains stop at the bonus cap."""
    found = []
    room = max(rules.bonus_cap - bonus, 0.0)
    for m in (*rules.indicators, *rules.bonuses):
        value, fraction, _points = detail.get(m.code, [None, None, 0.0])
        full = m.weights.get(stage, 0.0) if m in rules.indicators else m.points
        target = _target(m, value, stage_best.get(m.code))
        if target is None or not full:
            continue
        gain = full * (target[1] - (fraction or 0.0))
        if m in rules.bonuses:
            gain = min(gain, room)
        if gain <= 0.005:
            continue
        step = Step(m.code, m.name, m.column, target[0], gain, unit=units.get(m.column, ""))
        if m.previous is not None:  # a growth rate: the current-year figure that reaches it
            previous = inputs.get(m.previous, [None])[0]
            if not isinstance(previous, int | float) or previous <= 0:
                continue
            step.growth, step.target = target[0], previous * (1 + target[0])
        found.append(step)
    return sorted(found, key=lambda s: -s.gain)
