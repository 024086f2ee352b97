"""Response headers a level-3 review checks: CSP without inline script, no caching of what a signed-in person
sees, nosniff everywhere, HSTS over HTTPS."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings

from luoshi.conftest import World
from luoshi.settings import BASE_DIR

TEMPLATES = sorted((BASE_DIR / "templates").rglob("*.html"))


def test_the_policy_allows_no_inline_script(world: World, login: Callable[[User], Client]) -> None:
    response = login(world.user("supervisor")).get("/z/alpha/")
    policy = response["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]+)", policy)
    assert script is not None and script.group(1).strip() == "'self'"
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(BASE_DIR / "templates")))
def test_no_template_carries_inline_script_or_handlers(template: Path) -> None:
    html = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert "javascript:" not in html


def test_signed_in_pages_and_downloads_are_not_cached(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    for url in ("/z/alpha/", f"/z/alpha/plans/{world.plan.pk}/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url


def test_every_response_says_nosniff(world: World, client: Client) -> None:
    for url in ("/accounts/login/", "/static/luoshi/luoshi.css", "/no-such-page/"):
        assert client.get(url)["X-Content-Type-Options"] == "nosniff", url


def test_hsts_over_https(world: World, client: Client, settings: Settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
