"""Fixtures of the browser tests: Debian's Chromium, and a small zone with a supervisor and a liaison."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from luoshi.e2e.support import ARTIFACTS, CHROMIUM, PASSWORD
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role, UnitType
from luoshi.org.models import Zone

# Playwright's sync API runs an event loop in this thread; the ORM calls made here in between are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def zone() -> Zone:
    zone = org_actions.create_zone("e2e", "高新区（浏览器测试）")
    tech = org_actions.create_unit(zone, "区科技创新局", aliases="区科技局")
    org_actions.create_unit(zone, "区发展和改革局", aliases="区发改局")
    org_actions.create_unit(zone, "区财政局")
    office = org_actions.create_unit(zone, "区委区政府督查室", type=UnitType.OTHER)
    for username, role, unit in [("supervisor", Role.SUPERVISOR, office), ("liaison", Role.LIAISON, tech)]:
        org_actions.add_member(
            zone, org_actions.create_person(username, PASSWORD, full_name=username), role, unit
        )
    return zone
