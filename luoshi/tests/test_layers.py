"""The layer contracts of pyproject.toml hold on the tree, and they catch a back-import (ADR 0006)."""

from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application.use_cases import read_user_options
from importlinter.contracts.layers import LayersContract

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.fixture(scope="module")
def contract() -> LayersContract:
    configuration.configure()
    options = read_user_options(str(PYPROJECT))
    layers = next(c for c in options.contracts_options if c["id"] == "layers")
    return LayersContract(
        name=layers["name"], session_options=options.session_options, contract_options=layers
    )


@pytest.fixture
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("luoshi", exclude_type_checking_imports=True, cache_dir=None)


def test_the_tree_keeps_the_layers(contract: LayersContract, graph: grimp.ImportGraph) -> None:
    assert contract.check(graph, verbose=False).kept


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("luoshi.plans.views", "luoshi.alerts.queries"),  # the warning panel the item page once imported
        ("luoshi.org.zones", "luoshi.front.views"),
        ("luoshi.projects.views", "luoshi.assessment.queries"),  # siblings stay independent
        ("luoshi.lib.bulk", "luoshi.org.models"),
    ],
)
def test_a_back_import_breaks_the_contract(
    contract: LayersContract, graph: grimp.ImportGraph, importer: str, imported: str
) -> None:
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    assert not contract.check(graph, verbose=False).kept
