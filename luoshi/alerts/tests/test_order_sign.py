"""sign_order: the unit signs once; the office hears of it."""

import pytest

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, inbox
from luoshi.conftest import World


def test_sign_records_who_and_when_and_tells_the_office(world: World, order: SupervisionOrder) -> None:
    signed = orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))
    assert signed.state == "signed"
    assert (signed.signed_at, signed.signed_by) == (at(2026, 7, 1, 10), world.user("liaison"))
    assert list(signed.events.values_list("kind", "by__username")) == [
        ("issued", "supervisor"),
        ("signed", "liaison"),
    ]
    assert inbox(world.user("supervisor")) == ["区科技创新局已签收督办单督字〔2026〕1号"]


def test_a_second_click_is_refused_with_the_reason(world: World, order: SupervisionOrder) -> None:
    orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))
    with pytest.raises(orders.OrderRefused, match="督办单督字〔2026〕1号当前为“已签收”，不能签收"):
        orders.sign_order(order, world.user("unithead"), at(2026, 7, 1, 10))
    assert order.events.filter(kind="signed").count() == 1
    assert inbox(world.user("supervisor")) == ["区科技创新局已签收督办单督字〔2026〕1号"]


def test_an_escalated_order_may_still_be_signed_and_stays_escalated(
    world: World, order: SupervisionOrder
) -> None:
    orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 16, 9))
    signed = orders.sign_order(order, world.user("liaison"), at(2026, 7, 16, 10))
    assert signed.state == "escalated" and signed.signed_at == at(2026, 7, 16, 10)


@pytest.mark.parametrize("state", ["feedback", "closed", "returned"])
def test_not_after_feedback(world: World, order: SupervisionOrder, state: str) -> None:
    type(order).objects.filter(pk=order.pk).update(state=state)
    with pytest.raises(orders.OrderRefused, match="不能签收"):
        orders.sign_order(order, world.user("liaison"))
