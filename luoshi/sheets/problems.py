"""What an import found wrong with a file, by row and column: one shape for every import (plans, ledgers,
indicator values, benchmarks), shown in the preview and printed by the import commands."""

from dataclasses import dataclass
from typing import Any


@dataclass
class Problem:
    row: int | None  # 1-based sheet row, or paragraph number; None for the file as a whole
    column: str | None  # column letter or heading; a notice's field label; None or "" when none applies
    severity: str  # "error" | "warning"
    message: str


def error(message: str, row: int | None = None, column: str | None = None) -> Problem:
    return Problem(row, column, "error", message)


def warning(message: str, row: int | None = None, column: str | None = None) -> Problem:
    return Problem(row, column, "warning", message)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    """The "errors" list of an import's JSON contract."""
    return [
        {"row": p.row, "column": p.column, "severity": p.severity, "message": p.message} for p in problems
    ]
