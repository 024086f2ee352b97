"""The ASEM reference run (COINr's example index), shared by the tests that check against it. Plain fixtures: the
engine needs no database."""

from pathlib import Path

import pytest

from luoshi.composite import frame, pipeline

ASEM = Path(__file__).resolve().parents[1] / "asem"  # the reference data, kept in the repository


@pytest.fixture(scope="session")
def asem_inputs() -> tuple[frame.Dataset, frame.Hierarchy]:
    return frame.load(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")


@pytest.fixture(scope="session")
def asem(asem_inputs: tuple[frame.Dataset, frame.Hierarchy]) -> pipeline.Result:
    data, tree = asem_inputs
    return pipeline.run(data, tree, pipeline.read_config(ASEM / "pipeline.toml"))
