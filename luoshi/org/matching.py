"""Unit names as written in imported plans → the zone's units: exact, normalised, or a fuzzy suggestion."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# Below this score a fuzzy candidate is not worth suggesting.
SUGGESTION_CUTOFF = 60.0

# "青岛高新区科技局", "高新区科技局" and "区科技局" all name the zone's own 科技局.
_ZONE_PREFIX = re.compile(
    r"^(?:\w{0,8}?(?:高新技术产业开发区|经济技术开发区|高新区|开发区|新区|自贸区|园区)|区)(?=\w{2})"
)


@dataclass(frozen=True)
class UnitMatch:
    """How a written name was matched. `suggestion_*` name the best candidate: the matched unit itself for
    "exact" and "normalised", the proposal for "fuzzy" (which is not a match: `unit_id` is None)."""

    unit_id: int | None
    how: str  # "exact" | "normalised" | "fuzzy" | "none"
    suggestion_id: int | None
    suggestion_name: str | None
    score: float


NO_MATCH = UnitMatch(None, "none", None, None, 0.0)


def normalise(name: str) -> str:
    """NFKC (full-width → half-width, "（" → "("), no whitespace, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).lower()


def without_zone(normal: str) -> str:
    return _ZONE_PREFIX.sub("", normal, count=1)


class UnitMatcher:
    """Built once per import from (id, name, aliases); aliases count exactly like names."""

    def __init__(self, units: Iterable[tuple[int, str, Iterable[str]]]) -> None:
        self._names: dict[int, str] = {}
        self._exact: dict[str, int | None] = {}  # None marks a name two units share: never a match
        self._normal: dict[str, int | None] = {}
        self._bare: dict[str, int | None] = {}
        for unit_id, name, aliases in units:
            self._names[unit_id] = name
            for written in (name, *aliases):
                if not written or not written.strip():
                    continue
                normal = normalise(written)
                _add(self._exact, written.strip(), unit_id)
                _add(self._normal, normal, unit_id)
                _add(self._bare, without_zone(normal), unit_id)
        # fuzzy candidates: every normalised and zone-less form, each pointing at its unit
        self._choices: list[str] = []
        self._choice_ids: list[int] = []
        for table in (self._normal, self._bare):
            for form, owner in table.items():
                if owner is not None:
                    self._choices.append(form)
                    self._choice_ids.append(owner)
        self._cache: dict[str, UnitMatch] = {}

    def match(self, name: str) -> UnitMatch:
        key = (name or "").strip()
        if key not in self._cache:
            self._cache[key] = self._match(key)
        return self._cache[key]

    def _match(self, name: str) -> UnitMatch:
        if not name:
            return NO_MATCH
        if (unit_id := self._exact.get(name)) is not None:
            return self._found(unit_id, "exact")
        normal = normalise(name)
        for table, form in ((self._normal, normal), (self._bare, without_zone(normal))):
            if (unit_id := table.get(form)) is not None:
                return self._found(unit_id, "normalised")
        best = process.extractOne(
            without_zone(normal), self._choices, scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF
        )
        if best is None:
            return NO_MATCH
        _form, score, index = best
        unit_id = self._choice_ids[index]
        return UnitMatch(None, "fuzzy", unit_id, self._names[unit_id], float(score))

    def _found(self, unit_id: int, how: str) -> UnitMatch:
        return UnitMatch(unit_id, how, unit_id, self._names[unit_id], 100.0)


def _add(table: dict[str, int | None], key: str, unit_id: int) -> None:
    if key in table and table[key] != unit_id:
        table[key] = None
    else:
        table[key] = unit_id
