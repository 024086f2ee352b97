"""End to end in Debian's Chromium: a quarter scored and published, the gap to the top ten, the quarterly unit
assessment on the demo, and two judges at the leaders' arena with the big screen following. Run with
`make browser-test`; screenshots go to test-artifacts/."""

from io import BytesIO

import pytest
from openpyxl import Workbook
from playwright.sync_api import Browser, FilePayload
from pytest_django.live_server_helper import LiveServer

from luoshi.e2e.support import ARTIFACTS, PASSWORD, login
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.org.models import Zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _indicator_values() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年三季度考核指标数据"])
    ws.append(["指标代码", "单位", "期间", "数值", "数据来源"])
    figures = {"区科技创新局": (12, 6.5), "区发展和改革局": (8, 7.2), "区财政局": (5, 5.1)}
    for unit, (firms, growth) in figures.items():
        ws.append(["HTE", unit, "2026年第三季度", firms, "区统计局"])
        ws.append(["GROWTH", unit, "2026Q3", growth, "区统计局"])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_supervisor_scores_a_quarter_and_publishes_it(
    live_server: LiveServer, browser: Browser, zone: Zone
) -> None:
    from luoshi.assessment.actions import save_indicator

    save_indicator(zone, {"code": "HTE", "name": "新增高新技术企业", "unit_of_measure": "家"}, None)
    save_indicator(zone, {"code": "GROWTH", "name": "营业收入增速", "unit_of_measure": "%"}, None)
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    login(page, base, "supervisor")

    page.goto(f"{base}/z/e2e/indicators/values/import/")
    page.set_input_files(
        "input[type=file]",
        files=[
            FilePayload(name="指标数据.xlsx", mimeType="application/octet-stream", buffer=_indicator_values())
        ],
    )
    page.click("button:has-text('导入')")
    page.wait_for_selector("text=已导入 6 行")

    page.click("nav >> text=考核")
    page.fill("#id_name", "季度考核")
    page.select_option("#id_kind", "star_flag")
    page.click("button:has-text('新建')")
    page.wait_for_selector("h1:has-text('季度考核')")
    page.fill(
        "#id_structure",
        "iCode,iName,Level,Parent,Weight\nHTE,新增高企,1,TOTAL,2\nGROWTH,营收增速,1,TOTAL,1\nTOTAL,综合,2,,1",
    )
    page.fill("#id_contest", '[stars]\nenabled = true\n\n[[flags]]\nname = "排头"\ntop = 1\n')
    page.click("button:has-text('保存为草稿')")
    page.wait_for_selector("text=已保存第1版")
    page.click("button:has-text('发布')")
    page.wait_for_selector("text=第1版已发布")
    page.fill("#id_period", "2026年第三季度")
    page.fill("#id_replications", "200")
    page.click("form[action*='/runs/'] button:has-text('计分')")
    page.wait_for_selector("h1:has-text('2026Q3')")
    table = page.locator("table.grid").inner_text()
    assert table.index("区科技创新局") < table.index("区发展和改革局") < table.index("区财政局")
    assert "排头" in page.locator(".honours").inner_text()
    page.wait_for_selector("[data-chart=assessment-scores] canvas")
    page.wait_for_timeout(1200)  # the bars' opening animation
    page.screenshot(path=str(ARTIFACTS / "assessment-results.png"), full_page=True)
    page.click("button:has-text('发布结果')")
    page.wait_for_selector("text=结果已发布")


def test_supervisor_asks_what_returns_the_zone_to_the_top_ten(
    live_server: LiveServer, browser: Browser, zone: Zone
) -> None:
    """The demo's national evaluation in the e2e zone: the gap page opens on the top ten; a new target rank
    brings a new score to reach and a new indicator table without leaving the page."""
    from django.utils import timezone

    from luoshi.demo.national import build_national

    build_national(zone, None, timezone.localdate())
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    login(page, base, "supervisor")
    page.click("nav >> text=考核")
    page.click("text=国家高新区综合评价")
    page.click("text=对标与差距分析")
    page.click("text=2025年国家高新区综合评价对标数据")
    page.wait_for_selector("text=达到第10名所需得分")
    top_ten = page.inner_text("#needed-score")
    header = page.locator("#indicators thead").inner_text()
    assert "单独达到第10名需要" in header and "无法单独达到" in page.locator("#indicators").inner_text()
    page.wait_for_selector("[data-chart=benchmark-gains] canvas")
    page.wait_for_timeout(1000)  # the bars' opening animation
    page.screenshot(path=str(ARTIFACTS / "benchmark-gap.png"), full_page=True)

    page.fill("input[name=target]", "3")
    page.wait_for_selector("text=达到第3名所需得分")
    assert float(page.inner_text("#needed-score")) > float(top_ten)
    assert "单独达到第3名需要" in page.locator("#indicators thead").inner_text()
    assert "target=3" in page.url  # the address follows, so the answer can be shared
    page.wait_for_selector("[data-chart=benchmark-gains] canvas")


