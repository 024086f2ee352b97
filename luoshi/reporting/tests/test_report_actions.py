import pathlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import Settings

from luoshi.conftest import World
from luoshi.plans import actions as plan_actions
from luoshi.reporting import actions
from luoshi.reporting.actions import ReportInput, ReportRefused
from luoshi.reporting.evidence import evidence_path
from luoshi.reporting.models import Cycle, Evidence, Period, Problem, Report
from luoshi.reporting.tests.conftest import at


def test_periods_and_deadlines(cycle: Cycle) -> None:
    periods = list(Period.objects.filter(cycle=cycle))
    assert len(periods) == 9  # 2 November to the week of 28 December
    week = periods[2]
    assert (week.label, week.due_at, week.closes_at.date()) == (
        "2026年第47周",
        at(2026, 11, 20, 17, 0),
        date(2026, 11, 27),
    )
    assert actions.ensure_periods(cycle, date(2026, 12, 31)) == 0  # idempotent


def test_draft_submit_accept(world: World, week47: Period) -> None:
    liaison = world.user("liaison")
    data = ReportInput(progress=Decimal(40), work_done="完成申报培训", next_plan="组织评审")
    report = actions.save_report(world.item_a, week47, data, liaison, at(2026, 11, 19, 10))
    assert report.status == "draft" and report.unit == world.tech
    report = actions.submit_report(report, liaison, at(2026, 11, 19, 11))
    assert report.status == "submitted" and not report.late
    report = actions.accept_report(report, world.user("supervisor"), at(2026, 11, 20, 9))
    assert report.status == "accepted"
    world.item_a.refresh_from_db()
    assert world.item_a.status == "in_progress"
    # The same report sent again stands as it is; a changed one is refused.
    assert actions.save_report(world.item_a, week47, data, liaison, at(2026, 11, 20, 10)) == report
    changed = ReportInput(progress=Decimal(50), work_done="完成申报培训", next_plan="组织评审")
    with pytest.raises(ReportRefused, match="已采纳的报告不能修改"):
        actions.save_report(world.item_a, week47, changed, liaison, at(2026, 11, 20, 10))


def test_late_submission_is_marked(world: World, week47: Period) -> None:
    report = actions.save_report(
        world.item_a, week47, ReportInput(progress=Decimal(10)), None, at(2026, 11, 21, 9)
    )
    assert actions.submit_report(report, None, at(2026, 11, 21, 9)).late


def test_closed_and_future_periods_refuse(world: World, week47: Period) -> None:
    with pytest.raises(ReportRefused, match="关闭"):
        actions.save_report(
            world.item_a, week47, ReportInput(progress=Decimal(10)), None, at(2026, 11, 28, 9)
        )
    future = Period.objects.get(cycle=week47.cycle, starts_on=date(2026, 12, 7))
    with pytest.raises(ReportRefused, match="尚未开始"):
        actions.save_report(
            world.item_a, future, ReportInput(progress=Decimal(10)), None, at(2026, 11, 28, 9)
        )


def test_progress_bounds_and_going_backwards(world: World, cycle: Cycle, week47: Period) -> None:
    with pytest.raises(ReportRefused, match="0 到 100"):
        actions.save_report(world.item_a, week47, ReportInput(progress=Decimal(120)), None, at(2026, 11, 19))
    earlier = Period.objects.get(cycle=cycle, starts_on=date(2026, 11, 9))
    first = actions.save_report(
        world.item_a, earlier, ReportInput(progress=Decimal(50)), None, at(2026, 11, 12)
    )
    actions.submit_report(first, None, at(2026, 11, 12))
    with pytest.raises(ReportRefused, match="进度回退说明"):
        actions.save_report(world.item_a, week47, ReportInput(progress=Decimal(30)), None, at(2026, 11, 19))
    ok = actions.save_report(
        world.item_a,
        week47,
        ReportInput(progress=Decimal(30), regress_reason="重新核定口径"),
        None,
        at(2026, 11, 19),
    )
    assert ok.progress == 30


def test_double_submit_is_refused(world: World, week47: Period) -> None:
    report = actions.save_report(
        world.item_a, week47, ReportInput(progress=Decimal(10)), None, at(2026, 11, 19)
    )
    actions.submit_report(report, None, at(2026, 11, 19))
    with pytest.raises(ReportRefused, match="已经提交过了"):
        actions.submit_report(report, None, at(2026, 11, 19))
    assert Report.objects.filter(item=world.item_a).count() == 1


