"""The four role home pages in Debian's Chromium: each opens, is photographed at desk and phone size
(test-artifacts/home_<role>_<width>.png), and a number on it leads to a list showing that many rows."""

from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from luoshi.conftest import PASSWORD
from luoshi.e2e.support import ARTIFACTS
from luoshi.front.tests.conftest import NOW, Desk, desk  # noqa: F401  # the fixture, used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1440, 900), (390, 844)]


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """The desk's Thursday 2 July 2026, with the clock running (the live server and the browser wait on it)."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def _home(browser: Browser, base: str, username: str, name: str) -> Page:
    """Sign in, open the home page, photograph it at both sizes; the page is left at desk size."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/z/alpha/")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"home_{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    return page


def _rows(page: Page, selector: str = "table.grid tbody tr") -> int:
    return page.locator(selector).filter(has_not=page.locator("td.muted[colspan]")).count()


def _number(page: Page, count: str) -> int:
    return int(page.locator(f'[data-count="{count}"]').first.inner_text())


def test_leader_cockpit(live_server: LiveServer, browser: Browser, desk: Desk) -> None:  # noqa: F811
    page = _home(browser, live_server.url, "leader", "cockpit")
    assert page.locator("h1", has_text="领导驾驶舱").is_visible()
    behind = _number(page, "behind")
    page.click('[data-count="behind"]')
    page.wait_for_url("**/items/?pace=behind")
    assert _rows(page, "[data-testid=item-table] tbody tr") == behind == 2
    page.go_back()
    red = _number(page, "red")
    page.click('[data-testid="red-tile"]')
    page.wait_for_url("**/warnings/?level=red")
    assert _rows(page) == red == 1


def test_supervisor_workbench(live_server: LiveServer, browser: Browser, desk: Desk) -> None:  # noqa: F811
    page = _home(browser, live_server.url, "supervisor", "workbench")
    assert page.locator("h1", has_text="督查工作台").is_visible()
    overdue = _number(page, "orders-overdue")
    page.click('[data-testid="overdue-orders-tile"]')
    page.wait_for_url("**/orders/?overdue=1")
    assert _rows(page) == overdue == 1
    page.go_back()
    feedback = _number(page, "feedback")
    page.click('[data-testid="feedback-tile"]')
    page.wait_for_url("**/orders/?state=feedback")
    assert _rows(page) == feedback == 1
    page.go_back()
    waiting = _number(page, "new-warnings")
    page.click('[data-testid="triage-tile"]')
    page.wait_for_url("**/warnings/?state=triage")
    assert _rows(page) == waiting == 1
    page.go_back()
    # Triage from the workbench: dismiss with a reason, confirm, and the queue is empty.
    row = page.locator('[data-testid="triage-row"]').first
    row.locator("summary").click()
    row.locator("textarea").fill("该事项时限已经区政府常务会议研究调整")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="核销").click()
    page.wait_for_url("**/z/alpha/#triage")
    assert _number(page, "new-warnings") == 0 and page.get_by_text("预警已核销").is_visible()


def test_unit_head_home(live_server: LiveServer, browser: Browser, desk: Desk) -> None:  # noqa: F811
    desk.world.zone.reports_need_approval = True  # the head approves before the office sees a report
    desk.world.zone.save(update_fields=["reports_need_approval"])
    page = _home(browser, live_server.url, "unithead", "unit")
    assert page.locator("h1", has_text="单位工作台").is_visible()
    approvals = _number(page, "approvals")
    page.click('[data-testid="approvals-tile"]')
    page.wait_for_url("**/approvals/")
    assert _rows(page, "tr[id^=report-]") == approvals == 1
    page.go_back()
    orders = _number(page, "orders")
    page.click('[data-testid="orders-tile"]')
    page.wait_for_url("**/orders/?unit=*")
    assert _rows(page) == orders == 1


def test_liaison_home(live_server: LiveServer, browser: Browser, desk: Desk) -> None:  # noqa: F811
    page = _home(browser, live_server.url, "liaison_dev", "liaison")
    assert page.locator("h1", has_text="本周填报").is_visible()
    section = page.locator('[data-testid="week-section"]').first
    titles = [li.get_attribute("data-title") or "" for li in section.locator(".rowlist li").all()]
    assert len(titles) == 2 and all(titles)
    assert _number(page, "open") == 4  # both items, last week's (补报) and this week's
    page.click('[data-testid="fill-button"]')
    page.wait_for_url("**/reports/")
    body = page.locator("main").inner_text()
    assert all(title in body for title in titles)
