from datetime import date
from decimal import Decimal

import time_machine

from luoshi.alerts.models import SupervisionOrder
from luoshi.demo.build import build_demo
from luoshi.demo.reports import BEHIND, SILENT, STALLED, _planned
from luoshi.reporting.models import Period, Report
from luoshi.reporting.tests.conftest import at


def test_demo_report_history_tells_the_story(db: None) -> None:
    with time_machine.travel(at(2026, 11, 19, 10), tick=False):
        demo = build_demo(date(2026, 11, 19))
    periods = list(
        Period.objects.filter(cycle__plan=demo.plans[0], due_at__lt=at(2026, 11, 19, 10)).order_by(
            "starts_on"
        )
    )
    assert len(periods) == 10
    reports = Report.objects.filter(zone=demo.zone)
    assert reports.count() > 300
    assert not reports.filter(
        unit__name="区交通运输局", period__in=periods[-SILENT["区交通运输局"] :]
    ).exists()
    assert reports.filter(unit__name="区交通运输局", period=periods[-3]).exists()
    stalled = reports.filter(unit__name=STALLED, period__cycle__plan=demo.plans[0]).order_by(
        "item_id", "period__starts_on"
    )
    by_item: dict[int, list[Decimal]] = {}
    for report in stalled:
        by_item.setdefault(report.item_id, []).append(report.progress)
    assert by_item and all(len(set(progress[-4:])) == 1 for progress in by_item.values())
    for report in reports.filter(unit__name__in=BEHIND, period=periods[-1]).select_related("item", "period"):
        assert report.progress <= _planned(report.item, report.period.ends_on) - BEHIND[report.unit.name] + 4
    assert reports.filter(late=True).exists() and reports.filter(status="submitted").exists()


def test_demo_sweep_finds_yellow_and_red_from_five_rules(db: None) -> None:
    from luoshi.alerts.actions import sweep

    with time_machine.travel(at(2026, 11, 19, 10), tick=False):
        demo = build_demo(date(2026, 11, 19))
        result = sweep([demo.zone])
    assert result.open["yellow"] > 0 and result.open["red"] > 0
    assert sum(1 for n in result.by_rule.values() if n) >= 5
    assert result.by_rule["MISSING"] >= 1 and result.by_rule["BEHIND"] >= 1 and result.by_rule["STALLED"] >= 1
    # Three supervision orders: one answered, one closed, one overdue and escalated by the demo's second sweep.
    states = sorted(SupervisionOrder.objects.filter(zone=demo.zone).values_list("state", flat=True))
    assert states == ["closed", "escalated", "feedback"] and result.by_rule["ORDER_OVERDUE"] == 1