def test_return_and_resubmit(world: World, week47: Period) -> None:
    report = actions.save_report(
        world.item_a, week47, ReportInput(progress=Decimal(10)), None, at(2026, 11, 19)
    )
    actions.submit_report(report, None, at(2026, 11, 19))
    with pytest.raises(ReportRefused, match="退回原因"):
        actions.return_report(report, " ", None, at(2026, 11, 20))
    returned = actions.return_report(report, "请补充佐证材料", None, at(2026, 11, 20))
    assert returned.status == "returned"
    again = actions.save_report(
        world.item_a, week47, ReportInput(progress=Decimal(15)), None, at(2026, 11, 20, 12)
    )
    assert (
        again.pk == report.pk
        and actions.submit_report(again, None, at(2026, 11, 20, 13)).status == "submitted"
    )


def test_unit_head_approval_when_the_zone_asks_for_it(world: World, week47: Period) -> None:
    world.zone.reports_need_approval = True
    world.zone.save()
    report = actions.save_report(
        world.item_a, week47, ReportInput(progress=Decimal(10)), None, at(2026, 11, 19)
    )
    actions.submit_report(report, None, at(2026, 11, 19))
    with pytest.raises(ReportRefused, match="不能采纳"):
        actions.accept_report(report, None, at(2026, 11, 19))
    actions.approve_report(report, world.user("unithead"), at(2026, 11, 19))
    assert actions.accept_report(report, None, at(2026, 11, 20)).status == "accepted"


def test_correction_is_a_new_version(world: World, week47: Period) -> None:
    target = plan_actions.add_target(
        world.item_a, {"indicator": "新增高企", "unit_of_measure": "家", "target_value": 100}, None
    )
    data = ReportInput(progress=Decimal(100), values={target.pk: Decimal(60)})
    report = actions.save_report(world.item_a, week47, data, None, at(2026, 11, 19))
    actions.submit_report(report, None, at(2026, 11, 19))
    actions.accept_report(report, None, at(2026, 11, 19))
    world.item_a.refresh_from_db()
    assert world.item_a.status == "done"
    correction = actions.correct_report(report, None)
    assert (correction.version, correction.corrects, correction.status) == (2, report, "draft")
    assert correction.values.get().value == 60
    with pytest.raises(ReportRefused, match="已有更正版本"):
        actions.correct_report(report, None)
    report.refresh_from_db()
    assert report.status == "accepted" and report.progress == 100


def test_milestones_ticked_and_problems_tracked(world: World, week47: Period) -> None:
    milestone = plan_actions.add_milestone(world.item_a, "完成申报", date(2026, 11, 30), Decimal(1), None)
    data = ReportInput(
        progress=Decimal(30), milestones={milestone.pk}, problems=[("用地指标不足", world.dev)]
    )
    report = actions.save_report(world.item_a, week47, data, None, at(2026, 11, 19))
    actions.submit_report(report, None, at(2026, 11, 19))
    milestone.refresh_from_db()
    assert milestone.done and milestone.done_on == date(2026, 11, 19)
    problem = Problem.objects.get()
    assert (problem.item, problem.asked_unit, problem.status) == (world.item_a, world.dev, "open")
    actions.resolve_problem(problem, "已协调区自然资源局", None, at(2026, 11, 25))
    assert Problem.objects.get().status == "resolved"


def test_foreign_targets_and_milestones_are_refused(world: World, week47: Period) -> None:
    other_target = plan_actions.add_target(world.item_b, {"indicator": "x", "target_value": 1}, None)
    with pytest.raises(ReportRefused, match="不属于该事项"):
        actions.save_report(
            world.item_a,
            week47,
            ReportInput(progress=Decimal(1), values={other_target.pk: Decimal(1)}),
            None,
            at(2026, 11, 19),
        )


def test_evidence_checked_by_content(
    world: World, week47: Period, settings: Settings, tmp_path: pathlib.Path
) -> None:
    settings.DATA_DIR = tmp_path
    report = actions.save_report(
        world.item_a, week47, ReportInput(progress=Decimal(10)), None, at(2026, 11, 19)
    )
    pdf = SimpleUploadedFile("现场照片.pdf", b"%PDF-1.7 minimal")
    evidence = actions.attach_evidence(report, pdf, None)
    assert evidence.content_type == "application/pdf" and evidence_path(evidence).read_bytes().startswith(
        b"%PDF"
    )
    with pytest.raises(ReportRefused, match="不是 PDF"):
        actions.attach_evidence(report, SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable"), None)
    with pytest.raises(ReportRefused, match="10 MB"):
        actions.attach_evidence(
            report, SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)), None
        )
    assert Evidence.objects.count() == 1
