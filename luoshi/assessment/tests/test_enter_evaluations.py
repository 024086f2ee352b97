"""enter_evaluations: the supervision office's 0–20 marks, stored as verified OFFICE_EVAL values."""

from decimal import Decimal

import pytest

from luoshi.assessment import actions, facts
from luoshi.assessment.models import IndicatorValue
from luoshi.assessment.tests.conftest import LATER
from luoshi.conftest import World


def marks(world: World) -> dict[str, Decimal]:
    rows = IndicatorValue.objects.filter(indicator__code=facts.OFFICE, period="2026Q3").select_related("unit")
    found: dict[str, Decimal] = {}
    for v in rows:
        assert v.unit is not None
        found[v.unit.name] = v.value
    return found


def test_marks_are_stored_changed_and_cleared(world: World) -> None:
    office = world.user("supervisor")
    assert (
        actions.enter_evaluations(
            world.zone, "2026年第三季度", {world.tech.pk: Decimal("17.5")}, office, LATER
        )
        == 1
    )
    value = IndicatorValue.objects.get(indicator__code=facts.OFFICE)
    assert (value.period, value.verified, value.verified_by, value.entered_by) == (
        "2026Q3",
        True,
        office,
        office,
    )
    assert marks(world) == {"区科技创新局": Decimal("17.5")}
    # Unchanged marks write nothing; a changed one is replaced; None clears one.
    same = {world.tech.pk: Decimal("17.5"), world.dev.pk: None}
    assert actions.enter_evaluations(world.zone, "2026Q3", same, office, LATER) == 0
    assert actions.enter_evaluations(world.zone, "2026Q3", {world.tech.pk: Decimal(19)}, office, LATER) == 1
    assert marks(world) == {"区科技创新局": Decimal(19)}
    assert actions.enter_evaluations(world.zone, "2026Q3", {world.tech.pk: None}, office, LATER) == 1
    assert marks(world) == {}
    assert value.history.count() == 3  # entered, changed, removed


@pytest.mark.parametrize("mark", [Decimal(-1), Decimal("20.5")])
def test_a_mark_out_of_range_writes_nothing(world: World, mark: Decimal) -> None:
    with pytest.raises(ValueError):
        actions.enter_evaluations(
            world.zone, "2026Q3", {world.dev.pk: Decimal(10), world.tech.pk: mark}, None, LATER
        )
    assert not IndicatorValue.objects.exists()
