"""A plan target bound to an indicator, with one source of truth (goals.models.TargetBinding):

- 实际值取自指标库 (source "indicator"): the target is not reported (plans.Target.reported is False, so the weekly
  report shows its value and asks for nothing, and the pulses leave its latest value alone); its latest value is
  the indicator's newest verified zone-wide value of the plan's year, rewritten whenever the indicator's values
  change (assessment.actions.AFTER_VALUES).
- 填报值报送指标库 (source "target"): the target is reported as before, and its latest counted value is written to
  the indicator for the period it falls in (by the indicator's frequency) as an unverified value the office
  checks, whenever the item's latest values are rewritten (reporting.pulses.AFTER_LATEST).

The warning rules, the arena's scorecards and the report form all read the target's latest value, so each sees
the one source chosen."""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.assessment import actions as assessment_actions
from luoshi.assessment.choices import Frequency
from luoshi.assessment.importing import ValueRow
from luoshi.assessment.models import Indicator, IndicatorValue
from luoshi.goals.actions import LinkRefused, link_indicators
from luoshi.goals.choices import BindingSource
from luoshi.goals.models import TargetBinding
from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.lib.periods import parse_period, quarter_label
from luoshi.plans.models import Target
from luoshi.reporting import pulses
from luoshi.reporting.models import LatestValue

SOURCE_TEXT_MAX = 200


def _period(frequency: str, day: date) -> tuple[str, date]:
    """The indicator's period a reported day falls in, as the library labels it, and its last day."""
    if frequency == Frequency.MONTHLY:
        return parse_period(f"{day.year}-{day.month:02d}")
    if frequency == Frequency.QUARTERLY:
        return parse_period(quarter_label(day))
    return parse_period(str(day.year))


def _take(binding: TargetBinding) -> None:
    """The target's latest value from the indicator's newest verified zone-wide value of the plan's year."""
    year = binding.target.item.plan.year
    value = (
        IndicatorValue.objects.filter(
            indicator_id=binding.indicator_id, unit__isnull=True, verified=True, period_end__year=year
        )
        .order_by("-period_end")
        .first()
    )
    if value is None:
        LatestValue.objects.filter(target_id=binding.target_id).delete()
        return
    LatestValue.objects.update_or_create(
        target_id=binding.target_id,
        defaults={"zone_id": binding.zone_id, "value": value.value, "ends_on": value.period_end},
    )


def take_from_indicators(zone_id: int, indicator_ids: set[int]) -> None:
    """After the indicators' values change: the targets that take their actual value from them follow."""
    bindings = TargetBinding.objects.filter(
        zone_id=zone_id, indicator_id__in=indicator_ids, source=BindingSource.INDICATOR
    ).select_related("target__item__plan")
    for binding in bindings:
        _take(binding)


def feed_indicators(item_ids: list[int]) -> None:
    """After the items' latest values are rewritten: each target that feeds an indicator writes its value."""
    bindings = TargetBinding.objects.filter(
        target__item_id__in=item_ids, source=BindingSource.TARGET
    ).select_related("target__item", "indicator", "zone")
    latest = {
        target_id: (ends_on, value)
        for target_id, ends_on, value in LatestValue.objects.filter(
            target_id__in=[b.target_id for b in bindings]
        ).values_list("target_id", "ends_on", "value")
    }
    rows = defaultdict(list)
    for b in bindings:
        if b.target_id not in latest:
            continue
        ends_on, value = latest[b.target_id]
        label, end = _period(b.indicator.frequency, ends_on)
        source = _("目标填报：%(item)s") % {"item": b.target.item.title}
        rows[b.zone].append(ValueRow(0, b.indicator_id, None, label, end, value, source[:SOURCE_TEXT_MAX]))
    for zone, zone_rows in rows.items():
        assessment_actions.import_values(zone, zone_rows, None, timezone.now())


@transaction.atomic
def bind_target(target: Target, indicator: Indicator, source: str, user: Actor) -> TargetBinding:
    """Bind (or rebind) a target to an indicator with its source of truth; the item is linked to the indicator
    too (it moves it)."""
    if target.zone_id != indicator.zone_id:
        raise LinkRefused(_("事项、指标、项目和方案须属于同一园区"))
    source = BindingSource(source)
    feeder = TargetBinding.objects.filter(indicator=indicator, source=BindingSource.TARGET)
    if source == BindingSource.TARGET and feeder.exclude(target=target).exists():
        raise LinkRefused(
            _("指标“%(name)s”已由另一项量化指标的填报值报送，一个指标只能有一个报送来源")
            % {"name": indicator.name}
        )
    binding = TargetBinding.objects.select_for_update().filter(target=target).first()
    if binding is None:
        binding = TargetBinding(zone_id=target.zone_id, target=target, indicator=indicator, source=source)
        changed_by(binding, user)
        binding.save()
    else:
        apply_changes(binding, ["indicator", "source"], {"indicator": indicator, "source": source}, user)
    apply_changes(target, ["reported"], {"reported": source == BindingSource.TARGET}, user)
    link_indicators([target.item], [indicator], user)
    if source == BindingSource.INDICATOR:
        _take(binding)
    else:  # the latest value from the reports again, then on to the indicator
        pulses.refresh_pulses([target.item_id])
    return binding


@transaction.atomic
def unbind_target(binding: TargetBinding, user: Actor) -> None:
    """The target is reported again, its latest value from its reports; the indicator link stays."""
    target = binding.target
    changed_by(binding, user)
    binding.delete()
    apply_changes(target, ["reported"], {"reported": True}, user)
    pulses.refresh_pulses([target.item_id])


def register() -> None:
    """Follow the indicators' values and the reports (once: ready() may run again in tests)."""
    if take_from_indicators not in assessment_actions.AFTER_VALUES:
        assessment_actions.AFTER_VALUES.append(take_from_indicators)
    if feed_indicators not in pulses.AFTER_LATEST:
        pulses.AFTER_LATEST.append(feed_indicators)
