"""Every review step tells the next person: an inbox line (and an email) each, one robot message per unit and
batch, in the step's own transaction, never twice for the same step."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from pytest_django import Settings

from luoshi.conftest import World
from luoshi.notices.actions import create_endpoint
from luoshi.notices.choices import Channel, NoticeKind, Platform
from luoshi.notices.models import Notification, OutboxMessage
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import PlanItem
from luoshi.reporting import actions, review_notices
from luoshi.reporting.actions import ReportInput, ReportRefused
from luoshi.reporting.models import Period, Report
from luoshi.reporting.tests.conftest import at


def _needs_approval(world: World, needed: bool = True) -> None:
    world.zone.reports_need_approval = needed
    world.zone.save(update_fields=["reports_need_approval"])


def _robot(world: World) -> None:
    create_endpoint(
        world.zone,
        {
            "name": "科技局工作群",
            "platform": Platform.WECOM,
            "url": "https://qyapi.weixin.qq.com/x",
            "unit": world.tech,
        },
        None,
    )


def _items(world: World, n: int) -> list[PlanItem]:
    items = [world.item_a]
    for i in range(n - 1):
        items.append(
            plan_actions.add_item(
                world.plan,
                world.task,
                {"code": f"{i + 10}.", "title": f"科技事项{i}", "lead_unit": world.tech},
                [],
                None,
            )
        )
    return items


def _submitted(world: World, period: Period, items: list[PlanItem]) -> list[Report]:
    liaison = world.user("liaison")
    reports = []
    for item in items:
        data = ReportInput(progress=Decimal("37.5"), work_done="完成申报", next_plan="评审")
        draft = actions.save_report(item, period, data, liaison, at(2026, 11, 18, 9))
        reports.append(actions.submit_report(draft, liaison, at(2026, 11, 18, 10)))
    return reports


def _inbox(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def _robot_messages() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(channel=Channel.WEBHOOK).order_by("pk"))


def test_submitted_goes_to_the_unit_head_when_approval_is_needed(world: World, week47: Period) -> None:
    _needs_approval(world)
    _robot(world)
    [report] = _submitted(world, week47, [world.item_a])
    [line] = _inbox(world.user("unithead"))
    assert line.kind == NoticeKind.REPORT
    assert line.title == "【报告待审核】区科技创新局：培育高新技术企业（2026年第47周）"
    assert "1.培育高新技术企业：进度37.5%" in line.body and "提交人：liaison" in line.body
    assert line.link == f"/z/alpha/reports/{report.pk}/"
    assert _inbox(world.user("supervisor")) == []
    [robot] = _robot_messages()
    assert robot.subject == line.title


def test_submitted_goes_to_the_office_without_approval(world: World, week47: Period) -> None:
    _submitted(world, week47, [world.item_a])
    assert [n.title for n in _inbox(world.user("supervisor"))] == [
        "【报告待审核】区科技创新局：培育高新技术企业（2026年第47周）"
    ]
    assert _inbox(world.user("unithead")) == []


def test_returned_tells_the_liaison_with_the_reason(world: World, week47: Period) -> None:
    [report] = _submitted(world, week47, [world.item_a])
    actions.return_report(report, "请补充佐证材料", world.user("supervisor"), at(2026, 11, 19, 9))
    [line] = _inbox(world.user("liaison"))
    assert line.kind == NoticeKind.REPORT_RETURNED
    assert "退回原因：请补充佐证材料" in line.body and "退回人：supervisor" in line.body


def test_resubmitted_after_return_is_told_again(world: World, week47: Period) -> None:
    [report] = _submitted(world, week47, [world.item_a])
    actions.return_report(report, "请补充", world.user("supervisor"), at(2026, 11, 19, 9))
    actions.submit_report(report, world.user("liaison"), at(2026, 11, 19, 10))
    assert len(_inbox(world.user("supervisor"))) == 2


def test_approved_goes_to_the_office_and_accepted_to_the_filer(world: World, week47: Period) -> None:
    _needs_approval(world)
    [report] = _submitted(world, week47, [world.item_a])
    actions.approve_report(report, world.user("unithead"), at(2026, 11, 18, 11))
    assert [n.title for n in _inbox(world.user("supervisor"))] == [
        "【报告待采纳】区科技创新局：培育高新技术企业（2026年第47周）已经单位审核"
    ]
    actions.accept_report(report, world.user("supervisor"), at(2026, 11, 19, 9))
    assert [n.title for n in _inbox(world.user("liaison"))] == [
        "【报告已采纳】培育高新技术企业（2026年第47周）"
    ]


def test_batch_approval_tells_once_per_unit(world: World, week47: Period) -> None:
    _needs_approval(world)
    _robot(world)
    reports = _submitted(world, week47, _items(world, 10))
    assert len(_inbox(world.user("unithead"))) == 10  # submitted one by one: one line each
    robots_before = len(_robot_messages())
    approved = actions.approve_reports(reports, world.user("unithead"), at(2026, 11, 18, 11))
    assert {r.status for r in approved} == {"approved"}
    [line] = _inbox(world.user("supervisor"))
    assert line.title == "【报告待采纳】区科技创新局的10份报告已经单位审核（2026年第47周）"
    assert line.link == "/z/alpha/approvals/"
    assert len(_robot_messages()) == robots_before + 1
    accepted = actions.accept_reports(approved, world.user("supervisor"), at(2026, 11, 19, 9))
    assert {r.status for r in accepted} == {"accepted"}
    assert [n.title for n in _inbox(world.user("liaison"))] == [
        "【报告已采纳】区科技创新局的10份报告已被督查室采纳（2026年第47周）"
    ]


def test_submit_all_tells_once(world: World, week47: Period) -> None:
    liaison = world.user("liaison")
    data = ReportInput(progress=Decimal(20), work_done="完成申报")
    drafts = [actions.save_report(i, week47, data, liaison, at(2026, 11, 18, 9)) for i in _items(world, 3)]
    actions.submit_reports(drafts, liaison, at(2026, 11, 18, 10))
    [line] = _inbox(world.user("supervisor"))
    assert line.title == "【报告待审核】区科技创新局报送了3份报告（2026年第47周）"


def test_a_refused_batch_writes_nothing(world: World, week47: Period) -> None:
    _needs_approval(world)
    reports = _submitted(world, week47, _items(world, 3))
    actions.approve_report(reports[1], world.user("unithead"), at(2026, 11, 18, 11))
    Notification.objects.all().delete()
    with pytest.raises(ReportRefused, match="科技事项0"):
        actions.approve_reports(reports, world.user("unithead"), at(2026, 11, 18, 12))
    assert Notification.objects.count() == 0
    assert [Report.objects.get(pk=r.pk).status for r in reports] == ["submitted", "approved", "submitted"]


def test_a_rolled_back_step_tells_nobody(world: World, week47: Period) -> None:
    [report] = _submitted(world, week47, [world.item_a])
    Notification.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.accept_report(report, world.user("supervisor"), at(2026, 11, 19, 9))
        raise RuntimeError
    assert Notification.objects.count() == 0


def test_unit_without_a_head_falls_back_to_the_office(world: World, week47: Period) -> None:
    _needs_approval(world)
    item = world.item_b
    liaison = world.user("liaison_dev")
    draft = actions.save_report(
        item, week47, ReportInput(progress=Decimal(5), work_done="x"), liaison, at(2026, 11, 18)
    )
    actions.submit_report(draft, liaison, at(2026, 11, 18, 1))
    assert len(_inbox(world.user("supervisor"))) == 1


def test_emails_queued_for_people_with_an_address(world: World, week47: Period, settings: Settings) -> None:
    settings.LUOSHI_EMAIL_ENABLED = True
    head = world.user("unithead")
    head.email = "head@example.cn"
    head.save()
    _needs_approval(world)
    _submitted(world, week47, [world.item_a])
    [mail] = OutboxMessage.objects.filter(channel=Channel.EMAIL)
    assert mail.to_address == "head@example.cn" and mail.subject.startswith("【报告待审核】")


def test_inactive_people_are_not_told(world: World, week47: Period) -> None:
    extra = org_actions.create_person("head2", "pw-123456789", full_name="王主任")
    org_actions.add_member(world.zone, extra, Role.UNIT_HEAD, world.tech)
    extra.is_active = False
    extra.save()
    _needs_approval(world)
    _submitted(world, week47, [world.item_a])
    assert _inbox(extra) == [] and len(_inbox(world.user("unithead"))) == 1


def test_a_batch_inside_a_batch_tells_once(world: World, week47: Period) -> None:
    _needs_approval(world)
    reports = _submitted(world, week47, _items(world, 4))
    with transaction.atomic(), review_notices.batch():
        actions.approve_reports(reports[:2], world.user("unithead"), at(2026, 11, 18, 11))
        actions.approve_report(reports[2], world.user("unithead"), at(2026, 11, 18, 11))
        actions.approve_reports(reports[3:], world.user("unithead"), at(2026, 11, 18, 11))
    [line] = _inbox(world.user("supervisor"))
    assert line.title == "【报告待采纳】区科技创新局的4份报告已经单位审核（2026年第47周）"
    assert "科技事项0：进度37.5%" in line.body and "审核人：unithead" in line.body
