"""The big screens (大屏) in Debian's Chromium at 1920×1080, on the demo's data: the cockpit, the battle map
(with the parks' outlines and names), the arena's results and the 28-unit quarterly assessment each fit one
screen without a vertical scroll bar; each is photographed (test-artifacts/screen_<name>_1920.png), and the
map's empty state for a unit without projects says why."""

import json

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer
from shapely.geometry import Point

from luoshi.arena.models import ArenaSession
from luoshi.assessment.models import Scheme, ScoreRun
from luoshi.demo.build import DemoResult, build_demo
from luoshi.demo.org import PASSWORD
from luoshi.demo.project_data import PARK_AREAS
from luoshi.demo.unit_assessment import UNIT_SCHEME
from luoshi.e2e.support import ARTIFACTS
from luoshi.org.models import Park, Unit
from luoshi.projects.actions import boundary as boundary_actions
from luoshi.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1920, 1080


@pytest.fixture
def demo() -> DemoResult:
    """The demo zone as `luoshi demo` builds it, with an outline for each park drawn round its projects."""
    result = build_demo(timezone.localdate())
    for park in Park.objects.filter(zone=result.zone):
        (lon, lat), spread = PARK_AREAS[park.name]
        ring = Point(lon, lat).buffer(spread * 1.2, quad_segs=6)
        boundary_actions.set_park_boundary(park, json.loads(json.dumps(ring.__geo_interface__)), None)
    return result


def _sign_in(browser: Browser, base: str, username: str) -> Page:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/z/demo/")
    return page


def _screen(page: Page, url: str, name: str) -> None:
    """Open a screen, let its charts draw, photograph it, and check that it fits: no vertical scroll."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)  # ECharts' first frame
    page.screenshot(path=str(ARTIFACTS / f"screen_{name}_{WIDTH}.png"))
    scroll, inner = page.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    assert scroll <= inner, f"{name}: {scroll} px of content in a {inner} px window"
    assert page.locator("[data-clock]").inner_text().count(":") == 2  # the clock ticks (hh:mm:ss)
    for chart in page.locator("[data-chart], [data-project-chart], [data-arena-chart]").all():
        if chart.is_visible():
            box = chart.bounding_box()
            assert box is not None and box["height"] > 150, f"{name}: a chart squeezed to {box}"


def test_every_big_screen_fits_1920_by_1080(
    live_server: LiveServer, browser: Browser, demo: DemoResult
) -> None:
    page = _sign_in(browser, live_server.url, "leader")
    base = f"{live_server.url}/z/demo"
    _screen(page, f"{base}/screen/", "cockpit")
    assert page.locator("h1", has_text="领导驾驶舱").is_visible()
    assert page.locator("[data-testid=screen-ranking] tbody tr").count() > 0

    year = timezone.localdate().year
    _screen(page, f"{base}/projects/map/screen/?year={year}", "map")
    assert int(page.locator("[data-testid=map-totals] .v").first.inner_text().rstrip("个")) == (
        Project.objects.filter(zone=demo.zone, year=year, longitude__isnull=False).count()
    )
    assert page.locator("[data-size-legend] span").count() == 5  # the dot sizes, with their investment

    session = ArenaSession.objects.filter(zone=demo.zone).order_by("-held_on").first()
    assert session is not None
    _screen(page, f"{base}/arena/{session.pk}/results/screen/", "arena")
    assert page.locator(".podium > div").count() >= 1

    scheme = Scheme.objects.get(zone=demo.zone, name=UNIT_SCHEME)
    _screen(page, f"{base}/assessment/{scheme.pk}/screen/", "assessment")
    assert page.locator("text=不是预警条数或比例").count() == 1
    page.keyboard.press("ArrowRight")  # the score table, in two halves
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"screen_assessment_table_{WIDTH}.png"))
    run = ScoreRun.objects.filter(version__scheme=scheme, published_at__isnull=False).latest("published_at")
    assert page.locator(".screen-scores tbody tr").count() == run.results.count() >= 20
    assert page.locator(".screen-scores").count() == 2
    scroll, inner = page.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    assert scroll <= inner


def test_the_map_of_a_unit_without_projects_says_why(
    live_server: LiveServer, browser: Browser, demo: DemoResult
) -> None:
    page = _sign_in(browser, live_server.url, "supervisor")
    leading = Project.objects.filter(zone=demo.zone).values("lead_unit")
    idle = Unit.objects.filter(zone=demo.zone).exclude(pk__in=leading).first()
    assert idle is not None
    year = timezone.localdate().year
    _screen(page, f"{live_server.url}/z/demo/projects/map/screen/?year={year}&unit={idle.pk}", "map_empty")
    assert page.locator("[data-testid=map-empty]").inner_text().count(idle.name) == 1
    assert page.locator("[data-project-chart]").count() == 0
