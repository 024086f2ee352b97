"""The line of sight in Debian's Chromium: the supervisor links a measure to an indicator on the measure's page, a
key project to the measure on the project's page and another measure on the indicator's page (filtered, ticked),
and the goal page shows all three, with the what-if; then drafts the month's 督查通报, rewrites a paragraph and
issues it, and a liaison finds it in the inbox. Photographed at desk and phone size (test-artifacts/goal_<width>.png,
bulletin_<role>_<width>.png)."""

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from luoshi.alerts.models import Warning
from luoshi.conftest import PASSWORD, World
from luoshi.e2e.support import ARTIFACTS
from luoshi.goals.tests.conftest import NOW, National, national  # noqa: F401  # the fixture, used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_link_and_see_the_goal_change(
    live_server: LiveServer,
    browser: Browser,
    world: World,
    national: National,  # noqa: F811
) -> None:
    Warning.objects.create(
        zone=world.zone, rule="PROJECT_INVESTMENT", project=national.project, unit=world.dev, level="red",
        reason="投资滞后序时", opened_at=NOW, updated_at=NOW,
    )  # fmt: skip
    base = live_server.url
    page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/z/alpha/")

    page.goto(f"{base}/z/alpha/items/{world.item_b.pk}/")
    sight = page.locator('[data-testid="item-sight"]')
    sight.locator('[data-testid="indicator-choice"]').select_option(label="每万人发明专利授权数（PAT）")
    sight.get_by_role("button", name="关联").click()
    expect(page.get_by_text("已关联 1 项指标")).to_be_visible()

    page.goto(f"{base}/z/alpha/projects/{national.project.pk}/")
    project = page.locator('[data-testid="project-sight"]')
    project.locator('[data-testid="item-choice"]').select_option(value=str(world.item_b.pk))
    project.get_by_role("button", name="关联").click()
    expect(page.get_by_text("已关联 1 项任务")).to_be_visible()

    # Many measures at once on the indicator's page, found by the filter.
    page.goto(f"{base}/z/alpha/goals/indicators/{national.indicators['RD'].pk}/")
    bulk = page.locator('[data-testid="bulk-link"]')
    bulk.locator("[data-filter-rows]").fill("培育")
    expect(bulk.locator("tr:visible")).to_have_count(1)
    bulk.locator(f'input[name="item"][value="{world.item_a.pk}"]').check()
    bulk.get_by_role("button", name="关联所选事项").click()
    expect(page.locator('[data-testid="movers"]')).to_contain_text("培育高新技术企业")

    page.goto(f"{base}/z/alpha/goals/")  # the only goal
    expect(page.locator('[data-figure="rank"]')).to_have_text("3")
    row = page.locator('[data-testid="indicators"] tr[data-code="PAT"]')
    expect(row).to_contain_text("建设创新平台")
    expect(row).to_contain_text("研发中心大楼")
    expect(row.locator('[data-health="red"]').first).to_be_visible()  # the project's red warning rolls up
    expect(page.locator('[data-testid="indicators"] tr[data-code="RD"]')).to_contain_text("培育高新技术企业")
    page.locator(f'[data-testid="whatif-form"] input[name="item"][value="{world.item_b.pk}"]').check()
    expect(page.locator('[data-testid="whatif"]')).to_contain_text("测算：得分")
    _shots(page, "goal")
    page.set_viewport_size({"width": 1440, "height": 900})
    _bulletin(page, base)
    _liaison_reads_it(browser, base)


def _shots(page: Page, name: str) -> None:
    for width, height in [(1440, 900), (390, 844)]:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}_{width}.png"), full_page=True)


def _bulletin(page: Page, base: str) -> None:
    """Draft last month's bulletin, rewrite its first paragraph in place, issue it."""
    page.goto(f"{base}/z/alpha/bulletins/")
    page.get_by_test_id("draft-bulletin").click()
    expect(page.get_by_test_id("bulletin-status")).to_have_text("草稿")
    expect(page.get_by_test_id("bulletin")).to_contain_text("一、总体推进情况")
    first = page.get_by_test_id("para-0-0")
    first.get_by_role("button", name="修改").click()
    page.locator("textarea[name=text]").fill("截至月底，全区重点工作总体按计划推进。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_test_id("para-0-0")).to_contain_text("截至月底，全区重点工作总体按计划推进。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("issue-bulletin").click()
    expect(page.get_by_test_id("bulletin-status")).to_have_text("已印发")
    expect(page.get_by_role("heading", level=1)).to_contain_text("第1期")
    expect(page.get_by_role("button", name="修改")).to_have_count(0)  # issued: never changed again
    _shots(page, "bulletin_supervisor")


def _liaison_reads_it(browser: Browser, base: str) -> None:
    page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "liaison")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/z/alpha/inbox/")
    notice = page.get_by_text("督查通报", exact=False).filter(has_text="第1期").first
    expect(notice).to_be_visible()
    notice.click()
    expect(page.get_by_test_id("para-0-0")).to_contain_text("截至月底，全区重点工作总体按计划推进。")
    _shots(page, "bulletin_liaison")
