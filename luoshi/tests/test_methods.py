"""Security issue, defect 12: pages that only read answered a POST with 200. Every GET-only page answers 405 to
anything but GET and HEAD (django.views.decorators.http.require_safe, outermost, so it answers before any
lookup)."""

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from luoshi.conftest import World

# Every page that never handles a POST, by URL name. A new read-only page belongs here.
GET_ONLY = [
    "home",
    "security:account",
    "security:platform_people",
    "security:platform_person",
    "security:audit_list",
    "security:audit_export",
    "front:zone_home",
    "plans:plan_detail",
    "plans:plan_export",
    "plans:plan_children",
    "front:item_detail",
    "front:unit_items",
    "front:unit_list",
    "front:item_list",
    "org:person_list",
    "org:person_detail",
    "org:people_export",
    "reporting:fill",
    "reporting:detail",
    "reporting:review",
    "reporting:review_period",
    "reporting:approvals",
    "reporting:evidence",
    "reporting:problems",
    "alerts:warning_list",
    "alerts:warning_detail",
    "alerts:rule_list",
    "alerts:order_list",
    "alerts:order_detail",
    "alerts:order_docx",
    "alerts:order_pdf",
    "notices:inbox",
    "notices:notice_open",
    "notices:endpoint_list",
    "notices:outbox_list",
    "assessment:indicator_list",
    "assessment:value_list",
    "assessment:scheme_detail",
    "assessment:run_detail",
    "assessment:run_screen",
    "assessment:run_sensitivity",
    "assessment:result_detail",
    "assessment:scheme_screen",
    "assessment:benchmark_gap",
    "assessment:benchmark_export",
    "arena:session_list",
    "arena:session_detail",
    "arena:ballot",
    "arena:results",
    "projects:ledger",
    "projects:ledger_export",
    "projects:project_detail",
    "projects:photo_file",
    "projects:photo_display",
    "projects:map",
    "projects:board",
    "projects:gantt",
    "projects:dispatch_detail",
    "projects:dispatch_docx",
    "projects:map_screen",
    "front:cockpit_screen",
    "arena:results_screen",
    "goals:goal_list",
    "goals:goal_detail",
    "goals:item_sight",
    "goals:project_sight",
    "goals:unit_sight",
    "bulletins:list",
    "bulletins:detail",
    "bulletins:docx",
    "bulletins:pdf",
]


def _routes(
    patterns: Sequence[URLPattern | URLResolver], namespace: str = "", outer: dict[str, Any] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every named URL with the converters of its arguments, its including patterns' ones too."""
    for entry in patterns:
        converters = (outer or {}) | entry.pattern.converters
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, inner, converters)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", converters


def _url(name: str) -> str:
    """The page's URL in the persona's zone; other arguments take any value (require_safe answers first)."""
    converters = dict(_routes(get_resolver().url_patterns))[name]
    args = {
        key: "alpha" if key == "zone" else converter.to_url(1 if converter.regex == "[0-9]+" else "x")
        for key, converter in converters.items()
    }
    return reverse(name, kwargs=args)


def test_every_listed_page_exists() -> None:
    names = dict(_routes(get_resolver().url_patterns))
    assert [name for name in GET_ONLY if name not in names] == []


@pytest.mark.parametrize("name", GET_ONLY)
def test_get_only_pages_refuse_post(world: World, login: Callable[[User], Client], name: str) -> None:
    client = login(world.user("admin"))
    url = _url(name)
    response = client.post(url, {"anything": "1"})
    assert response.status_code == 405, url
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]
    assert client.put(url).status_code == 405
