"""End to end in Debian's Chromium: a supervisor imports a key-project ledger, finds the lagging ones on the ledger
and the battle map, runs a dispatch meeting; a liaison opens their project on a phone. Run with
`make browser-test`; screenshots go to test-artifacts/."""

import json
import pathlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FilePayload, Page
from pytest_django.live_server_helper import LiveServer

from luoshi.e2e.support import ARTIFACTS, login
from luoshi.org import actions as org_actions
from luoshi.org.models import Zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_imports_a_ledger_sees_the_map_and_runs_a_dispatch(
    live_server: LiveServer, browser: Browser, zone: Zone, tmp_path: pathlib.Path
) -> None:
    """The key-project battle map end to end: a ledger as the office keeps it is imported with a preview, the
    sweep warns about the project whose start is overdue, the map shows it in red, and the weekly dispatch
    meeting goes through it, records a decision and prints the minutes."""
    org_actions.create_park(zone, "东区")
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    login(page, base, "supervisor")
    _import_ledger(page)
    _lagging_on_ledger_and_map(page, base, zone)
    _dispatch_meeting(page, tmp_path)
    context.close()

    # The responsible unit's liaison opens the project on a phone.
    _liaison_opens_project(browser, base)


def _import_ledger(page: Page) -> None:
    from luoshi.projects.tests.workbooks import sample_ledger

    page.click("nav.mainnav >> text=项目")
    page.click("nav.tabs >> text=导入台账")
    page.set_input_files(
        "input[type=file]",
        files=[
            FilePayload(name="重点项目台账.xlsx", mimeType="application/octet-stream", buffer=sample_ledger())
        ],
    )
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("button:has-text('确认导入')")
    preview = page.locator("main").inner_text()
    for expected in ("智能装备产业园", "新能源电池项目", "科创中心一期", "施工许可未办理"):
        assert expected in preview
    assert "合计" not in page.locator("table.grid").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "projects-import-preview.png"), full_page=True)
    page.click("button:has-text('确认导入')")
    page.wait_for_url(re.compile(r"/z/e2e/projects/(\?.*)?$"))
    ledger = page.locator("main").inner_text()
    assert "智能装备产业园" in ledger and "科创中心一期" in ledger


def _lagging_on_ledger_and_map(page: Page, base: str, zone: Zone) -> None:
    from luoshi.alerts.actions import sweep
    from luoshi.projects.actions import boundary as boundary_actions
    from luoshi.projects.tests.geojson import zone_file

    # The sweep finds the project still in planning months after its planned start (March).
    sweep([zone])
    page.goto(f"{base}/z/e2e/projects/?lagging=1")
    lagging = page.locator("main").inner_text()
    assert "科创中心" in lagging and "新能源电池项目" not in lagging
    page.screenshot(path=str(ARTIFACTS / "projects-ledger-lagging.png"), full_page=True)

    # The map over the zone outline, coloured by lag.
    geojson = json.loads(zone_file())
    boundary_actions.set_boundary(zone, "浏览器测试园区", geojson, None)
    page.goto(f"{base}/z/e2e/projects/map/")
    page.wait_for_function("window.mapRendered !== undefined")
    page.check("input[name=colour][value=lag]")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "projects-map.png"), full_page=True)


def _dispatch_meeting(page: Page, tmp_path: Path) -> None:
    from docx import Document

    # This week's dispatch meeting: lagging projects, blockers by unit, a decision, the minutes.
    page.click("nav.tabs >> text=周调度")
    page.click("button:has-text('召开并进入会议')")
    page.wait_for_selector("#decisions")
    assert "科创中心" in page.locator("#lagging").inner_text()
    blockers = page.locator("#blockers").inner_text()
    assert "区发展和改革局" in blockers and "施工许可未办理" in blockers
    page.fill("#decisions textarea[name=text]", "区行政审批服务局一周内办结科创中心施工许可")
    page.click("#decisions button:has-text('记录')")
    page.wait_for_selector("#decisions td:has-text('一周内办结科创中心施工许可')")
    page.screenshot(path=str(ARTIFACTS / "projects-dispatch.png"), full_page=True)
    with page.expect_download() as download_info:
        page.click("text=下载会议纪要（Word）")
    minutes = tmp_path / "minutes.docx"
    download_info.value.save_as(minutes)
    text = "\n".join(p.text for p in Document(str(minutes)).paragraphs)
    tables = "\n".join(
        cell.text for t in Document(str(minutes)).tables for row in t.rows for cell in row.cells
    )
    assert "周调度会议纪要" in text
    assert "科创中心" in tables and "施工许可未办理" in tables and "一周内办结科创中心施工许可" in tables


def _liaison_opens_project(browser: Browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    login(page, base, "liaison")
    page.goto(f"{base}/z/e2e/projects/")
    page.click("text=智能装备产业园")
    page.wait_for_selector("text=用地指标未落实")
    page.screenshot(path=str(ARTIFACTS / "projects-detail-phone.png"), full_page=True)
    context.close()
