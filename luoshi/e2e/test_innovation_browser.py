"""The innovation points in Debian's Chromium: the office imports the statistics bureau's sheet and settles the
conflict it makes; an enterprise corrects a figure with evidence and the office verifies it; the office drafts
and publishes a framework version, scores the year, reads an enterprise's explanation and shares a bank list;
the bank's account sees that list and nothing else. Photographed at desk and phone size
(test-artifacts/innovation_<page>_<width>.png)."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from luoshi.conftest import PASSWORD, World
from luoshi.e2e.support import ARTIFACTS
from luoshi.innovation import actions
from luoshi.innovation.tests.conftest import NOW, Innov, innov  # noqa: F401  # the fixture, by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUTSIDE_PASSWORD = "Outside-pass-2026"
PHONE: ViewportSize = {"width": 390, "height": 844}


def _page(browser: Browser, base: str, username: str, password: str = PASSWORD) -> Page:
    page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def _shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"innovation_{name}_1440.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS / f"innovation_{name}_390.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_department_sheet_and_a_settled_conflict(
    live_server: LiveServer,
    browser: Browser,
    world: World,
    innov: Innov,  # noqa: F811
    tmp_path: Path,
) -> None:
    base = live_server.url
    sheet = tmp_path / "统计局研发数据.csv"
    codes = [e.credit_code for e in innov.enterprises[:2]]
    sheet.write_text(
        "2025年规上工业企业研发情况\n统计一科\n统一社会信用代码,企业名称,研发费用（万元）\n"
        f"{codes[0]},青岛芯云科技有限公司,150\n{codes[1]},青岛海德材料有限公司,40\n",
        encoding="utf-8",
    )
    page = _page(browser, base, "supervisor")
    page.goto(f"{base}/z/alpha/innovation/data/?year=2025")
    form = page.locator('[data-testid="upload-form"]')
    form.locator('input[type="file"]').set_input_files(str(sheet))
    form.locator("select[name=source]").select_option("stats")
    form.get_by_role("button", name="检查文件").click()
    expect(page.locator('[data-testid="preview"]')).to_contain_text("统计数据：2 家企业")
    page.locator('[data-testid="confirm-upload"]').click()
    expect(page.get_by_text("已导入统计数据：2 家企业，新增 2 项")).to_be_visible()
    conflicts = page.locator('[data-testid="conflicts"]')
    row = conflicts.locator("tr", has_text="青岛芯云科技有限公司")
    expect(row).to_contain_text("税务 120万元")
    expect(row).to_contain_text("统计 150万元")
    row.get_by_label("统计 150万元").check()
    row.locator("input[name=note]").fill("以统计年报为准")
    row.get_by_role("button", name="确定").click()
    expect(page.get_by_text("已确定青岛芯云科技有限公司的“研发费用”采用统计数据")).to_be_visible()
    expect(conflicts.locator("tr", has_text="青岛芯云科技有限公司")).to_contain_text("已确定")
    _shoot(page, "data")


def test_an_enterprise_corrects_a_figure_and_the_office_verifies_it(
    live_server: LiveServer,
    browser: Browser,
    world: World,
    innov: Innov,  # noqa: F811
    tmp_path: Path,
) -> None:
    base = live_server.url
    firm = innov.enterprises[0]
    actions.open_account(innov.zone, "firm", "王晓", OUTSIDE_PASSWORD, None, enterprise=firm)
    evidence = tmp_path / "审计报告.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    page = _page(browser, base, "firm", OUTSIDE_PASSWORD)
    expect(page.locator("h1")).to_have_text(firm.name)  # home → the enterprise's own page
    form = page.locator('[data-testid="correct-form"]')
    form.locator("select[name=field]").select_option(label="研发费用（万元）")
    form.locator("input[name=value]").fill("135")
    form.locator("textarea[name=reason]").fill("税务数据未含第四季度委托研发费用")
    form.locator("input[name=evidence]").set_input_files(str(evidence))
    form.get_by_role("button", name="提交更正").click()
    expect(page.get_by_text("更正已提交，经督查室核实后计入积分")).to_be_visible()
    expect(page.get_by_text("待核实")).to_be_visible()
    _shoot(page, "enterprise_self")
    response = page.goto(f"{base}/z/alpha/")
    assert response is not None and response.status == 404  # nothing else of the zone

    office = _page(browser, base, "supervisor")
    office.goto(f"{base}/z/alpha/innovation/corrections/")
    pending = office.locator('[data-testid="pending"] tr', has_text=firm.name)
    expect(pending).to_contain_text("135万元")
    _shoot(office, "corrections")
    pending.get_by_role("button", name="核实采纳").click()
    expect(office.get_by_text(f"已处理{firm.name}的更正")).to_be_visible()
    office.goto(f"{base}/z/alpha/innovation/enterprises/{firm.pk}/?year=2025")
    data = office.locator('[data-testid="data"] tr', has_text="研发费用")
    expect(data.first).to_contain_text("135万元")
    expect(data.first).to_contain_text("企业更正（督查室确定）")


def test_publish_score_explain_share_and_the_bank_sees_only_its_list(
    live_server: LiveServer,
    browser: Browser,
    world: World,
    innov: Innov,  # noqa: F811
) -> None:
    base = live_server.url
    for enterprise in innov.enterprises:
        actions.grant_consent(enterprise, None, NOW)
    bank = actions.add_institution(innov.zone, "青岛银行高新区支行")
    actions.open_account(innov.zone, "bank", "陈晨", OUTSIDE_PASSWORD, None, institution=bank)

    page = _page(browser, base, "supervisor")
    _publish_and_score(page, base, innov)
    page.goto(f"{base}/z/alpha/innovation/lists/")
    page.fill("#id_name", "2025年度创新积分贷推荐名单")
    for tier in "BCD":
        page.locator(f'input[name="tiers"][value="{tier}"]').check()
    page.locator('[data-testid="make-list"]').click()
    expect(page.get_by_text("已生成名单：4 家企业")).to_be_visible()
    page.locator('[data-testid="shares"] select[name=institution]').select_option(label="青岛银行高新区支行")
    page.locator('[data-testid="share"]').click()
    expect(page.get_by_text("已向青岛银行高新区支行共享名单")).to_be_visible()

    viewer = _page(browser, base, "bank", OUTSIDE_PASSWORD)
    expect(viewer.locator('[data-testid="lists"]')).to_contain_text("2025年度创新积分贷推荐名单")
    viewer.get_by_role("link", name="2025年度创新积分贷推荐名单").click()
    expect(viewer.locator('[data-testid="entries"] tbody tr')).to_have_count(4)
    _shoot(viewer, "bank_list")
    expect(viewer.locator("nav.mainnav a")).to_have_count(1)  # 推荐名单, and nothing else
    for path in (
        "/z/alpha/",
        "/z/alpha/innovation/",
        f"/z/alpha/innovation/enterprises/{innov.enterprises[0].pk}/",
    ):
        response = viewer.goto(f"{base}{path}")
        assert response is not None and response.status == 404


def _publish_and_score(page: Page, base: str, innov: Innov) -> None:  # noqa: F811
    """A second version of the framework drafted, checked as typed, saved and published; the year scored with it;
    an enterprise's explanation read."""
    page.goto(f"{base}/z/alpha/innovation/frameworks/{innov.version.pk}/")
    page.get_by_role("button", name="新建版本").click()
    expect(page.locator(".toolbar")).to_contain_text("第2版")
    form = page.locator('[data-testid="framework-form"]')
    form.locator('input[name="indicator-0-w-young"]').fill("30")  # ten points from R&D to staff for start-ups
    expect(form.locator('[data-sum="young"]')).to_have_class("num sum-bad")
    form.locator('input[name="indicator-1-w-young"]').fill("30")
    expect(form.locator('[data-sum="young"]')).to_have_text("100")
    expect(form.locator('[data-sum="young"]')).to_have_class("num sum-ok")
    expect(page.locator('[data-testid="structure"] .sum-ok')).to_have_count(2)
    _shoot(page, "framework_form")
    form = page.locator('[data-testid="framework-form"]')
    form.locator('[data-testid="save-form"]').click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('[data-testid="publish"]').click()
    expect(page.get_by_text("已发布第 2 版")).to_be_visible()

    page.goto(f"{base}/z/alpha/innovation/runs/")
    page.fill("#id_year", "2025")
    page.locator("#id_version").select_option(label="测试框架 · 第2版")
    page.locator('[data-testid="score-year"]').click()
    expect(page.get_by_text("已完成2025年度计分：4 家企业")).to_be_visible()
    expect(page.locator('[data-testid="ranking"] tbody tr')).to_have_count(4)
    _shoot(page, "ranking")
    page.locator('[data-testid="ranking"] tbody tr').first.locator("a").click()
    expect(page.locator('[data-testid="explanation"]')).to_contain_text("研发费用")
    expect(page.locator('[data-testid="steps"]')).to_contain_text("可再得")
    _shoot(page, "enterprise")
