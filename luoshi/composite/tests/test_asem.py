"""The engine reproduces COINr's example index (docs/composite-reference.md) on the ASEM data, and its stages agree
with an independent recomputation from the metadata CSV read here with the csv module."""

import csv

import numpy as np
import pytest

from luoshi.composite import frame, pipeline, steps
from luoshi.composite.tests.conftest import ASEM

# COINr's published results table: uCode → (Index, Conn, Sust), in rank order.
TOP_SIX = [
    ("CHE", 68.38, 62.79, 73.98),
    ("NLD", 64.82, 61.94, 67.70),
    ("DNK", 64.80, 57.10, 72.51),
    ("NOR", 64.47, 57.44, 71.50),
    ("BEL", 63.54, 63.99, 63.09),
    ("SWE", 63.00, 53.87, 72.12),
]

# §6.7: indicator → (side, units winsorised, skew₀, kurt₀, skew after, kurt after).
TREATMENT = {
    "Flights": ("high", ["MLT"], 2.244, 6.298, 1.754, 3.247),
    "Bord": ("high", ["BEL", "LUX", "SGP"], 4.211, 19.905, 1.660, 1.539),
    "Gas": ("high", ["BRN", "MMR", "NOR"], 4.669, 22.294, 1.786, 2.341),
    "Services": ("high", ["IRL", "LUX", "MLT", "SGP"], 3.950, 17.648, 1.625, 2.116),
    "FDI": ("high", ["KHM", "MNG"], 2.455, 5.777, 1.916, 2.406),
    "ForPort": ("high", ["IRL", "LUX", "MLT"], 6.928, 48.815, 1.359, 0.901),
    "CostImpEx": ("high", ["PAK"], 2.691, 9.843, 1.590, 2.358),
    "Tariff": ("high", ["BGD", "KHM", "PAK"], 2.322, 5.062, 1.855, 2.850),
    "StMob": ("high", ["CYP", "LUX"], 2.894, 10.106, 1.078, 0.662),
    "CultServ": ("high", ["ESP", "LUX", "MLT"], 5.284, 28.492, 1.927, 3.304),
    "Forest": ("high", ["KHM", "PRT"], 2.711, 9.348, 1.424, 1.799),
    "Poverty": ("high", ["BGD", "IND", "LAO"], 2.629, 6.956, 1.159, -0.436),
    "NGOs": ("high", ["BEL", "CHE", "LUX"], 3.413, 13.052, 1.155, 0.132),
    "FemLab": ("low", ["PAK"], -2.009, 5.001, -1.892, 4.363),
    "PubDebt": ("high", ["JPN"], 2.029, 6.160, 1.259, 1.792),
}


