"""An order escalated to its leader, in Debian's Chromium: the leader opens it and writes a 批示; the liaison of
the responsible unit sees the instruction on the order page and in the inbox. Screenshots of the order page as
leader and as liaison, at desk and phone size: test-artifacts/order_<persona>_<width>.png."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.e2e.support import ARTIFACTS, PASSWORD
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role, UnitType

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1440, 900), (390, 844)]
INSTRUCTION = "请区科技创新局三日内拿出整改方案，督查室跟踪落实，下周例会专题汇报。"


@pytest.fixture
def escalated() -> SupervisionOrder:
    """An order to 区科技创新局, due five days ago and escalated to its leader 李建国."""
    zone = org_actions.create_zone("e2e", "高新区（浏览器测试）")
    office = org_actions.create_unit(zone, "区委区政府督查室", type=UnitType.OTHER)
    tech = org_actions.create_unit(zone, "区科技创新局", aliases="区科技局")
    people = {}
    for username, name, role, unit in [
        ("supervisor", "李敏", Role.SUPERVISOR, office),
        ("leader", "李建国", Role.LEADER, None),
        ("deputy", "王立新", Role.LEADER, None),
        ("liaison", "赵静", Role.LIAISON, tech),
    ]:
        people[username] = org_actions.create_person(username, PASSWORD, full_name=name)
        org_actions.add_member(zone, people[username], role, unit)
    now = timezone.now()
    order = orders.issue_order(
        zone,
        "高新技术企业培育进度滞后",
        tech,
        "请查明高企培育进度滞后的原因，落实整改，并书面反馈办理情况。",
        timezone.localdate(now) - timedelta(days=5),
        people["supervisor"],
        leader=people["leader"],
        now=now - timedelta(days=20),
    )
    return orders.escalate_order(order, people["supervisor"], now - timedelta(hours=1))


def _sign_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/z/e2e/**")
    return page


def _shots(page: Page, persona: str) -> None:
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"order_{persona}_{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling
    page.set_viewport_size({"width": 1440, "height": 900})


def test_the_leader_instructs_and_the_liaison_sees_it(
    live_server: LiveServer, browser: Browser, escalated: SupervisionOrder
) -> None:
    base = live_server.url
    url = f"{base}/z/e2e/orders/{escalated.pk}/"
    leader = _sign_in(browser, base, "leader")
    leader.goto(url)
    assert leader.locator("#leader h2", has_text="领导批示").is_visible()
    assert leader.locator("#leader", has_text="领导尚未批示").is_visible()
    leader.fill("#id_text", INSTRUCTION)
    leader.click("#instruct button[type=submit]")
    leader.wait_for_url(url)
    assert leader.locator(".messages", has_text="已批示").is_visible()
    trail = leader.locator("#leader .instruction-trail")
    assert trail.locator("blockquote", has_text=INSTRUCTION).is_visible()
    assert trail.locator("li", has_text="李建国").count() == 1
    _shots(leader, "leader")

    liaison = _sign_in(browser, base, "liaison")
    liaison.goto(url)
    assert liaison.locator("#leader blockquote", has_text=INSTRUCTION).is_visible()
    assert liaison.locator("#leader", has_text="李建国").is_visible()
    assert liaison.locator("#instruct").count() == 0  # the liaison reads; only the leader instructs
    _shots(liaison, "liaison")
    liaison.goto(f"{base}/z/e2e/inbox/")
    notice = liaison.locator("text=【领导批示】").first
    assert notice.is_visible()
    liaison.screenshot(path=str(ARTIFACTS / "order_liaison_inbox_1440.png"), full_page=True)
    notice.click()
    liaison.wait_for_url(url)
    assert liaison.locator("#leader blockquote", has_text=INSTRUCTION).is_visible()
