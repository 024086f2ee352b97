"""What an import will do, shown before anyone confirms it: the problems found (errors block the import), the
unit names matched or to be created, and the file it came from. Each import's preview extends this with what
it read; matching names against a zone's units is the caller's (luoshi.org.resolving), passed in as answers."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from luoshi.sheets.problems import Problem, has_errors, problems_json

Unknown = TypeVar("Unknown")

UNIT_NAME_FIELD = "unitname-"  # the preview form's hidden field: a unit name as the file writes it…
UNIT_ANSWER_FIELD = "unit-"  # …and the answer chosen for it, under the same suffix


@dataclass(kw_only=True)
class Preview(Generic[Unknown]):
    problems: list[Problem]
    unit_ids: dict[str, int]  # every unit name in the file that resolves, to its unit
    new_units: dict[str, str]  # names the user chose to create, to their unit type
    unknown: list[Unknown] = field(default_factory=list)  # names still waiting for an answer
    source_name: str = ""

    @property
    def has_errors(self) -> bool:
        return has_errors(self.problems)

    @property
    def n_errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def n_warnings(self) -> int:
        return len(self.problems) - self.n_errors

    def errors_json(self) -> list[dict[str, Any]]:
        return problems_json(self.problems)

    def as_json(self) -> dict[str, Any]:
        """What was read and the problems, as the import command's --json prints it."""
        raise NotImplementedError


def answers_from(data: Mapping[str, str]) -> dict[str, str]:
    """The preview form's answers for unknown unit names: {name as written: answer}."""
    return {
        data[key]: data.get(UNIT_ANSWER_FIELD + key.removeprefix(UNIT_NAME_FIELD), "")
        for key in data
        if key.startswith(UNIT_NAME_FIELD)
    }
