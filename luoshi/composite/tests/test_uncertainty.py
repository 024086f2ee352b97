"""Uncertainty and sensitivity analysis: rank intervals that bracket the nominal ranks, reproducible draws, absolute
normalisations left alone, and Sobol indices of the choices that vary."""

import numpy as np
import pytest

from luoshi.composite import frame, pipeline
from luoshi.composite.errors import CompositeError
from luoshi.composite.tests.conftest import ASEM
from luoshi.composite.uncertainty import Alternatives, sensitivity, uncertainty

META = [
    {"iCode": "a", "Level": "1", "Parent": "T", "Weight": "1", "Direction": "1", "Type": "Indicator"},
    {"iCode": "b", "Level": "1", "Parent": "T", "Weight": "1", "Direction": "1", "Type": "Indicator"},
    {"iCode": "T", "Level": "2", "Parent": "", "Weight": "1", "Direction": "1", "Type": "Aggregate"},
]


def small(rows: list[tuple[str, float, float]]) -> tuple[frame.Dataset, frame.Hierarchy]:
    tree = frame.hierarchy(META)
    data = frame.dataset([{"uCode": u, "a": str(a), "b": str(b)} for u, a, b in rows], tree)
    return data, tree


def config(normalise: dict[str, object]) -> pipeline.Config:
    return pipeline.config({"normalise": normalise, "aggregate": {"method": "arithmetic_mean"}})


def test_a_unit_best_on_everything_is_first_in_every_replication() -> None:
    data, tree = small([("A", 10, 10), ("B", 5, 6), ("C", 1, 2), ("D", 2, 1)])
    found = uncertainty(data, tree, config({"method": "minmax"}), 300, seed=1)
    assert found.nominal.tolist() == [1, 2, 3, 3]
    assert (found.ranks[:, 0] == 1).all()
    assert found.q05[0] == found.q95[0] == found.median[0] == 1
    assert (found.q05 <= found.median).all() and (found.median <= found.q95).all()
    assert found.ranks.shape == (300, 4)


def test_the_same_seed_gives_the_same_draws_and_another_may_not(
    asem_inputs: tuple[frame.Dataset, frame.Hierarchy],
) -> None:
    data, tree = asem_inputs
    cfg = pipeline.read_config(ASEM / "pipeline.toml")
    first = uncertainty(data, tree, cfg, 200, seed=7)
    again = uncertainty(data, tree, cfg, 200, seed=7)
    np.testing.assert_array_equal(first.ranks, again.ranks)
    assert not np.array_equal(first.ranks, uncertainty(data, tree, cfg, 200, seed=8).ranks)
    # Nominal ranks agree with the plain pipeline run's.
    result = pipeline.run(data, tree, cfg)
    np.testing.assert_array_equal(first.nominal, result.ranks[:, result.codes.index(tree.top)])


def test_without_noise_or_alternatives_every_replication_is_the_nominal_ranking() -> None:
    data, tree = small([("A", 10, 1), ("B", 5, 6), ("C", 1, 9), ("D", 2, 3)])
    alt = Alternatives(weight_noise=0.0, aggregations=("arithmetic_mean",), imputations=("none",))
    found = uncertainty(data, tree, config({"method": "goalposts", "lower": 0, "upper": 10}), 50, alt)
    assert (found.ranks == found.nominal).all()


def test_fixed_goalposts_are_not_swapped_for_a_relative_method() -> None:
    # Every unit at 100 % on "a" has no spread: a z-score alternative would refuse it, and would change what
    # an absolute score means anyway.
    data, tree = small([("A", 100, 9), ("B", 100, 6), ("C", 100, 3)])
    cfg = config({"method": "goalposts", "lower": 0, "upper": 100})
    found = uncertainty(data, tree, cfg, 100, seed=3)
    assert found.nominal.tolist() == [1, 2, 3]
    with pytest.raises(CompositeError):
        uncertainty(data, tree, config({"method": "zscore"}), 100, seed=3)


def test_sobol_indices_of_the_varied_choices(asem_inputs: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    data, tree = asem_inputs
    cfg = pipeline.config({"normalise": {"method": "minmax"}, "aggregate": {"method": "arithmetic_mean"}})
    found = sensitivity(data, tree, cfg, 64, seed=2)
    assert found.factors == ["weights", "normalisation", "aggregation"]  # imputation has no alternative here
    assert found.runs == 64 * (len(found.factors) + 2)
    assert found.first.shape == found.total.shape == (3,)
    assert np.all(found.total >= -0.1)  # estimates, with sampling error around 0
    assert found.total.max() > 0.1  # something moves the ranks


def test_nothing_to_vary_is_refused() -> None:
    data, tree = small([("A", 10, 1), ("B", 5, 6), ("C", 1, 9)])
    alt = Alternatives(weight_noise=0.0, aggregations=("arithmetic_mean",), imputations=("none",))
    with pytest.raises(CompositeError):
        sensitivity(data, tree, config({"method": "goalposts", "lower": 0, "upper": 10}), 16, alt)
    with pytest.raises(CompositeError):
        uncertainty(data, tree, config({"method": "minmax"}), 0)


def test_a_ranking_no_choice_moves_has_no_sensitivity_to_report() -> None:
    data, tree = small([("A", 10, 10), ("B", 5, 5), ("C", 1, 1)])  # the same order on both indicators
    with pytest.raises(CompositeError, match="排名都不变"):
        sensitivity(data, tree, config({"method": "minmax"}), 16)
