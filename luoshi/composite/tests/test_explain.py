"""explain(): how a unit's aggregate score is made up, on the ASEM run."""

import numpy as np
import pytest

from luoshi.composite import frame, pipeline
from luoshi.composite.errors import CompositeError


@pytest.mark.parametrize("code", ["Conn", "Index", "Sust", "Physical"])
def test_contributions_add_up_to_the_score(
    asem: pipeline.Result, asem_inputs: tuple[frame.Dataset, frame.Hierarchy], code: str
) -> None:
    _, tree = asem_inputs
    e = pipeline.explain(asem, tree, "CHE", code)
    assert e.unit == "CHE" and e.code == code
    u = asem.units.index("CHE")
    assert e.score == asem.column(code)[u]
    assert e.rank == asem.rank(code)[u]
    assert [c.code for c in e.children] == list(tree.children[code])
    assert sum(c.weight for c in e.children) == pytest.approx(1.0)
    assert sum(c.contribution for c in e.children) == pytest.approx(e.score, abs=1e-9)
    for c in e.children:
        assert c.value == asem.column(c.code)[u]
        assert c.contribution == pytest.approx(c.weight * c.value)


def test_che_conn_and_index_match_reference(
    asem: pipeline.Result, asem_inputs: tuple[frame.Dataset, frame.Hierarchy]
) -> None:
    _, tree = asem_inputs
    assert round(pipeline.explain(asem, tree, "CHE", "Conn").score, 2) == 62.79
    index = pipeline.explain(asem, tree, "CHE", "Index")
    assert round(index.score, 2) == 68.38 and index.rank == 1
    assert [(c.code, c.weight) for c in index.children] == [("Conn", 0.5), ("Sust", 0.5)]


@pytest.mark.parametrize(
    ("unit", "code"), [("CHE", "Conn"), ("CHE", "Index"), ("IND", "Sust"), ("PAK", "Instit")]
)
def test_strongest_and_weakest_are_the_best_and_worst_ranks(
    asem: pipeline.Result, asem_inputs: tuple[frame.Dataset, frame.Hierarchy], unit: str, code: str
) -> None:
    _, tree = asem_inputs
    e = pipeline.explain(asem, tree, unit, code, n=4)
    u = asem.units.index(unit)
    under = pipeline.indicators_under(tree, code)
    ranks = {c: asem.rank(c)[u] for c in under}
    strong = [r for _, r in e.strongest]
    weak = [r for _, r in e.weakest]
    assert len(strong) == len(weak) == 4
    assert strong == sorted(strong)  # best first
    assert weak == sorted(weak, reverse=True)  # worst first
    assert all(ranks[c] == r for c, r in e.strongest + e.weakest)
    assert max(strong) <= min(r for c, r in ranks.items() if c not in dict(e.strongest))
    assert min(weak) >= max(r for c, r in ranks.items() if c not in dict(e.weakest))
    assert set(dict(e.strongest)) <= set(under) and set(dict(e.weakest)) <= set(under)


def test_indicators_under(asem_inputs: tuple[frame.Dataset, frame.Hierarchy]) -> None:
    _, tree = asem_inputs
    assert pipeline.indicators_under(tree, "Political") == ["Embs", "IGOs", "UNVote"]
    assert len(pipeline.indicators_under(tree, "Index")) == 49
    assert sorted(pipeline.indicators_under(tree, "Index")) == sorted(tree.indicators)


def test_explain_refuses_unknown_unit_or_non_aggregate(
    asem: pipeline.Result, asem_inputs: tuple[frame.Dataset, frame.Hierarchy]
) -> None:
    _, tree = asem_inputs
    with pytest.raises(CompositeError) as e:
        pipeline.explain(asem, tree, "XXX", "Index")
    assert e.value.code == "XXX"
    with pytest.raises(CompositeError) as e:
        pipeline.explain(asem, tree, "CHE", "LPI")
    assert e.value.code == "LPI"
    assert np.isfinite(asem.column("Index")).all()
