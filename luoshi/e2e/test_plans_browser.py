"""End to end in Debian's Chromium: a supervisor imports, checks and exports a plan; a liaison sees only their
unit; a large plan opens on demand; a weekly reporting cycle. Run with `make browser-test`; screenshots go to
test-artifacts/."""

import pathlib
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Browser, FilePayload, Page
from pytest_django.live_server_helper import LiveServer

from luoshi.e2e.support import ARTIFACTS, login
from luoshi.org.models import Zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _task_list() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年科技创新重点任务分解表"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"])
    ws.append([1, "一、培育创新主体", "1.实施高企倍增计划", "区科技局", "区财政局", "6月底前"])
    ws.append([2, None, "2.建设科技企业孵化器", "区发改局", "区科技创新局、区财政局", "年底前"])
    ws.append([3, "二、集聚创新人才", "1.引进高层次人才团队", "区人社局", "区科技创新局", "第三季度"])
    ws.append([4, None, "2.优化人才服务", "区人社局", None, "持续推进"])
    ws.merge_cells("B3:B4")
    ws.merge_cells("B5:B6")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_supervisor_imports_exports_and_liaison_sees_own_items(
    live_server: LiveServer, browser: Browser, zone: Zone, tmp_path: pathlib.Path
) -> None:
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    login(page, base, "supervisor")
    _import_task_list(page)
    _check_imported_tree(page)
    _export_and_issue(page, tmp_path)
    context.close()
    _liaison_sees_own_items(browser, base)


def _import_task_list(page: Page) -> None:
    """Upload the task list, create the unit the zone lacks from the preview, and confirm."""
    page.click("text=年度计划")  # the plans tab of the office's workbench
    page.click("text=导入计划")
    page.set_input_files(
        "input[type=file]",
        files=[FilePayload(name="任务分解表.xlsx", mimeType="application/octet-stream", buffer=_task_list())],
    )
    page.fill("#id_year", "2026")
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("text=导入预览")
    # 区人社局 is not a unit of the zone: the preview says where and lets the supervisor create it.
    assert page.locator("table.problems").inner_text().count("区人社局") == 1
    page.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    page.select_option("select[name=unit-1]", label="新建为部门")
    page.click("button:has-text('确认导入')")
    page.wait_for_selector("#tree")


def _check_imported_tree(page: Page) -> None:
    rows = page.locator("#tree tr[data-path]")
    assert rows.count() == 6
    text = page.locator("#tree").inner_text()
    for expected in [
        "培育创新主体",
        "实施高企倍增计划",
        "区科技创新局",
        "区人社局",
        "2026-06-30",
        "持续推进",
    ]:
        assert expected in text
    page.screenshot(path=str(ARTIFACTS / "plan-tree-supervisor.png"), full_page=True)

    # Collapse a task on the client.
    page.locator("#tree tr.d1 .toggle").first.click()
    assert page.locator("#tree tr.hidden").count() == 2


def _export_and_issue(page: Page, tmp_path: Path) -> None:
    """The export keeps the title row and the merged cells; then the plan is issued."""
    with page.expect_download() as download_info:
        page.click("text=导出 Excel")
    exported = tmp_path / "export.xlsx"
    download_info.value.save_as(exported)
    ws = load_workbook(exported).active
    assert ws["A1"].value == "2026年科技创新重点任务分解表"
    assert "B3:B4" in {str(r) for r in ws.merged_cells.ranges}

    page.click("button:has-text('下发到责任单位')")
    page.wait_for_selector("text=计划已下发")


