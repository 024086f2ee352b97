"""Pulses: each item's latest counted reports and each target's latest value (reporting.models.Pulse), kept by
the reporting actions so the warning sweep reads one row per item."""

from collections.abc import Callable, Iterable

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from luoshi.lib.periods import day_number
from luoshi.plans.models import PlanItem
from luoshi.reporting.models import PULSE_DEPTH, LatestValue, Pulse, ReportValue
from luoshi.reporting.queries import counted_reports

# Called with the item ids whose targets' latest values were just rewritten, by apps above reporting (goals: a
# target whose reported value feeds an indicator passes it on).
AFTER_LATEST: list[Callable[[list[int]], None]] = []


def _flat_runs(progress: list[float]) -> int:
    """Bit n-1 set when the first n figures (newest first) never rose above the n-th: Pulse.flat_runs."""
    runs, top = 0, float("-inf")
    for n, value in enumerate(progress):
        if top <= value:
            runs |= 1 << n
        top = max(top, value)
    return runs


def refresh_item_pulse(item: PlanItem) -> None:
    """After a report of the item is handed in or returned. The item row is locked first, so two reviews of
    the same item's reports write their pulses one after the other, the second reading the first's report."""
    PlanItem.objects.select_for_update().filter(pk=item.pk).values_list("pk").get()
    refresh_pulses([item.pk])


def refresh_pulses(item_ids: Iterable[int], chunk: int = 2000) -> None:
    """Rewrite the pulses of these items and the latest values of their targets from their counted reports."""
    ids = sorted(set(item_ids))
    for start in range(0, len(ids), chunk):
        _write_pulses(ids[start : start + chunk])


def _write_pulses(ids: list[int]) -> None:
    newest = [F("period__ends_on").desc(), F("version").desc(), F("period_id").desc()]
    recent = (
        counted_reports()
        .filter(item_id__in=ids)
        .annotate(rn=Window(RowNumber(), partition_by=F("item_id"), order_by=newest))
        .filter(rn__lte=PULSE_DEPTH)
        .order_by("item_id", "rn")
        .values_list("item_id", "zone_id", "progress", "period__ends_on")
    )
    pulses: dict[int, Pulse] = {}
    for item_id, zone_id, progress, ends_on in recent:
        pulse = pulses.setdefault(item_id, Pulse(item_id=item_id, zone_id=zone_id))
        pulse.progress.append(float(progress))
        pulse.days.append(day_number(ends_on))
    for pulse in pulses.values():
        pulse.flat_runs = _flat_runs(pulse.progress)
    Pulse.objects.filter(item_id__in=ids).exclude(item_id__in=list(pulses)).delete()
    Pulse.objects.bulk_create(
        pulses.values(),
        update_conflicts=True,
        unique_fields=["item"],
        update_fields=["progress", "days", "flat_runs"],
    )

    by_target = [
        F("report__period__ends_on").desc(),
        F("report__version").desc(),
        F("report__period_id").desc(),
    ]
    latest = (
        ReportValue.objects.filter(
            report__in=counted_reports().filter(item_id__in=ids), target__reported=True
        )
        .annotate(rn=Window(RowNumber(), partition_by=F("target_id"), order_by=by_target))
        .filter(rn=1)
        .values_list("target_id", "zone_id", "value", "report__period__ends_on")
    )
    values = [LatestValue(target_id=t, zone_id=z, value=v, ends_on=on) for t, z, v, on in latest]
    # A target that is not reported takes its latest value from elsewhere (Target.reported): left alone.
    stale = LatestValue.objects.filter(target__item_id__in=ids, target__reported=True).exclude(
        target_id__in=[v.target_id for v in values]
    )
    stale.delete()
    LatestValue.objects.bulk_create(
        values, update_conflicts=True, unique_fields=["target"], update_fields=["value", "ends_on"]
    )
    for listener in AFTER_LATEST:
        listener(ids)
