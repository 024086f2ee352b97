"""The sweep's rule sources. Each app with warnings to raise registers one in its AppConfig.ready: alerts its
plan-item and order rules, projects its key-project rules. The sweep runs them in the order they registered
(INSTALLED_APPS order), so alerts reads the rules of apps above it without importing them (issue 12)."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # alerts.models words warnings through this module, and alerts.wanted reads alerts.models
    from luoshi.alerts.wanted import Wanted, ZoneRules

# A rule's reason in words, from the numbers the sweep stored (alerts.reasons).
Wording = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Scope:
    """What every source reads: the zones swept, their enabled rules and the moment of the sweep."""

    zone_ids: Sequence[int]
    rules: "ZoneRules"
    today: date
    now: datetime


@dataclass(frozen=True)
class RuleSource:
    """An app's rules: `wanted` returns every warning they call for in the scope, read-only, in a few set-based
    queries (ADR 0002); `wording` words the rules whose reasons alerts.reasons does not know."""

    name: str
    wanted: Callable[[Scope], Iterable["Wanted"]]
    wording: Mapping[str, Wording] = field(default_factory=dict)


_sources: dict[str, RuleSource] = {}
_wording: dict[str, Wording] = {}


def register(source: RuleSource) -> None:
    """Add or replace (by name, so a second `ready` changes nothing) a source of warnings."""
    _sources[source.name] = source
    _wording.update(source.wording)


def registered() -> list[RuleSource]:
    return list(_sources.values())


def wording(rule: str) -> Wording:
    """The registered wording of `rule`; KeyError when no source words it."""
    return _wording[rule]
