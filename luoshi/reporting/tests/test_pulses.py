"""The pulse (an item's latest counted reports) and its targets' latest values, kept by the reporting actions."""

from datetime import date
from decimal import Decimal

from luoshi.conftest import World
from luoshi.lib.periods import day_number
from luoshi.plans import actions as plan_actions
from luoshi.reporting import actions, pulses
from luoshi.reporting.actions import ReportInput
from luoshi.reporting.models import PULSE_DEPTH, Cycle, LatestValue, Period, Pulse, Report


def handed(world: World, period: Period, progress: int, values: dict[int, Decimal] | None = None) -> Report:
    data = ReportInput(progress=Decimal(progress), regress_reason="回退说明", values=values or {})
    report = actions.save_report(world.item_a, period, data, None, period.due_at)
    return actions.submit_report(report, None, period.due_at)


def weeks(cycle: Cycle) -> list[Period]:
    return list(Period.objects.filter(cycle=cycle).order_by("starts_on"))


def test_submit_and_return_rewrite_the_pulse_newest_first(world: World, cycle: Cycle) -> None:
    w45, w46, w47 = weeks(cycle)[:3]
    handed(world, w45, 10)
    handed(world, w46, 30)
    latest = handed(world, w47, 30)
    pulse = Pulse.objects.get(item=world.item_a)
    assert pulse.progress == [30.0, 30.0, 10.0]
    assert pulse.days == [day_number(w47.ends_on), day_number(w46.ends_on), day_number(w45.ends_on)]
    assert pulse.flat_runs == 0b011  # the last two never rose above 30; over three they rose from 10
    actions.return_report(latest, "请补充佐证", None, w47.due_at)
    assert Pulse.objects.get(item=world.item_a).progress == [30.0, 10.0]


def test_a_draft_counts_for_nothing_and_the_last_return_empties_it(world: World, cycle: Cycle) -> None:
    w45 = weeks(cycle)[0]
    actions.save_report(world.item_a, w45, ReportInput(progress=Decimal(20)), None, w45.due_at)
    assert not Pulse.objects.filter(item=world.item_a).exists()
    report = actions.submit_report(world.item_a.reports.get(), None, w45.due_at)
    assert Pulse.objects.get(item=world.item_a).progress == [20.0]
    actions.return_report(report, "数据有误", None, w45.due_at)
    assert not Pulse.objects.filter(item=world.item_a).exists()


def test_a_handed_in_correction_replaces_the_original(world: World, cycle: Cycle) -> None:
    target = plan_actions.add_target(
        world.item_a, {"indicator": "新增高企", "unit_of_measure": "家", "target_value": 100}, None
    )
    w45 = weeks(cycle)[0]
    report = handed(world, w45, 40, {target.pk: Decimal(20)})
    actions.accept_report(report, None, w45.due_at)
    assert LatestValue.objects.get(target=target).value == 20
    correction = actions.correct_report(report, None)
    changed = ReportInput(progress=Decimal(45), values={target.pk: Decimal(25)})
    actions.save_report(world.item_a, w45, changed, None, w45.due_at)
    assert Pulse.objects.get(item=world.item_a).progress == [40.0]  # a draft correction changes nothing yet
    actions.submit_report(correction, None, w45.due_at)
    assert Pulse.objects.get(item=world.item_a).progress == [45.0]
    latest = LatestValue.objects.get(target=target)
    assert (latest.value, latest.ends_on) == (25, w45.ends_on)


def test_the_latest_value_is_the_newest_report_that_gave_one(world: World, cycle: Cycle) -> None:
    target = plan_actions.add_target(
        world.item_a, {"indicator": "新增高企", "unit_of_measure": "家", "target_value": 100}, None
    )
    w45, w46 = weeks(cycle)[:2]
    handed(world, w45, 10, {target.pk: Decimal(7)})
    handed(world, w46, 20)  # no figure this week
    latest = LatestValue.objects.get(target=target)
    assert (latest.value, latest.ends_on) == (7, w45.ends_on)


def test_refresh_keeps_the_latest_depth_and_loads_in_bulk(world: World, cycle: Cycle) -> None:
    """load_reports (history brought over in bulk) refreshes the pulses of the items it wrote."""
    more = actions.ensure_periods(cycle, date(2027, 6, 30))
    assert more > PULSE_DEPTH
    periods = weeks(cycle)
    reports = [
        Report(
            zone=world.zone,
            item=world.item_b,
            period=period,
            unit=world.tech,
            progress=Decimal(n),
            status="accepted",
        )
        for n, period in enumerate(periods)
    ]
    actions.load_reports(reports, [], None)
    pulse = Pulse.objects.get(item=world.item_b)
    assert pulse.progress == [float(n) for n in range(len(periods) - 1, len(periods) - 1 - PULSE_DEPTH, -1)]
    assert pulse.flat_runs == 1  # rising every week: only the latest report alone "never rose"


def test_flat_runs_answers_every_run_length() -> None:
    assert pulses._flat_runs([]) == 0
    assert pulses._flat_runs([50.0, 50.0, 50.0]) == 0b111
    # 50 ← 40 ← 50 (newest first): over three reports it never rose above 50, over two it rose from 40.
    assert pulses._flat_runs([50.0, 40.0, 50.0]) == 0b101
    assert pulses._flat_runs([60.0, 50.0, 40.0]) == 0b001