def test_supervisor_runs_the_quarterly_unit_assessment_on_the_demo(
    live_server: LiveServer, browser: Browser
) -> None:
    """On the demo zone: the office reads the execution facts Luoshi computed, enters its evaluation of two
    units, scores the running quarter, publishes it and opens the large screen."""
    from django.utils import timezone

    from luoshi.demo.build import build_demo

    today = timezone.localdate()
    build_demo(today)
    quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", "luoshi-demo")
    page.click("button[type=submit]")

    page.click("nav >> text=考核")
    page.click("text=季度单位考核")
    page.click("text=执行情况与督查室评价")
    page.wait_for_selector("h1:has-text('执行情况与督查室评价')")
    assert page.input_value("#period") == quarter
    rows = page.locator("table.grid tbody tr")
    assert rows.count() > 10 and "按时报送率" in page.locator("table.grid thead").inner_text()
    page.fill("input[aria-label='区财政局']", "20")
    over = page.locator("input[aria-label='区住房和城乡建设局']")
    over.fill("25")  # over the 20 points the office may give: the browser holds the form back
    page.click("button:has-text('保存评价')")
    assert over.evaluate("e => e.validity.rangeOverflow")
    page.fill("input[aria-label='区住房和城乡建设局']", "19.5")
    page.click("button:has-text('保存评价')")
    page.wait_for_selector("text=已保存督查室评价")
    page.screenshot(path=str(ARTIFACTS / "unit-assessment-evaluation.png"), full_page=True)

    page.click("text=考核评价")
    page.click("text=季度单位考核")
    page.fill("#id_period", quarter)
    page.fill("#id_replications", "200")
    page.click("form[action*='/runs/'] button:has-text('计分')")
    page.wait_for_selector(f"h1:has-text('{quarter}')")
    finance = page.locator("table.grid tbody tr", has_text="区财政局").inner_text()
    assert "20.00" in finance  # the office's 20 points on top of its execution score
    page.wait_for_selector("[data-chart=assessment-scores] canvas")
    page.click("button:has-text('发布结果')")
    page.wait_for_selector("text=结果已发布")
    page.click("table.grid >> text=区财政局")
    page.wait_for_selector("h2:has-text('得分构成')")
    assert "按时报送率" in page.locator("table.grid").inner_text()
    with page.expect_popup() as popup:
        page.go_back()
        page.click("text=大屏展示")
    screen = popup.value
    screen.wait_for_selector("[data-chart=assessment-scores] canvas")
    screen.wait_for_timeout(1000)
    screen.screenshot(path=str(ARTIFACTS / "unit-assessment-screen.png"), full_page=True)


def _open_session(zone: Zone) -> int:
    """A session of three units, graded by two leaders (judge1, judge2), open for ballots."""
    from django.utils import timezone

    from luoshi.arena import actions as arena
    from luoshi.org.models import Unit

    judges = []
    for username in ("judge1", "judge2"):
        person = org_actions.create_person(username, PASSWORD, full_name=username)
        org_actions.add_member(zone, person, Role.LEADER)
        judges.append(person)
    units = {u.name: u for u in Unit.objects.filter(zone=zone)}
    seats = [arena.Seat(units[name]) for name in ("区科技创新局", "区发展和改革局", "区财政局")]
    values = {
        "title": "第三季度擂台赛",
        "held_on": timezone.localdate(),
        "period": "2026Q3",
        "grading": "grades",
    }
    session = arena.create_session(zone, values, seats, judges, None, timezone.now())
    arena.open_session(session, None, timezone.now())
    return session.pk


def test_two_judges_grade_at_the_arena_and_the_big_screen_follows(
    live_server: LiveServer, browser: Browser, zone: Zone
) -> None:
    """Two judges grade on their phones at the same session; the results on the big screen change without a
    reload."""
    session_pk = _open_session(zone)
    base = live_server.url

    screen = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    login(screen, base, "supervisor")
    screen.goto(f"{base}/z/e2e/arena/{session_pk}/results/")
    screen.wait_for_selector("[data-arena-chart] canvas")
    screen.evaluate("window.notReloaded = true")
    assert "0 / 2" in screen.locator("table.ranking").inner_text()

    ballots = {
        "judge1": {"区发展和改革局": "好", "区科技创新局": "一般"},
        "judge2": {"区发展和改革局": "好", "区科技创新局": "较差"},
    }
    for judge, grades in ballots.items():
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
        login(phone, base, judge)
        phone.click("nav >> text=擂台")
        phone.click("text=去评分")
        for unit, grade in grades.items():
            card = phone.locator(".ballot-card", has_text=unit)
            card.get_by_role("button", name=grade, exact=True).click()
            card.locator(".grade.chosen", has_text=grade).wait_for()
        assert "已评 2 / 3" in phone.locator("#ballot-done").inner_text()
        phone.screenshot(path=str(ARTIFACTS / f"arena-ballot-{judge}.png"), full_page=True)
        phone.context.close()

    # 区发展和改革局 好 好 → 100; 区科技创新局 一般 较差 → 37.5; both judges in; the page polls every 3 seconds.
    ranking = screen.locator("table.ranking tbody tr")
    ranking.first.filter(has_text="2 / 2").wait_for(timeout=10_000)
    ranking.nth(1).filter(has_text="37.50").wait_for(timeout=10_000)
    rows = ranking.all_inner_texts()
    assert "区发展和改革局" in rows[0] and "2 / 2" in rows[0]
    assert "区科技创新局" in rows[1] and "37.50" in rows[1]
    assert "区财政局" in rows[2] and "0 / 2" in rows[2]
    assert screen.evaluate("window.notReloaded") is True
    screen.wait_for_timeout(1200)  # the bars' animation
    screen.screenshot(path=str(ARTIFACTS / "arena-live-results.png"), full_page=True)
