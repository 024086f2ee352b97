"""The unit head's approvals queue in Debian's Chromium: ten reports of a unit whose reports need approval wait
for its head, who ticks them all and approves them in one action (one confirmation); the office's inbox gets one
line for the batch, and the liaison sees the office accept them. Screenshots at 1440×900 and 390×844."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Dialog, expect
from pytest_django.live_server_helper import LiveServer

from luoshi.e2e.support import ARTIFACTS, PASSWORD, login
from luoshi.notices.models import Notification
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.org.models import Unit, Zone
from luoshi.plans import actions as plan_actions
from luoshi.reporting import actions
from luoshi.reporting.actions import ReportInput
from luoshi.reporting.models import Period, Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = 10


def _ten_submitted(zone: Zone) -> list[Report]:
    """Ten items of the tech unit, reported last week and submitted this week by its liaison."""
    zone.reports_need_approval = True
    zone.save(update_fields=["reports_need_approval"])
    tech = Unit.objects.get(zone=zone, name="区科技创新局")
    head = org_actions.create_person("unithead", PASSWORD, full_name="张建国")
    org_actions.add_member(zone, head, Role.UNIT_HEAD, tech)
    today = timezone.localdate()
    plan = plan_actions.create_plan(
        zone, today.year, f"{today.year}年科技创新重点工作", ["任务", "措施"], None
    )
    task = plan_actions.add_item(plan, None, {"code": "一、", "title": "培育创新主体"}, [], None)
    items = [
        plan_actions.add_item(
            plan,
            task,
            {"code": f"{n}.", "title": f"重点措施{n}：推进科技企业培育第{n}项", "lead_unit": tech},
            [],
            None,
        )
        for n in range(1, ITEMS + 1)
    ]
    plan_actions.issue_plan(plan, None)
    monday = today - timedelta(days=today.weekday())
    cycle = actions.save_cycle(plan, {"cadence": "weekly", "starts_on": monday - timedelta(days=7)}, None)
    actions.ensure_periods(cycle, today + timedelta(days=7))
    now = timezone.now()
    Period.objects.filter(cycle=cycle, starts_on=monday).update(
        due_at=now + timedelta(days=2), closes_at=now + timedelta(days=4)
    )
    period = Period.objects.get(cycle=cycle, starts_on=monday)
    liaison = User.objects.get(username="liaison")
    drafts = [
        actions.save_report(
            item,
            period,
            ReportInput(progress=Decimal(30 + 3 * n), work_done=f"完成第{n}项企业走访"),
            liaison,
            now,
        )
        for n, item in enumerate(items, 1)
    ]
    return actions.submit_reports(drafts, liaison, now)


def test_unit_head_approves_ten_reports_in_one_action(
    live_server: LiveServer, browser: Browser, zone: Zone
) -> None:
    reports = _ten_submitted(zone)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, base, "unithead")
    page.goto(f"{base}/z/e2e/approvals/")
    expect(page.locator('input[name="report"]')).to_have_count(ITEMS)
    expect(page.locator("[data-selected-count]")).to_have_text("已选 0 份")
    page.check("[data-select-all]")
    expect(page.locator("[data-selected-count]")).to_have_text(f"已选 {ITEMS} 份")
    page.screenshot(path=ARTIFACTS / "approvals-1440.png", full_page=True)
    asked: list[str] = []

    def confirm(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", confirm)
    page.click("#batch-approve button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(f"已批准{ITEMS}份报告，已报督查室")
    assert asked == [f"确定批准所选的 {ITEMS} 份报告？批准后报督查室。"]
    assert set(Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True)) == {
        "approved"
    }
    expect(page.locator("#queue-approve")).to_contain_text("没有等待本单位审核的报告")
    [office_line] = Notification.objects.filter(recipient__username="supervisor")
    assert office_line.title.endswith(f"的{ITEMS}份报告已经单位审核（{reports[0].period.label}）")
    context.close()

    # The office accepts them from its own queue; the liaison's inbox says so, once.
    office = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = office.new_page()
    login(page, base, "supervisor")
    page.goto(f"{base}/z/e2e/approvals/")
    expect(page.locator('input[name="report"]')).to_have_count(ITEMS)
    page.check("[data-select-all]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#batch-accept button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(f"已采纳{ITEMS}份报告")
    office.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = phone.new_page()
    login(page, base, "liaison")
    page.goto(f"{base}/z/e2e/inbox/")
    expect(page.locator("body")).to_contain_text(f"的{ITEMS}份报告已被督查室采纳")
    page.screenshot(path=ARTIFACTS / "approvals-liaison-inbox-390.png", full_page=True)
    phone.close()


def test_queue_on_a_phone_and_return_with_a_reason(
    live_server: LiveServer, browser: Browser, zone: Zone
) -> None:
    reports = _ten_submitted(zone)
    base = live_server.url
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = phone.new_page()
    login(page, base, "unithead")
    page.goto(f"{base}/z/e2e/approvals/")
    page.screenshot(path=ARTIFACTS / "approvals-390.png", full_page=True)
    row = page.locator(f"#report-{reports[0].pk}")
    row.locator("summary").click()
    row.locator("input[name=reason]").fill("请补充企业走访的照片")
    row.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已退回")
    assert Report.objects.get(pk=reports[0].pk).status == "returned"
    note = Notification.objects.get(recipient__username="liaison")
    assert "请补充企业走访的照片" in note.body
    page.goto(f"{base}/z/e2e/reports/{reports[1].pk}/")
    expect(page.locator("dl.props")).to_contain_text("计划进度")
    page.screenshot(path=ARTIFACTS / "report-detail-390.png", full_page=True)
    phone.close()
    wide = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = wide.new_page()
    login(page, base, "supervisor")
    page.goto(f"{base}/z/e2e/reports/{reports[1].pk}/")
    page.screenshot(path=ARTIFACTS / "report-detail-1440.png", full_page=True)
    page.goto(f"{base}/z/e2e/review/{reports[1].period_id}/")
    expect(page.locator("table.grid")).to_contain_text("计划进度")
    page.screenshot(path=ARTIFACTS / "review-period-1440.png", full_page=True)
    wide.close()