@pytest.fixture(scope="module")
def imeta() -> list[dict[str, str]]:
    with open(ASEM / "ASEM_iMeta.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_top_six_match_coinr(asem: pipeline.Result) -> None:
    index = asem.column("Index")
    order = np.argsort(-index, kind="stable")
    got = [
        (
            asem.units[u],
            round(index[u], 2),
            round(asem.column("Conn")[u], 2),
            round(asem.column("Sust")[u], 2),
        )
        for u in order[:6]
    ]
    assert got == TOP_SIX
    assert [asem.rank("Index")[u] for u in order[:6]] == [1, 2, 3, 4, 5, 6]


def test_india_matches_coinr(asem: pipeline.Result) -> None:
    u = asem.units.index("IND")
    assert round(asem.column("Index")[u], 2) == 39.79 and asem.rank("Index")[u] == 45
    assert round(asem.column("Conn")[u], 2) == 28.60 and asem.rank("Conn")[u] == 44
    assert round(asem.column("Sust")[u], 2) == 50.99 and asem.rank("Sust")[u] == 43


def test_counts(asem: pipeline.Result, asem_inputs: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    _, tree = asem_inputs
    assert asem.imputed == 65
    assert asem.removed == ()
    assert len(asem.units) == 51 and asem.units == tuple(sorted(asem.units))
    assert len(tree.indicators) == 49
    assert len(tree.aggregates) == 11
    assert asem.scores.shape == (51, 60)
    assert not np.isnan(asem.stages["imputed"]).any()
    assert not np.isnan(asem.scores).any()


def test_treatment_report_matches_reference(asem: pipeline.Result) -> None:
    assert [t.code for t in asem.treatment] == list(TREATMENT)  # iMeta order
    assert all(t.action == "winsorised" for t in asem.treatment)  # log_CT never used
    assert sum(len(t.points) for t in asem.treatment) == 35
    screened, treated = asem.stages["screened"], asem.stages["treated"]
    codes = list(asem.codes)
    for t in asem.treatment:
        side, units, skew0, kurt0, skew1, kurt1 = TREATMENT[t.code]
        j = codes.index(t.code)
        assert sorted(asem.units[p] for p in t.points) == units, t.code
        assert round(steps.skewness(screened[:, j]), 3) == skew0, t.code
        assert round(steps.kurtosis(screened[:, j]), 3) == kurt0, t.code
        assert round(t.skew, 3) == skew1 and round(t.kurtosis, 3) == kurt1, t.code
        changed = np.flatnonzero(treated[:, j] != screened[:, j])
        assert changed.tolist() == sorted(t.points), t.code
        moved = treated[changed, j] - screened[changed, j]
        assert (moved < 0).all() if side == "high" else (moved > 0).all(), t.code
    untreated = [j for j, c in enumerate(codes[:49]) if c not in TREATMENT]
    np.testing.assert_array_equal(treated[:, untreated], screened[:, untreated])


def test_minmax_stage_is_direction_aware_minmax_of_treated(
    asem: pipeline.Result, imeta: list[dict[str, str]]
) -> None:
    direction = {r["iCode"]: int(r["Direction"]) for r in imeta if r["Type"] == "Indicator"}
    treated, normalised = asem.stages["treated"], asem.stages["normalised"]
    for j, code in enumerate(asem.codes[:49]):
        x = treated[:, j]
        lo, hi = x.min(), x.max()
        want = 100 * (x - lo) / (hi - lo) if direction[code] == 1 else 100 * (hi - x) / (hi - lo)
        np.testing.assert_allclose(normalised[:, j], want, rtol=0, atol=1e-9, err_msg=code)
    assert sum(d == -1 for d in direction.values()) == 14


def test_aggregates_are_equal_weight_means_of_children(
    asem: pipeline.Result, imeta: list[dict[str, str]]
) -> None:
    """Rebuild the hierarchy from the CSV and every aggregate bottom-up as plain means of the normalised stage."""
    children: dict[str, list[str]] = {}
    level = {}
    for r in imeta:
        if r["Type"] in ("Indicator", "Aggregate"):
            level[r["iCode"]] = int(r["Level"])
            if r["Parent"] not in ("", "NA"):
                children.setdefault(r["Parent"], []).append(r["iCode"])
    assert len(children) == 11
    score = {code: asem.stages["normalised"][:, j] for j, code in enumerate(asem.codes[:49])}
    for parent in sorted(children, key=level.__getitem__):
        score[parent] = np.mean([score[c] for c in children[parent]], axis=0)
    for parent in children:
        np.testing.assert_allclose(asem.column(parent), score[parent], rtol=0, atol=1e-6, err_msg=parent)
    np.testing.assert_allclose(asem.column("Index"), (score["Conn"] + score["Sust"]) / 2, rtol=0, atol=1e-6)


def test_stages_do_not_change_earlier_ones(
    asem: pipeline.Result, asem_inputs: tuple[frame.Dataset, frame.Hierarchy]
) -> None:
    data, _ = asem_inputs
    raw = asem.stages["raw"]
    assert raw is data.values or np.array_equal(raw, data.values, equal_nan=True)
    known = ~np.isnan(asem.stages["denominated"])
    np.testing.assert_array_equal(asem.stages["imputed"][known], asem.stages["denominated"][known])
