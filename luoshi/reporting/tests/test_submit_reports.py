"""actions.submit_reports ("全部报送"): every report through submit_report, all or none."""

from decimal import Decimal

import pytest

from luoshi.conftest import World
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import PlanItem
from luoshi.reporting import actions
from luoshi.reporting.actions import ReportInput, ReportRefused
from luoshi.reporting.models import Period, Report
from luoshi.reporting.tests.conftest import at


def _draft(world: World, item: PlanItem, period: Period, work: str = "完成申报培训") -> Report:
    data = ReportInput(progress=Decimal(50), work_done=work)
    return actions.save_report(item, period, data, world.user("liaison"), at(2026, 11, 19, 10))


def test_submits_each_report_as_submit_report_would(world: World, week47: Period) -> None:
    other = plan_actions.add_item(
        world.plan, world.task, {"title": "乙事项", "lead_unit": world.tech}, [], None
    )
    milestone = plan_actions.add_milestone(other, "完成评审", None, Decimal(1), None)
    first = _draft(world, world.item_a, week47)
    second = actions.save_report(
        other,
        week47,
        ReportInput(progress=Decimal(50), work_done="完成评审", milestones={milestone.pk}),
        world.user("liaison"),
        at(2026, 11, 19, 10),
    )
    done = actions.submit_reports([first, second], world.user("liaison"), at(2026, 11, 21, 9))
    assert [r.status for r in done] == ["submitted", "submitted"]
    for report in Report.objects.all():
        assert report.submitted_by == world.user("liaison") and report.submitted_at == at(2026, 11, 21, 9)
        assert report.late  # after Friday 17:00
    milestone.refresh_from_db()
    assert milestone.done  # ticked on the item, as one submission does


def test_all_or_none(world: World, week47: Period) -> None:
    other = plan_actions.add_item(
        world.plan, world.task, {"title": "乙事项", "lead_unit": world.tech}, [], None
    )
    first, second = _draft(world, world.item_a, week47), _draft(world, other, week47)
    actions.submit_report(second, world.user("liaison"), at(2026, 11, 19, 11))
    with pytest.raises(ReportRefused, match="报告已经提交过了"):
        actions.submit_reports([first, second], world.user("liaison"), at(2026, 11, 19, 12))
    first.refresh_from_db()
    assert first.status == "draft"


def test_a_report_without_its_work_is_not_ready(world: World, week47: Period) -> None:
    report = _draft(world, world.item_a, week47)
    Report.objects.filter(pk=report.pk).update(work_done="  ")
    report.refresh_from_db()
    with pytest.raises(ReportRefused, match="尚未填写本期工作"):
        actions.submit_reports([report], world.user("liaison"), at(2026, 11, 19, 12))
    assert Report.objects.get().status == "draft"


def test_a_closed_period_refuses_the_batch(world: World, week47: Period) -> None:
    report = _draft(world, world.item_a, week47)
    with pytest.raises(ReportRefused, match="关闭"):
        actions.submit_reports([report], world.user("liaison"), at(2026, 12, 31, 12))
    assert Report.objects.get().status == "draft"
