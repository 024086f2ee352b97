"""The weekly report in Debian's Chromium: a liaison fills ten items, each starting from what the unit reported
last week, and hands them all in with "全部报送". The clicks and the time it takes are printed and written to
test-artifacts/weekly-benchmark.txt (docs/benchmarks.md quotes them); screenshots at 1440×900 and 390×844."""

import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Dialog, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from luoshi.e2e.support import ARTIFACTS, login
from luoshi.org.models import Unit, Zone
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import PlanItem
from luoshi.reporting import actions
from luoshi.reporting.actions import ReportInput
from luoshi.reporting.models import Period, Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = 10
BACKWARDS = 3  # the item whose progress goes down this week, which asks for a reason


def _week(zone: Zone) -> tuple[Period, list[PlanItem]]:
    """Ten items led by the liaison's unit, each reported last week; this week's period open for two more days
    whatever today is (the deadline is moved to suit the test, not the rules)."""
    tech = Unit.objects.get(zone=zone, name="区科技创新局")
    today = timezone.localdate()
    plan = plan_actions.create_plan(
        zone, today.year, f"{today.year}年科技创新重点工作", ["任务", "措施"], None
    )
    task = plan_actions.add_item(plan, None, {"code": "一、", "title": "培育创新主体"}, [], None)
    items = []
    for n in range(1, ITEMS + 1):
        fields = {
            "code": f"{n}.",
            "title": f"重点措施{n}：推进科技企业培育第{n}项",
            "lead_unit": tech,
            "start_date": date(today.year, 1, 1),
            "due_date": date(today.year, 12, 31),
        }
        item = plan_actions.add_item(plan, task, fields, [], None)
        if n % 3 == 1:
            plan_actions.add_target(
                item, {"indicator": "新增高新技术企业", "target_value": 20, "unit_of_measure": "家"}, None
            )
        items.append(item)
    plan_actions.issue_plan(plan, None)
    monday = today - timedelta(days=today.weekday())
    cycle = actions.save_cycle(
        plan, {"cadence": "weekly", "starts_on": monday - timedelta(days=14), "grace_days": 0}, None
    )
    actions.ensure_periods(cycle, today + timedelta(days=7))
    last = Period.objects.get(cycle=cycle, starts_on=monday - timedelta(days=7))
    now = timezone.now()
    Period.objects.filter(cycle=cycle, starts_on=monday).update(
        due_at=now + timedelta(days=2), closes_at=now + timedelta(days=4)
    )
    at = datetime.combine(last.starts_on + timedelta(days=4), datetime.min.time(), tzinfo=now.tzinfo)
    for n, item in enumerate(items, 1):
        data = ReportInput(
            progress=Decimal(40 + 4 * n),
            work_done=f"完成第{n}项企业走访，梳理培育清单",
            next_plan=f"组织第{n}批企业申报辅导",
            values={t.pk: Decimal(n) for t in item.targets.all()},
        )
        actions.file_report(item, last, data, None, True, None, at + timedelta(hours=10))
    return Period.objects.get(cycle=cycle, starts_on=monday), items