def _liaison_sees_own_items(browser: Browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")  # a phone
    page = context.new_page()
    login(page, base, "liaison")
    page.click("text=年度计划")  # the plans tab beside the liaison's items of the week
    page.click(".plan-card")
    page.wait_for_selector("#tree")
    text = page.locator("#tree").inner_text()
    assert "实施高企倍增计划" in text and "建设科技企业孵化器" in text and "引进高层次人才团队" in text
    assert "优化人才服务" not in text
    page.screenshot(path=str(ARTIFACTS / "plan-tree-liaison-phone.png"), full_page=True)
    context.close()


def test_large_plan_opens_subtrees_on_demand(live_server: LiveServer, browser: Browser, zone: Zone) -> None:
    from luoshi.org.models import Unit
    from luoshi.plans.models import Plan, PlanItem

    tech = Unit.objects.get(zone=zone, name="区科技创新局")
    plan = Plan.objects.create(
        zone=zone, year=2026, title="大型计划", level_names=["任务", "措施"], status="issued"
    )
    tasks = PlanItem.objects.bulk_create(
        PlanItem(zone=zone, plan=plan, path=PlanItem.segment(t), depth=1, title=f"任务{t}") for t in range(30)
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            zone=zone,
            plan=plan,
            parent=task,
            path=task.path + PlanItem.segment(m),
            depth=2,
            title=f"措施{t}-{m}",
            lead_unit=tech,
        )
        for t, task in enumerate(tasks)
        for m in range(20)
    )
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    login(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/z/e2e/plans/{plan.pk}/")
    rows = page.locator("#tree tr[data-path]")
    assert rows.count() == 30
    page.locator("#tree tr[data-path='0002'] .toggle").click()
    page.wait_for_selector("text=措施2-19")
    assert rows.count() == 50
    page.locator("#tree tr[data-path='0002'] .toggle").click()  # collapses on the client, no new request
    assert page.locator("#tree tr.hidden").count() == 20
    page.locator("#tree tr[data-path='0002'] .toggle").click()
    assert page.locator("#tree tr.hidden").count() == 0 and rows.count() == 50
    page.screenshot(path=str(ARTIFACTS / "plan-tree-on-demand.png"), full_page=False)


def test_weekly_report_cycle(live_server: LiveServer, browser: Browser, zone: Zone) -> None:
    """A liaison fills this week's report, the supervision office returns it, the liaison resubmits, the office
    accepts it."""
    _weekly_plan(zone)
    _liaison_submits(browser, live_server.url)
    _supervisor_returns(browser, live_server.url)
    _liaison_resubmits_on_phone(browser, live_server.url)
    _supervisor_accepts(browser, live_server.url)


def _weekly_plan(zone: Zone) -> None:
    """An issued plan with one measure led by 区科技创新局, reported on weekly from this week."""
    from datetime import timedelta

    from django.utils import timezone

    from luoshi.org.models import Unit
    from luoshi.plans import actions as plan_actions
    from luoshi.reporting import actions as report_actions

    tech = Unit.objects.get(zone=zone, name="区科技创新局")
    plan = plan_actions.create_plan(zone, timezone.localdate().year, "周报测试计划", ["任务", "措施"], None)
    task = plan_actions.add_item(plan, None, {"code": "一、", "title": "科技创新"}, [], None)
    plan_actions.add_item(
        plan, task, {"code": "1.", "title": "实施高企倍增计划", "lead_unit": tech}, [], None
    )
    plan_actions.issue_plan(plan, None)
    today = timezone.localdate()
    cycle = report_actions.save_cycle(
        plan, {"cadence": "weekly", "starts_on": today - timedelta(days=today.weekday())}, None
    )
    report_actions.ensure_periods(cycle, today + timedelta(days=7))


def _liaison_submits(browser: Browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, base, "liaison")
    page.click("text=填报")
    card = page.locator(".report-card").first
    card.locator("input[name=progress]").fill("35")
    card.locator("textarea[name=work_done]").fill("完成高企申报培训两场")
    card.locator("button[name=submit]").click()
    page.wait_for_selector(".report-card >> text=已提交")
    page.screenshot(path=str(ARTIFACTS / "report-submitted.png"), full_page=True)
    context.close()


def _supervisor_returns(browser: Browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, base, "supervisor")
    page.click("text=报送")
    page.wait_for_selector("text=实施高企倍增计划")
    page.click("text=查看/退回")
    page.fill("input[name=reason]", "请补充佐证材料")
    page.click("button:has-text('退回')")
    page.wait_for_selector("text=已退回")
    context.close()


def _liaison_resubmits_on_phone(browser: Browser, base: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN"
    )  # the liaison's phone
    page = context.new_page()
    login(page, base, "liaison")
    page.click("text=填报")
    page.wait_for_selector("text=请补充佐证材料")
    card = page.locator(".report-card").first
    card.locator("input[name=progress]").fill("40")
    card.locator("input[name=evidence]").set_input_files(
        files=[FilePayload(name="培训照片.pdf", mimeType="application/pdf", buffer=b"%PDF-1.4 demo")]
    )
    card.locator("button[name=submit]").click()
    page.wait_for_selector(".report-card >> text=已提交")
    page.screenshot(path=str(ARTIFACTS / "report-resubmitted-phone.png"), full_page=True)
    context.close()


def _supervisor_accepts(browser: Browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, base, "supervisor")
    page.click("text=报送")
    page.click("button:has-text('采纳')")
    page.wait_for_selector("text=督查室已采纳")
    page.screenshot(path=str(ARTIFACTS / "review-accepted.png"), full_page=True)
    context.close()
