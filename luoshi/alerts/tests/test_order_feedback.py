"""submit_feedback: after signing (or after a return, or an escalation), with text; the office hears of it."""

import pytest

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, inbox
from luoshi.conftest import World


@pytest.fixture
def signed(world: World, order: SupervisionOrder) -> SupervisionOrder:
    return orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))


def test_feedback_is_recorded_and_the_office_told(world: World, signed: SupervisionOrder) -> None:
    done = orders.submit_feedback(signed, " 已完成12家企业申报 ", world.user("unithead"), at(2026, 7, 10, 9))
    assert done.state == "feedback" and done.feedback == "已完成12家企业申报"
    assert (done.feedback_at, done.feedback_by) == (at(2026, 7, 10, 9), world.user("unithead"))
    event = done.events.get(kind="feedback")
    assert (event.text, event.by) == ("已完成12家企业申报", world.user("unithead"))
    assert inbox(world.user("supervisor"))[-1] == "区科技创新局已反馈督办单督字〔2026〕1号"


def test_feedback_needs_text(world: World, signed: SupervisionOrder) -> None:
    with pytest.raises(orders.OrderRefused, match="请填写办理情况"):
        orders.submit_feedback(signed, "   ", world.user("liaison"))
    with pytest.raises(orders.OrderRefused, match="4000"):
        orders.submit_feedback(signed, "长" * 4001, world.user("liaison"))


def test_sign_first(world: World, order: SupervisionOrder) -> None:
    with pytest.raises(orders.OrderRefused, match="请先签收督办单"):
        orders.submit_feedback(order, "x", world.user("liaison"))


def test_a_second_submission_is_refused(world: World, signed: SupervisionOrder) -> None:
    orders.submit_feedback(signed, "第一次", world.user("liaison"), at(2026, 7, 10, 9))
    with pytest.raises(orders.OrderRefused, match="当前为“已反馈”，不能反馈"):
        orders.submit_feedback(signed, "第二次", world.user("liaison"), at(2026, 7, 10, 9))
    signed.refresh_from_db()
    assert signed.feedback == "第一次"


def test_feedback_on_an_unsigned_escalated_order_counts_as_receipt(
    world: World, order: SupervisionOrder
) -> None:
    orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 16, 9))
    done = orders.submit_feedback(order, "已补报", world.user("liaison"), at(2026, 7, 16, 10))
    assert done.state == "feedback" and done.signed_at == at(2026, 7, 16, 10)


def test_not_on_a_closed_order(world: World, signed: SupervisionOrder) -> None:
    orders.submit_feedback(signed, "完成", world.user("liaison"), at(2026, 7, 10, 9))
    orders.close_order(signed, "good", "", world.user("supervisor"), at(2026, 7, 11, 9))
    with pytest.raises(orders.OrderRefused, match="已办结"):
        orders.submit_feedback(signed, "再报", world.user("liaison"))
