"""Binding a plan target to an indicator (goals.binding): one source of truth, either way — the actual value taken
from the indicator's verified values (the report then asks for nothing and cannot overwrite it), or the reported
value fed to the indicator as an unverified value; never across zones, never two feeders of one indicator; and the
what-if projects a ticked item's bound target at plan."""

from datetime import date
from decimal import Decimal

import pytest

from luoshi.assessment import actions as assessment
from luoshi.assessment.importing import ValueRow
from luoshi.assessment.models import IndicatorValue
from luoshi.conftest import World
from luoshi.goals import binding
from luoshi.goals.actions import LinkRefused
from luoshi.goals.models import IndicatorLink, TargetBinding
from luoshi.goals.tests.conftest import NOW, National
from luoshi.goals.trace import trace, what_if
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import Target
from luoshi.reporting import actions as reporting
from luoshi.reporting.actions import ReportInput
from luoshi.reporting.forms import ReportForm
from luoshi.reporting.models import Cycle, LatestValue, Period
from luoshi.reporting.tests.conftest import cycle  # noqa: F401  # the fixture, used by name


@pytest.fixture
def target(world: World) -> Target:
    return plan_actions.add_target(
        world.item_b, {"indicator": "发明专利授权", "unit_of_measure": "件", "target_value": 130}, None
    )


def _value(world: World, national: National, period: str, end: date, value: int, verify: bool) -> None:
    row = ValueRow(2, national.indicators["PAT"].pk, None, period, end, Decimal(value), "统计局")
    assessment.import_values(world.zone, [row], None, NOW)
    if verify:
        stored = IndicatorValue.objects.get(indicator=national.indicators["PAT"], period=period)
        assessment.verify_value(stored, None, NOW)


def _hand_in(world: World, period: Period, values: dict[int, Decimal]) -> None:
    data = ReportInput(progress=Decimal(50), values=values)
    report = reporting.save_report(world.item_b, period, data, None, period.due_at)
    reporting.submit_report(report, None, period.due_at)


def test_the_actual_value_taken_from_the_indicator(
    world: World,
    national: National,
    target: Target,
    cycle: Cycle,  # noqa: F811
) -> None:
    _value(world, national, "2026Q2", date(2026, 6, 30), 95, verify=True)
    _value(world, national, "2026Q3", date(2026, 9, 30), 110, verify=False)  # not verified: not taken
    binding.bind_target(target, national.indicators["PAT"], "indicator", world.user("supervisor"))
    target.refresh_from_db()
    assert not target.reported
    assert IndicatorLink.objects.filter(item=world.item_b, indicator=national.indicators["PAT"]).exists()
    assert LatestValue.objects.get(target=target).value == 95
    stored = IndicatorValue.objects.get(indicator=national.indicators["PAT"], period="2026Q3")
    assessment.verify_value(stored, None, NOW)
    latest = LatestValue.objects.get(target=target)
    assert (latest.value, latest.ends_on) == (110, date(2026, 9, 30))

    week = Period.objects.filter(cycle__plan=world.plan).order_by("starts_on").first()
    assert week is not None
    _hand_in(world, week, {target.pk: Decimal(3)})  # a value sent anyway is not counted
    assert LatestValue.objects.get(target=target).value == 110
    form = ReportForm(item=Target.objects.get(pk=target.pk).item, report=None)
    field = form.fields[f"value_{target.pk}"]
    assert field.disabled and field.initial == "110"
    assert any("取自指标库" in hint for _f, hint in form.target_rows())


def test_the_reported_value_feeds_the_indicator(
    world: World,
    national: National,
    target: Target,
    cycle: Cycle,  # noqa: F811
) -> None:
    binding.bind_target(target, national.indicators["PAT"], "target", None)
    target.refresh_from_db()
    assert target.reported
    week = Period.objects.get(cycle__plan=world.plan, starts_on=date(2026, 11, 16))
    _hand_in(world, week, {target.pk: Decimal(88)})
    fed = IndicatorValue.objects.get(indicator=national.indicators["PAT"], unit__isnull=True)
    assert (fed.period, fed.period_end, fed.value, fed.verified) == ("2026Q4", date(2026, 12, 31), 88, False)
    assert fed.source == "目标填报：建设创新平台"


def test_one_feeder_per_indicator_and_one_zone(world: World, national: National, target: Target) -> None:
    binding.bind_target(target, national.indicators["PAT"], "target", None)
    other = plan_actions.add_target(world.item_a, {"indicator": "专利", "target_value": 10}, None)
    with pytest.raises(LinkRefused, match="只能有一个报送来源"):
        binding.bind_target(other, national.indicators["PAT"], "target", None)
    binding.bind_target(other, national.indicators["PAT"], "indicator", None)  # reading it is fine
    stranger_item = world.other_plan.items.get()
    stranger = plan_actions.add_target(stranger_item, {"indicator": "专利", "target_value": 1}, None)
    with pytest.raises(LinkRefused):
        binding.bind_target(stranger, national.indicators["PAT"], "indicator", None)


def test_unbinding_reports_again(
    world: World,
    national: National,
    target: Target,
    cycle: Cycle,  # noqa: F811
) -> None:
    _value(world, national, "2026Q2", date(2026, 6, 30), 95, verify=True)
    bound = binding.bind_target(target, national.indicators["PAT"], "indicator", None)
    binding.unbind_target(bound, None)
    target.refresh_from_db()
    assert target.reported and not TargetBinding.objects.exists()
    assert not LatestValue.objects.filter(target=target).exists()  # nothing reported yet


def test_the_what_if_takes_the_bound_target_at_plan(world: World, national: National, target: Target) -> None:
    binding.bind_target(target, national.indicators["PAT"], "indicator", None)
    goal = trace(world.zone, world.task.pk)[0]
    found = what_if(goal, {world.item_b.pk}, set())
    assert found is not None
    pat = next(m for m in found.moved if m.line.code == "PAT")
    assert pat.at_plan and pat.to == 130
