"""End to end in Debian's Chromium: a supervisor whose zone requires two factors enrols an authenticator and
logs in with it; repeated wrong passwords lock an account; the auditor finds those events in the audit trail.

Run with `make browser-test`. Screenshots go to test-artifacts/."""

import base64
import os
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from luoshi.e2e.support import ARTIFACTS, PASSWORD
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role, UnitType
from luoshi.org.models import Zone

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1440, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def zone() -> Zone:
    zone = org_actions.create_zone("sec", "高新区（安全测试）")
    zone.two_factor_required = True
    zone.save()
    office = org_actions.create_unit(zone, "区委区政府督查室", type=UnitType.OTHER)
    tech = org_actions.create_unit(zone, "区科技创新局")
    for username, name, role, unit in [
        ("supervisor", "李敏", Role.SUPERVISOR, office),
        ("liaison", "赵静", Role.LIAISON, tech),
        ("auditor", "吴桐", Role.AUDITOR, None),
    ]:
        org_actions.add_member(
            zone, org_actions.create_person(username, PASSWORD, full_name=name), role, unit
        )
    return zone


def _code(secret: str, later: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def _password_step(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_two_factors_lockout_and_the_audit_trail(
    live_server: LiveServer, browser: Browser, zone: Zone
) -> None:  # noqa: F811
    base = live_server.url
    auditor = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    # The auditor signs in first: the lockout below also locks the address every test browser shares.
    _password_step(auditor, base, "auditor")
    auditor.wait_for_url(f"{base}/z/sec/audit/")

    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    _password_step(page, base, "supervisor")
    page.wait_for_url(f"{base}/accounts/two-factor/")  # the zone requires two factors of its supervisors
    assert page.locator(".qr svg").count() == 1
    _shot(page, "two-factor-enrol.png")
    secret = page.locator("[data-testid=totp-secret]").inner_text()
    page.fill("#id_token", _code(secret))
    page.click("button:has-text('绑定')")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    _shot(page, "two-factor-recovery-codes.png")
    page.goto(f"{base}/z/sec/")
    assert page.locator("h1").count() >= 1 and "/accounts/" not in page.url
    page.click("button:has-text('退出')")

    _password_step(page, base, "supervisor")
    page.wait_for_url(f"{base}/accounts/login/verify/")
    _shot(page, "two-factor-verify.png")
    page.fill("#id_token", _code(secret, later=30))  # the enrolment's code is used up
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/z/sec/")
    page.goto(f"{base}/accounts/")
    assert "已启用" in page.inner_text("body")
    _shot(page, "account.png")
    page.click("button:has-text('退出')")

    for _i in range(5):
        _password_step(page, base, "liaison", "not-the-password")
    _password_step(page, base, "liaison")  # the right password, too late
    assert "已被锁定 30 分钟" in page.inner_text("body")
    _shot(page, "login-locked.png")

    auditor.goto(f"{base}/z/sec/audit/")
    trail = auditor.inner_text("table")
    for event in ("账号锁定", "登录失败", "启用双因素认证", "双因素认证", "登录"):
        assert event in trail, event
    auditor.select_option("#id_event", "lockout")
    auditor.click("button:has-text('查询')")
    assert "liaison" in auditor.inner_text("table")
    _shot(auditor, "audit-trail.png")
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", storage_state=auditor.context.storage_state())
    phone_page = phone.new_page()
    phone_page.goto(f"{base}/z/sec/audit/")
    _shot(phone_page, "audit-trail-phone.png")