def test_liaison_fills_ten_items_and_submits_them_all(
    live_server: LiveServer, browser: Browser, zone: Zone
) -> None:
    period, items = _week(zone)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, base, "liaison")
    clicks = 0
    started = time.monotonic()
    page.goto(f"{base}/z/e2e/reports/")
    counter = page.locator(f"#bar-{period.pk} [data-counter]")
    expect(counter).to_have_text("已报送 0 / 10")
    expect(page.locator(".prefill-note")).to_have_count(ITEMS)
    page.screenshot(path=ARTIFACTS / "weekly-fill-1440.png")
    height = page.evaluate("document.documentElement.scrollHeight")
    for n, item in enumerate(items, 1):
        clicks += _fill_item(page, page.locator(f"#card-{period.pk}-{item.pk}"), n)
    submit_all = page.locator(f"#bar-{period.pk} [data-submit-all]")
    expect(submit_all).to_have_text("全部报送（9 项）")  # the tenth is still being typed
    asked: list[str] = []

    def confirm(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", confirm)
    submit_all.click()
    clicks += 2  # the button and the confirmation's OK
    expect(page.locator(".messages")).to_contain_text("已报送 10 份报告")
    seconds = time.monotonic() - started
    expect(page.locator(f"#bar-{period.pk} [data-counter]")).to_have_text("已报送 10 / 10")
    assert asked and "确认报送以下 10 项" in asked[0]
    reports = Report.objects.filter(period=period)
    assert reports.count() == ITEMS and set(reports.values_list("status", flat=True)) == {"submitted"}
    backwards = reports.get(item=items[BACKWARDS - 1])
    assert backwards.progress == 40 + 4 * BACKWARDS - 2 and backwards.regress_reason.startswith("统计口径")
    assert reports.get(item=items[0]).work_done == "组织第1批企业申报辅导，已完成"
    assert reports.get(item=items[-1]).work_done == f"组织第{ITEMS}批企业申报辅导，已完成"
    page.screenshot(path=ARTIFACTS / "weekly-fill-done-1440.png", full_page=True)
    context.close()
    summary = (
        f"weekly report, {ITEMS} items: {clicks} clicks, {seconds:.1f} s (Playwright, typing at full speed); "
        f"page {height} px high at 1440x900 before filling"
    )
    print(summary)
    (ARTIFACTS / "weekly-benchmark.txt").write_text(summary + "\n")
    assert clicks <= 3 * ITEMS + 3


def _fill_item(page: Page, card: Locator, n: int) -> int:
    """Fill one item as a person would: this week's progress, then finish the work text prefilled from last
    week's plan; leaving the field saves the draft. Returns the clicks it took."""
    clicks = 0
    progress = card.locator("input[name=progress]")
    progress.click()
    clicks += 1
    progress.fill(str(40 + 4 * n - 2 if n == BACKWARDS else 40 + 4 * n + 5))
    if n == BACKWARDS:  # going backwards asks for the reason right there, before anything is sent
        regress = card.locator("[data-regress]")
        expect(regress).to_be_visible()
        expect(regress).to_have_class("field wide regress needed")
        expect(card.locator("[data-gap]")).to_contain_text("个百分点")
        regress.locator("input").click()
        clicks += 1
        regress.locator("input").fill("统计口径调整，剔除一家迁出企业")
    work = card.locator("textarea[name=work_done]")
    work.click()
    clicks += 1
    work.press("End")
    work.type("，已完成")
    if n == ITEMS:
        return clicks  # straight on to "全部报送", which saves what is still being typed first
    work.press("Tab")  # leaves the field: the change saves the draft
    expect(card.locator(".autosave-ok")).to_contain_text("已自动保存", timeout=10_000)
    if n == BACKWARDS:
        page.screenshot(path=ARTIFACTS / "weekly-fill-regress-1440.png")
    return clicks


def test_phone_shows_one_item_a_screen(live_server: LiveServer, browser: Browser, zone: Zone) -> None:
    period, items = _week(zone)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    login(page, live_server.url, "liaison")
    page.goto(f"{live_server.url}/z/e2e/reports/")
    first = page.locator(f"#card-{period.pk}-{items[0].pk}")
    second = page.locator(f"#card-{period.pk}-{items[1].pk}")
    box = first.bounding_box()
    assert box is not None and box["height"] >= 844 * 0.8  # an item fills the screen
    page.screenshot(path=ARTIFACTS / "weekly-fill-390.png")
    first.locator("[data-next-card]").click()
    expect(second.locator("input[name=progress]")).to_be_focused()
    page.wait_for_timeout(600)
    top = second.bounding_box()
    assert top is not None and 0 <= top["y"] < 844 * 0.2  # the next item is now at the top of the screen
    page.screenshot(path=ARTIFACTS / "weekly-fill-390-next.png")
    context.close()
