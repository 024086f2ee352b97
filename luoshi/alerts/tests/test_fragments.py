"""The two fragments other pages include, and the queries behind them."""

from datetime import date
from typing import cast

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from luoshi.alerts import queries
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import Warning
from luoshi.alerts.tests.conftest import at, item, only, sweep_at
from luoshi.conftest import World
from luoshi.org.queries import access_for
from luoshi.org.zones import ZoneRequest
from luoshi.plans.models import Milestone


@pytest.fixture
def warned(world: World) -> None:
    """item_a (区科技创新局) overdue and with a late milestone; a 区发展和改革局 item overdue too."""
    only(world, RuleCode.OVERDUE, RuleCode.MILESTONE)
    Milestone.objects.create(zone=world.zone, item=world.item_a, title="完成申报", due_date=date(2026, 7, 1))
    item(world, "发改逾期", unit=world.dev, due_date=date(2026, 6, 1))
    sweep_at(world, at(2026, 7, 8, 10))


def render(world: World, persona: str, template: str, warnings: list[Warning]) -> str:
    request = cast(ZoneRequest, RequestFactory().get("/"))
    request.user = world.user(persona)
    request.access = access_for(world.user(persona), "alpha")
    return render_to_string(template, {"warnings": warnings}, request=request)


def test_unit_fragment(world: World, warned: None) -> None:
    access = access_for(world.user("supervisor"), "alpha")
    warnings = list(queries.unit_open_warnings(access, world.tech))
    assert [(w.rule, w.level) for w in warnings] == [
        ("OVERDUE", "red"),
        ("MILESTONE", "yellow"),
    ]  # reddest first
    html = render(world, "supervisor", "alerts/_unit_warnings.html", warnings)
    assert "完成时限2026-06-30，已逾期8天" in html and "待说明" in html
    # A unit's people see their own unit's warnings, not another unit's.
    liaison_dev = access_for(world.user("liaison_dev"), "alpha")
    assert not queries.unit_open_warnings(liaison_dev, world.tech).exists()
    assert queries.unit_open_warnings(liaison_dev, world.dev).count() == 1
    assert "没有未解除的预警" in render(world, "liaison_dev", "alerts/_unit_warnings.html", [])


def test_item_fragment(world: World, warned: None) -> None:
    viewer = access_for(world.user("viewer"), "alpha")
    warnings = list(queries.item_open_warnings(viewer, world.item_a))
    html = render(world, "viewer", "alerts/_item_warnings.html", warnings)
    assert "节点“完成申报”应于2026-07-01完成，已逾期7天" in html
    assert render(world, "viewer", "alerts/_item_warnings.html", []).strip() == ""
    # The co-unit (区科技创新局 on item_b) sees no warnings of the lead unit's.
    liaison = access_for(world.user("liaison"), "alpha")
    assert not queries.item_open_warnings(liaison, world.item_b).exists()


def test_text_is_rendered_from_the_numbers_or_else_the_stored_reason(world: World, warned: None) -> None:
    warning = queries.visible_warnings(access_for(world.user("supervisor"), "alpha")).get(
        rule="OVERDUE", item=world.item_a
    )
    assert warning.text == warning.reason == "完成时限2026-06-30，已逾期8天"
    warning.numbers = {"due": "2026-06-30"}  # as an older release might have left them
    assert warning.text == warning.reason
