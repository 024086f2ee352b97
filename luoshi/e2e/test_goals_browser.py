"""The line of sight in Debian's Chromium: the supervisor links a measure to an indicator on the measure's page, a
key project to the measure on the project's page and another measure on the indicator's page (filtered, ticked),
and the goal page shows all three, with the what-if; photographed at desk and phone size
(test-artifacts/goal_<width>.png)."""

import pytest
from playwright.sync_api import Browser, expect
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
    for width, height in [(1440, 900), (390, 844)]:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"goal_{width}.png"), full_page=True)
