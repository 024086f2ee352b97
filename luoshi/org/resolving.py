"""Unit names written in an imported file → the zone's units, for every import with a preview: the user's
answer in the preview first (map the name to a unit, or create it), then the matcher (exact, alias,
normalised); a name still unknown is reported once with the closest unit as a suggestion."""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from luoshi.org.choices import UnitType
from luoshi.org.matching import UnitMatcher
from luoshi.org.models import Unit, Zone

# What an import preview answers for an unknown unit name: map it to an existing unit, or create it.
MAP_PREFIX = "unit:"
CREATE_PREFIX = "new:"


@dataclass
class UnknownUnit:
    name: str
    count: int
    suggestion_id: int | None
    suggestion_name: str | None


class UnitResolver:
    def __init__(self, zone: Zone, resolutions: dict[str, str]) -> None:
        units = list(Unit.objects.filter(zone=zone).only("id", "name", "aliases"))
        self._matcher = UnitMatcher((u.pk, u.name, u.alias_list) for u in units)
        self._valid_ids = {u.pk for u in units}
        self._resolutions = resolutions
        self._counts: Counter[str] = Counter()
        self._unknown: dict[str, UnknownUnit] = {}
        self.unit_ids: dict[str, int] = {}  # every name that resolves, to its unit
        self.new_units: dict[str, str] = {}  # names the user chose to create, to their unit type

    def resolve(self, name: str) -> str | None:
        """Resolve one occurrence of `name`; the error message the first time it is found unknown."""
        self._counts[name] += 1
        if name in self.unit_ids or name in self.new_units or name in self._unknown:
            return None
        answer = self._resolutions.get(name, "")
        if answer.startswith(MAP_PREFIX) and answer[len(MAP_PREFIX) :].isdigit():
            chosen = int(answer[len(MAP_PREFIX) :])
            if chosen in self._valid_ids:
                self.unit_ids[name] = chosen
                return None
        if answer.startswith(CREATE_PREFIX) and answer[len(CREATE_PREFIX) :] in UnitType.values:
            self.new_units[name] = answer[len(CREATE_PREFIX) :]
            return None
        match = self._matcher.match(name)
        if match.unit_id is not None:
            self.unit_ids[name] = match.unit_id
            return None
        self._unknown[name] = UnknownUnit(name, 0, match.suggestion_id, match.suggestion_name)
        if match.suggestion_name:
            return _("单位“%(name)s”不在本园区的单位名单中，是否为“%(suggestion)s”？") % {
                "name": name,
                "suggestion": match.suggestion_name,
            }
        return _("单位“%(name)s”不在本园区的单位名单中，请在预览中对应到已有单位或新建") % {"name": name}

    @property
    def unknown(self) -> list[UnknownUnit]:
        for name, entry in self._unknown.items():
            entry.count = self._counts[name]
        return list(self._unknown.values())
