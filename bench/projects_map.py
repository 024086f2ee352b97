"""Render time of the battle map for 5,000 projects in Debian's Chromium (issue 5: ≤ 1 s).

Builds a zone with an irregular 400-vertex outline, 5,000 projects at coordinates (about 2% outside the outline),
a sixth of them with an open warning, in a throwaway SQLite database; serves it with gunicorn on 127.0.0.1 and
loads the map page in headless Chromium. The figure is `window.mapRendered`, which the page's script sets with
`performance.now()` in the chart's first `finished` event: milliseconds from navigation start until the scatter
is on screen, so it includes the request, the HTML and its 5,000-point JSON, ECharts' parse and the drawing.
Median of 5 loads after a warm-up; also prints the server time of the page (Django test client) and its size.

Run: `.venv/bin/python -m bench.projects_map` (needs /usr/bin/chromium and Playwright for Python)."""

import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from decimal import Decimal
from typing import Any

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "5000"))
CHROMIUM = "/usr/bin/chromium"
CENTRE = (120.40, 36.30)


def _outline(vertices: int = 400) -> dict[str, Any]:
    """A blob about 20 km across with a ragged edge, as a zone's surveyed outline is."""
    rng = random.Random(7)
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        radius = 0.1 * (1 + 0.25 * math.sin(3 * angle) + 0.05 * rng.random())
        ring.append(
            [
                CENTRE[0] + radius * math.cos(angle) / math.cos(math.radians(CENTRE[1])),
                CENTRE[1] + radius * math.sin(angle),
            ]
        )
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _build() -> tuple[str, str, str]:
    """The zone, its boundary and projects; returns (zone code, session key, map path)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from luoshi.alerts.choices import Level, RuleCode
    from luoshi.alerts.models import Warning
    from luoshi.org.actions import add_member, create_person, create_unit, create_zone
    from luoshi.org.choices import Role
    from luoshi.projects import geo
    from luoshi.projects.actions import boundary as boundary_actions
    from luoshi.projects.choices import Category
    from luoshi.projects.models import Project

    zone = create_zone("benchmap", "基准园区")
    units = [create_unit(zone, f"区第{i}局") for i in range(20)]
    boundary = boundary_actions.set_boundary(zone, "基准园区", _outline(), None)
    rng = random.Random(2026)
    projects: list[Project] = []
    while len(projects) < PROJECTS:
        lon = rng.uniform(boundary.min_lon, boundary.max_lon)
        lat = rng.uniform(boundary.min_lat, boundary.max_lat)
        if not geo.inside(boundary, lon, lat) and rng.random() > 0.02:
            continue
        total = Decimal(rng.choice([2000, 5000, 12000, 30000, 80000, 200000]))
        annual = (total * Decimal(rng.uniform(0.1, 0.4))).quantize(Decimal("0.01"))
        projects.append(
            Project(
                zone=zone,
                year=2026,
                name=f"重点项目{len(projects):05d}",
                owner=f"青岛某某科技有限公司{len(projects) % 700}",
                category=rng.choice(Category.values),
                stage=rng.randint(1, 8),
                longitude=Decimal(f"{lon:.6f}"),
                latitude=Decimal(f"{lat:.6f}"),
                lead_unit=rng.choice(units),
                total_investment_wan=total,
                annual_plan_wan=annual,
                completed_wan=(annual * Decimal(rng.uniform(0, 1))).quantize(Decimal("0.01")),
                completed_month=10,
                position=len(projects),
            )
        )
    Project.objects.bulk_create(projects, batch_size=1000)
    now = timezone.now()
    Warning.objects.bulk_create(
        [
            Warning(
                zone=zone,
                rule=RuleCode.PROJECT_INVESTMENT,
                project=p,
                unit=p.lead_unit,
                level=rng.choice([Level.BLUE, Level.YELLOW, Level.RED]),
                reason="投资滞后序时",
                opened_at=now - timedelta(days=3),
                updated_at=now,
            )
            for p in Project.objects.filter(zone=zone).order_by("?")[: PROJECTS // 6]
        ],
        batch_size=1000,
    )
    user = create_person("benchmap", "bench-pass-1")
    add_member(zone, user, Role.SUPERVISOR)
    client = Client()
    client.force_login(user)
    path = reverse("projects:map", args=[zone.code]) + "?year=2026"
    timings = []
    for _ in range(6):
        start = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - start)
    assert response.status_code == 200, response.status_code
    print(
        f"server: median={statistics.median(timings[1:]) * 1000:.0f}ms "
        f"html={len(response.content) / 1024:.0f}KiB projects={PROJECTS}"
    )
    return zone.code, client.cookies[settings.SESSION_COOKIE_NAME].value, path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _measure(base: str, path: str, session: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1600, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
        page = context.new_page()
        figures = []
        for _ in range(6):
            page.goto(base + path, wait_until="domcontentloaded")
            page.wait_for_function("window.mapRendered != null", timeout=30000)
            figures.append(page.evaluate("window.mapRendered"))
        drawn = page.evaluate(
            "echarts.getInstanceByDom(document.querySelector('[data-project-chart]')).getOption().series.reduce((n, s) => n + s.data.length, 0)"
        )
        assert drawn == PROJECTS, drawn
        browser.close()
    return figures[1:]


def main() -> None:
    tmp = tempfile.mkdtemp()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "LUOSHI_DATA_DIR": tmp,
        "LUOSHI_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SETTINGS_MODULE": "luoshi.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    _zone, session, path = _build()
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "luoshi.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        figures = _measure(base, path, session)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    median = statistics.median(figures)
    print(f"projects_map render: median={median:.0f}ms min={min(figures):.0f}ms max={max(figures):.0f}ms")
    sys.exit(0 if median <= 1000 else 1)


if __name__ == "__main__":
    main()
