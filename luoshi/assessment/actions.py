"""Writes for the indicator library and its values; each atomic and recorded (django-simple-history)."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

from luoshi.assessment.importing import ValueRow
from luoshi.assessment.models import Indicator, IndicatorValue
from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.org.models import Zone

INDICATOR_FIELDS = (
    "code",
    "name",
    "unit_of_measure",
    "direction",
    "frequency",
    "source_unit",
    "alert_threshold",
    "excellence_threshold",
    "description",
)


@transaction.atomic
def save_indicator(zone: Zone, values: dict, user: Actor, indicator: Indicator | None = None) -> Indicator:
    """Create an indicator, or change the fields of one that really change."""
    if indicator is not None:
        # The stored row, not the caller's copy (a bound ModelForm has already set its fields).
        stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
        apply_changes(stored, INDICATOR_FIELDS, values, user)
        return stored
    indicator = Indicator(zone=zone, **{f: values[f] for f in INDICATOR_FIELDS if f in values})
    changed_by(indicator, user)
    indicator.save()
    return indicator


@transaction.atomic
def import_values(zone: Zone, rows: Sequence[ValueRow], user: Actor, now: datetime) -> tuple[int, int]:
    """Write checked rows (importing.read_values): new values are added, changed ones replaced and marked
    unverified again, unchanged ones left alone. Returns (added, changed)."""
    existing = {
        (v.indicator_id, v.unit_id, v.period): v
        for v in IndicatorValue.objects.select_for_update().filter(
            zone=zone, indicator_id__in={r.indicator_id for r in rows}, period__in={r.period for r in rows}
        )
    }
    added = changed = 0
    for row in rows:
        current = existing.get((row.indicator_id, row.unit_id, row.period))
        if current is not None and (current.value, current.source) == (row.value, row.source):
            continue
        value = current or IndicatorValue(
            zone=zone, indicator_id=row.indicator_id, unit_id=row.unit_id, period=row.period
        )
        value.period_end, value.value, value.source = row.period_end, row.value, row.source
        value.entered_by, value.entered_at = user, now
        value.verified, value.verified_by, value.verified_at = False, None, None
        changed_by(value, user)
        value.save()
        if current is None:
            added += 1
        else:
            changed += 1
    return added, changed


@transaction.atomic
def verify_value(value: IndicatorValue, user: Actor, now: datetime) -> IndicatorValue:
    value.verified, value.verified_by, value.verified_at = True, user, now
    changed_by(value, user)
    value.save(update_fields=["verified", "verified_by", "verified_at"])
    return value
