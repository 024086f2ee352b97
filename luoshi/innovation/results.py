"""A scoring's results as the `luoshi points` CSV: one row per enterprise in rank order, vetoed ones last,
numbers to four decimals."""

import csv
from collections.abc import Iterator
from typing import TextIO

import numpy as np

from luoshi.innovation.framework import Framework
from luoshi.innovation.inputs import Inputs
from luoshi.innovation.scoring import Result, missing

COLUMNS = (
    "credit_code",
    "name",
    "stage",
    "core",
    "bonus",
    "penalty",
    "points",
    "rank",
    "stage_rank",
    "tier",
    "missing",
)


def _fixed(values: np.ndarray) -> list[str]:
    # Adding 0.0 turns -0.0 into 0.0, which would otherwise print as "-0.0000".
    return [f"{v:.4f}" for v in (np.asarray(values, dtype=float) + 0.0).tolist()]


def _ranks(values: np.ndarray) -> list[str]:
    return ["" if v != v else str(int(v)) for v in values.tolist()]


def rows(framework: Framework, inputs: Inputs, result: Result) -> Iterator[list[str]]:
    stage_codes = [framework.stages[s].code for s in result.stage.tolist()]
    columns = (
        inputs.codes,
        inputs.names,
        stage_codes,
        _fixed(result.core),
        _fixed(result.bonus),
        _fixed(result.penalty),
        _fixed(result.points),
        _ranks(result.rank),
        _ranks(result.stage_rank),
        result.tier.tolist(),
        missing(framework, result),
    )
    for i in result.order().tolist():
        yield [column[i] for column in columns]


def write(out: TextIO, framework: Framework, inputs: Inputs, result: Result) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(framework, inputs, result))
