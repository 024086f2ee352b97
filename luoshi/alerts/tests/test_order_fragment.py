"""The unit page's orders fragment and the query behind it."""

from collections.abc import Callable
from datetime import date
from typing import cast

import time_machine
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from luoshi.alerts import orders, queries
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, new_order
from luoshi.conftest import World
from luoshi.org.queries import access_for
from luoshi.org.zones import ZoneRequest


def render(world: World, persona: str, found: list[SupervisionOrder]) -> str:
    request = cast(ZoneRequest, RequestFactory().get("/"))
    request.user = world.user(persona)
    request.access = access_for(world.user(persona), "alpha")
    return render_to_string("alerts/_unit_orders.html", {"orders": found}, request=request)


def test_open_orders_soonest_due_first(world: World, clock: time_machine.Traveller) -> None:
    later = new_order(world, subject="后到期", deadline=date(2026, 7, 31))
    sooner = new_order(world, subject="先到期", deadline=date(2026, 7, 10))
    done = new_order(world, subject="已办结")
    orders.sign_order(done, world.user("liaison"), at(2026, 7, 1, 10))
    orders.submit_feedback(done, "完成", world.user("liaison"), at(2026, 7, 1, 11))
    orders.close_order(done, "good", "", world.user("supervisor"), at(2026, 7, 1, 12))
    new_order(world, unit=world.dev, subject="发改局的")
    access = access_for(world.user("viewer"), "alpha")
    assert list(queries.unit_open_orders(access, world.tech)) == [sooner, later]
    # Another unit's people see none of 区科技创新局's orders.
    liaison_dev = access_for(world.user("liaison_dev"), "alpha")
    assert not queries.unit_open_orders(liaison_dev, world.tech).exists()
    html = render(world, "viewer", [sooner, later])
    assert "督字〔2026〕2号" in html and "先到期" in html and "逾期未反馈" not in html
    clock.move_to(at(2026, 7, 11, 9))
    assert "逾期未反馈" in render(world, "viewer", [sooner, later])
    assert "没有未办结的督办单" in render(world, "viewer", [])


def test_the_unit_page_includes_it(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller
) -> None:
    order = new_order(world)
    body = (
        login(world.user("liaison")).get(reverse("front:unit_items", args=["alpha", world.tech.pk])).content
    )
    assert reverse("alerts:order_detail", args=["alpha", order.pk]) in body.decode()
