"""collect_facts: the execution facts of each unit for a period, from reports, warnings (as they stood at the
period's end) and supervision orders, stored as verified values of reserved indicators."""

from decimal import Decimal

from luoshi.alerts import triage
from luoshi.alerts.models import SupervisionOrder, Warning
from luoshi.alerts.tests.conftest import at
from luoshi.assessment import actions, facts
from luoshi.assessment.models import Indicator, IndicatorValue
from luoshi.assessment.tests.conftest import LATER
from luoshi.conftest import World


def stored(world: World, period: str) -> dict[tuple[str, str], Decimal]:
    rows = IndicatorValue.objects.filter(zone=world.zone, period=period)
    found: dict[tuple[str, str], Decimal] = {}
    for v in rows.select_related("unit", "indicator"):
        assert v.unit is not None
        found[(v.unit.name, v.indicator.code)] = v.value
    return found


def test_facts_of_a_month(world: World, july: None) -> None:
    written = actions.collect_facts(world.zone, "2026-07", world.user("supervisor"), LATER)
    values = stored(world, "2026-07")
    tech, dev = "区科技创新局", "区发展和改革局"
    assert values[(tech, facts.ON_TIME)] == 60  # 3 of 5 on time (one late, one missing)
    assert values[(tech, facts.MISSING)] == 1
    assert values[(tech, facts.ON_TRACK)] == 0  # its one item has a red warning open on 31 July
    assert values[(tech, facts.RED)] == 1
    assert values[(tech, facts.ORDERS)] == 50  # 1 of the 2 orders due in July
    assert values[(dev, facts.ON_TIME)] == 100
    assert values[(dev, facts.MISSING)] == 0
    assert values[(dev, facts.ON_TRACK)] == 50  # item_b's warning, yellow since 15 July, is still open
    assert values[(dev, facts.RED)] == 0  # lowered from red; item_c's red came in August
    assert (dev, facts.ORDERS) not in values  # nothing due in July: not measured, rather than 0 or 100
    assert written == len(values) == 9
    assert not IndicatorValue.objects.filter(zone=world.zone, verified=False).exists()
    assert set(IndicatorValue.objects.values_list("source", flat=True)) == {facts.SOURCE}
    # The reserved indicators joined the library, with the office's evaluation.
    codes = set(Indicator.objects.filter(zone=world.zone).values_list("code", flat=True))
    assert codes == {*facts.CODES, facts.OFFICE}


def test_a_later_look_at_the_same_month_finds_the_same_facts(world: World, july: None) -> None:
    actions.collect_facts(world.zone, "2026-07", None, LATER)
    before = stored(world, "2026-07")
    Warning.objects.filter(resolved_at__isnull=True).update(
        resolved_at=at(2026, 9, 2, 9)
    )  # all cleared since
    assert actions.collect_facts(world.zone, "2026-07", None, at(2026, 9, 3, 9)) == 0
    assert stored(world, "2026-07") == before


def test_a_dismissed_warning_never_counts_against_the_unit(world: World, july: None) -> None:
    red = Warning.objects.get(item=world.item_a, resolved_at__isnull=True)
    triage.dismiss_warning(red, "时限已经区政府常务会议调整", world.user("supervisor"), at(2026, 9, 2, 9))
    actions.collect_facts(world.zone, "2026-07", None, LATER)
    values = stored(world, "2026-07")
    assert values[("区科技创新局", facts.RED)] == 0 and values[("区科技创新局", facts.ON_TRACK)] == 100


def test_a_running_period_counts_up_to_now(world: World, july: None) -> None:
    # On 16 July: the reports due 3 and 10 July so far; the warnings as they were then.
    actions.collect_facts(world.zone, "2026Q3", None, at(2026, 7, 16, 9))
    values = stored(world, "2026Q3")
    tech = "区科技创新局"
    assert values[(tech, facts.ON_TIME)] == 50  # due 3 July: on time; due 10 July: not yet handed in
    assert values[(tech, facts.MISSING)] == 0  # the one due 10 July may still be handed in late
    assert values[(tech, facts.RED)] == 0  # item_a's red warning opened on 20 July
    assert values[(tech, facts.ORDERS)] == 100  # only the 15 July order is due yet


def test_values_that_can_no_longer_be_measured_are_removed(world: World, july: None) -> None:
    actions.collect_facts(world.zone, "2026-07", None, LATER)
    orders_due = IndicatorValue.objects.filter(indicator__code=facts.ORDERS, period="2026-07")
    assert orders_due.count() == 1
    SupervisionOrder.objects.filter(zone=world.zone, unit=world.tech).delete()
    actions.collect_facts(world.zone, "2026-07", None, LATER)
    assert not orders_due.exists()
