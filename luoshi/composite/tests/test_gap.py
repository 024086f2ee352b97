"""The gap-to-target simulator: hand-checked figures on a small min-max case, the batched perturbations against
re-running the whole pipeline for each one, and properties of monotone pipelines."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from luoshi.composite import frame, gap, pipeline
from luoshi.composite.errors import CompositeError

MINMAX = pipeline.Config()


def tree_of(indicators: dict[str, tuple[str, float, int]], groups: dict[str, float]) -> frame.Hierarchy:
    """indicators: code → (group, weight, direction); groups: code → weight, under the top "T"."""
    meta = [
        {"iCode": c, "Level": "1", "Parent": g, "Weight": str(w), "Direction": str(d), "Type": "Indicator"}
        for c, (g, w, d) in indicators.items()
    ]
    meta += [
        {"iCode": g, "Level": "2", "Parent": "T", "Weight": str(w), "Direction": "1", "Type": "Aggregate"}
        for g, w in groups.items()
    ]
    meta.append(
        {"iCode": "T", "Level": "3", "Parent": "", "Weight": "1", "Direction": "1", "Type": "Aggregate"}
    )
    return frame.hierarchy(meta)


def data_of(tree: frame.Hierarchy, table: dict[str, list[float]]) -> frame.Dataset:
    rows = [
        {"uCode": u} | {c: repr(v) for c, v in zip(tree.indicators, vs, strict=True)}
        for u, vs in table.items()
    ]
    return frame.dataset(rows, tree)


@pytest.fixture
def small() -> tuple[frame.Dataset, frame.Hierarchy]:
    """I1 more is better (range 0–20), I2 less is better (range 1–4), equal weights in one group.
    Top scores: A 50, B 29.17, C 58.33, D 50; ranks C 1, A 2, D 2, B 4."""
    tree = tree_of({"I1": ("G", 1, 1), "I2": ("G", 1, -1)}, {"G": 1})
    return data_of(tree, {"A": [0, 1], "B": [5, 3], "C": [10, 2], "D": [20, 4]}), tree


def test_a_small_case_checked_by_hand(small: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    data, tree = small
    found = gap.analyse(data, tree, MINMAX, "B", 2)
    assert (found.rank, found.target_unit) == (4, "A")  # A and D tie at 50: the first in code order is named
    assert found.score == pytest.approx((25 + 100 / 3) / 2)
    assert found.needed_score == pytest.approx(50) and found.gap == pytest.approx(50 - found.score)
    i1, i2 = found.indicators  # matching the best lifts B to rank 1 on either; I1 gains more
    assert (i1.code, i1.value, i1.best, i1.rank_at_best) == ("I1", 5, 20, 1)
    assert i1.marginal == pytest.approx(0.5 * 100 / 20)  # w·100/(max − min), strictly inside the range
    assert i1.gain == pytest.approx(37.5)
    assert i1.needed == pytest.approx(
        40 / 3
    )  # (s + 33.3)/2 = 50 → s = 66.7 → x = 13.3: B ties A and D at 2nd
    assert (i2.code, i2.best, i2.rank_at_best) == ("I2", 1, 1)
    assert i2.marginal == pytest.approx(0.5 * 100 / 3)  # per unit of decrease: lower is better
    assert i2.gain == pytest.approx(100 / 3)
    assert i2.needed == pytest.approx(1.75)


def test_on_the_edges_of_a_range_the_score_is_flat_but_matching_the_best_still_counts(
    small: tuple[frame.Dataset, frame.Hierarchy],
) -> None:
    data, tree = small
    d = gap.analyse(data, tree, MINMAX, "D", 1)  # D has the highest I1 and the worst (highest) I2
    i1 = next(g for g in d.indicators if g.code == "I1")
    i2 = next(g for g in d.indicators if g.code == "I2")
    assert i1.marginal == 0 and i1.gain == 0 and i1.needed is None  # already the best: nothing to gain
    assert i2.marginal == 0  # the unique worst: a small step moves the column's minimum with it
    assert i2.gain == pytest.approx(50) and i2.rank_at_best == 1 and i2.needed is not None


def test_a_unit_already_there_needs_nothing_and_leads_by_the_gap(
    small: tuple[frame.Dataset, frame.Hierarchy],
) -> None:
    data, tree = small
    found = gap.analyse(data, tree, MINMAX, "C", 2)
    assert found.rank == 1 and found.needed_score == pytest.approx(50) and found.gap < 0
    assert [g.needed for g in found.indicators] == [g.value for g in found.indicators]


def test_unreachable_alone(small: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    data, tree = small
    tree3 = tree_of({"I1": ("G", 1, 1), "I2": ("G", 1, -1), "I3": ("G", 1, 1)}, {"G": 1})
    data3 = data_of(tree3, {"A": [0, 1, 9], "B": [5, 3, 0], "C": [10, 2, 9], "D": [20, 4, 9]})
    found = gap.analyse(data3, tree3, MINMAX, "B", 1)
    assert all(g.needed is None for g in found.indicators)  # far behind: no indicator alone is enough
    assert all(g.rank_at_best > 1 for g in found.indicators)
    i3 = next(g for g in found.indicators if g.code == "I3")
    # Everyone else has 9: matching them leaves no range to normalise, and just below it B stays at the minimum.
    assert (i3.best, i3.gain, i3.rank_at_best) == (9, 0, found.rank)


def test_the_best_of_a_denominated_indicator_is_the_best_ratio_on_our_denominator() -> None:
    meta = [
        {"iCode": "I1", "Level": "1", "Parent": "T", "Weight": "1", "Direction": "1", "Type": "Indicator",
         "Denominator": "Pop"},
        {"iCode": "I2", "Level": "1", "Parent": "T", "Weight": "1", "Direction": "1", "Type": "Indicator",
         "Denominator": ""},
        {"iCode": "T", "Level": "2", "Parent": "", "Weight": "1", "Direction": "1", "Type": "Aggregate"},
        {"iCode": "Pop", "Level": "", "Parent": "", "Weight": "", "Direction": "", "Type": "Denominator"},
    ]  # fmt: skip
    tree = frame.hierarchy(meta)
    rows = [("A", "2", "2", "1"), ("B", "6", "3", "2"), ("C", "8", "1", "0")]
    data = frame.dataset([{"uCode": u, "I1": i1, "Pop": pop, "I2": i2} for u, i1, pop, i2 in rows], tree)
    found = gap.analyse(data, tree, MINMAX.replace(denominate=True), "B", 1)
    i1 = next(g for g in found.indicators if g.code == "I1")
    assert i1.best == 24  # C's 8 per head, on B's 3 heads
    assert i1.marginal == pytest.approx(0.5 * 100 / 7 / 3)  # per unit of the numerator: ratios span 1–8


@pytest.mark.parametrize(
    ("unit", "target", "message"),
    [
        ("Z", 1, "代码 Z：单位不在数据中"),
        ("B", 0, "目标名次应在 1 到 3 之间（共 4 个单位参加排名）"),
        ("B", 4, "目标名次应在 1 到 3 之间"),
    ],
)
def test_errors_name_the_unit(
    small: tuple[frame.Dataset, frame.Hierarchy], unit: str, target: int, message: str
) -> None:
    data, tree = small
    with pytest.raises(CompositeError) as e:
        gap.analyse(data, tree, MINMAX, unit, target)
    assert message in str(e.value)


def test_our_missing_values_and_screening_are_refused(small: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    data, tree = small
    holes = frame.Dataset(data.units, data.values.copy(), data.meta)
    holes.values[1, 0] = np.nan
    with pytest.raises(CompositeError, match="代码 B：这一单位缺少以下指标的数值，无法分析差距：I1"):
        gap.analyse(holes, tree, MINMAX, "B", 1)
    holes.values[1, 0], holes.values[0, :] = 5, np.nan
    with pytest.raises(CompositeError, match="代码 A"):
        gap.analyse(holes, tree, MINMAX.replace(screen=0.5), "A", 1)
    found = gap.analyse(holes, tree, MINMAX.replace(screen=0.5), "B", 1)
    assert len(found.result.units) == 3  # A, screened out, neither counts nor sets a range


def _random(seed: int, units: int = 40, indicators: int = 9) -> tuple[frame.Dataset, frame.Hierarchy]:
    rng = np.random.default_rng(seed)
    spec = {
        f"I{j}": (f"G{j % 3}", float(rng.choice([0.8, 1, 1.2])), 1 if j % 4 else -1)
        for j in range(indicators)
    }
    values = rng.lognormal(1.0, 1.0, (units, indicators))
    values[::3, 2] = np.nan  # peers' gaps (a third of the units)
    rows = [
        {"uCode": f"U{u:02d}", "Region": "east" if u % 2 else "west", "Staff": repr(float(rng.uniform(1, 9)))}
        | {c: "" if np.isnan(values[u, j]) else repr(float(values[u, j])) for j, c in enumerate(spec)}
        for u in range(units)
    ]
    meta = [
        {"iCode": c, "Level": "1", "Parent": g, "Weight": str(w), "Direction": str(d), "Type": "Indicator",
         "Denominator": "Staff" if c == "I1" else ""}
        for c, (g, w, d) in spec.items()
    ]  # fmt: skip
    meta += [
        {"iCode": g, "Level": "2", "Parent": "T", "Weight": str(w), "Direction": "1", "Type": "Aggregate"}
        for g, w in {"G0": 20, "G1": 30, "G2": 50}.items()
    ]
    meta += [
        {"iCode": "T", "Level": "3", "Parent": "", "Weight": "1", "Direction": "1", "Type": "Aggregate"},
        {"iCode": "Region", "Level": "", "Parent": "", "Weight": "", "Direction": "", "Type": "Group"},
        {"iCode": "Staff", "Level": "", "Parent": "", "Weight": "", "Direction": "", "Type": "Denominator"},
    ]
    tree = frame.hierarchy(meta)
    return frame.dataset(rows, tree), tree


def _complete_unit_ranked_after(data: frame.Dataset, result: pipeline.Result, rank: int) -> str:
    """The best-ranked unit below `rank` with a value on every indicator (the gap needs our whole row)."""
    complete = {u for u, row in zip(data.units, data.values, strict=True) if not np.isnan(row).any()}
    order = [result.units[i] for i in np.argsort(-result.column("T"), kind="stable")]
    return next(u for n, u in enumerate(order, start=1) if n > rank and u in complete)


def _rerun(
    data: frame.Dataset, tree: frame.Hierarchy, cfg: pipeline.Config, unit: str, code: str, x: float
) -> tuple[float, int]:
    """Our top score and rank with one raw value changed, by the whole pipeline."""
    values = data.values.copy()
    values[data.units.index(unit), tree.indicators.index(code)] = x
    result = pipeline.run(frame.Dataset(data.units, values, data.meta), tree, cfg)
    top = result.column(tree.top)
    u = result.units.index(unit)
    return top[u], 1 + int((top > top[u] + 1e-9).sum())  # floating-point ties count as ties


CONFIGS = {
    "minmax": MINMAX,
    "every step": pipeline.config(
        {
            "denominate": {},
            "impute": {"method": "group_median", "group": "Region"},
            "screen": {"min_availability": 0.8},
            "treat": {"method": "winsorise_then_log", "winmax": 3},
            "normalise": {"method": "zscore", "mean_sd": [50, 10]},
            "aggregate": {"method": "arithmetic_mean"},
        }
    ),
    "geometric of ranks": pipeline.config(
        {"normalise": {"method": "percentile_rank"}, "aggregate": {"method": "geometric_mean"}}
    ),
    "goalposts": pipeline.config(
        {
            "normalise": {"method": "goalposts", "lower": 0, "upper": 8},
            "aggregate": {"method": "harmonic_mean"},
        }
    ),
}


@pytest.mark.parametrize("name", CONFIGS)
def test_batched_perturbations_equal_rerunning_the_pipeline(name: str) -> None:
    """Every step before aggregation works column by column: one pass changing our value on every indicator
    at once gives what changing each alone gives."""
    data, tree = _random(7)
    cfg = CONFIGS[name]
    result = pipeline.run(data, tree, cfg)
    unit = _complete_unit_ranked_after(data, result, 8)
    found = gap.analyse(data, tree, cfg, unit, 5)
    base, rank = _rerun(data, tree, cfg, unit, "I0", data.values[data.units.index(unit), 0])
    assert (found.score, found.rank) == (pytest.approx(base, abs=1e-9), rank)
    for g in found.indicators:
        score, rank = _rerun(data, tree, cfg, unit, g.code, g.best)
        assert g.gain == pytest.approx(score - base, abs=1e-9) and g.rank_at_best == rank
        direction = tree.nodes[g.code].direction
        column = data.values[:, tree.indicators.index(g.code)]
        step = (np.nanmax(column) - np.nanmin(column)) * gap.STEP
        nudged, _rank = _rerun(data, tree, cfg, unit, g.code, g.value + direction * step)
        assert g.marginal == pytest.approx((nudged - base) / step, rel=1e-6, abs=1e-6)
        if g.needed is not None:
            assert _rerun(data, tree, cfg, unit, g.code, g.needed)[1] <= 5


def test_the_marginal_is_the_weight_over_the_range_for_plain_minmax() -> None:
    data, tree = _random(3)
    found = gap.analyse(data, tree, MINMAX, "U20", 10)  # 20 is not a multiple of 3: a complete row
    groups = {"G0": 0.2, "G1": 0.3, "G2": 0.5}
    for g in found.indicators:
        parent = tree.nodes[g.code].parent
        assert parent is not None
        siblings = [c for c in tree.indicators if tree.nodes[c].parent == parent]
        w = groups[parent] * tree.nodes[g.code].weight / sum(tree.nodes[c].weight for c in siblings)
        column = data.values[:, tree.indicators.index(g.code)]
        lo, hi = np.nanmin(column), np.nanmax(column)
        if lo < g.value < hi:
            assert g.marginal == pytest.approx(w * 100 / (hi - lo), rel=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(3, 9).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(0, 12), min_size=4, max_size=4), min_size=n, max_size=n),
            st.lists(st.sampled_from([0.8, 1.0, 1.2]), min_size=4, max_size=4),
            st.lists(st.sampled_from([1, -1]), min_size=4, max_size=4),
            st.integers(0, n - 1),
            st.integers(1, n - 1),
        )
    )
)
def test_monotone_pipelines_never_lose_by_improving_and_the_needed_value_reaches_the_rank(
    case: tuple[list[list[int]], list[float], list[int], int, int],
) -> None:
    table, weights, directions, ours, target = case
    columns = np.array(table, dtype=float).T
    assume(all(c.max() > c.min() for c in columns))
    spec = {f"I{j}": ("G0" if j < 2 else "G1", weights[j], directions[j]) for j in range(4)}
    tree = tree_of(spec, {"G0": 40, "G1": 60})
    data = data_of(tree, {f"U{u}": [float(v) for v in row] for u, row in enumerate(table)})
    unit = f"U{ours}"
    found = gap.analyse(data, tree, MINMAX, unit, target)
    for g in found.indicators:
        assert g.marginal >= 0 and g.gain >= -1e-9
        if g.needed is None:
            assert g.rank_at_best > target
            continue
        lo, hi = sorted((g.value, g.best))
        assert lo - 1e-9 <= g.needed <= hi + 1e-9
        assert _rerun(data, tree, MINMAX, unit, g.code, g.needed)[1] <= target
    assert (found.rank <= target) is (found.gap <= 0)
