"""return_feedback and close_order: the office reviews the feedback (docs/domain.md §4.1 审核/办结)."""

import pytest

from luoshi.alerts import orders
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, group_messages, inbox, robot
from luoshi.conftest import World


@pytest.fixture
def answered(world: World, order: SupervisionOrder) -> SupervisionOrder:
    orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))
    return orders.submit_feedback(order, "已完成申报", world.user("liaison"), at(2026, 7, 10, 9))


def test_return_sends_it_back_with_the_reason_and_tells_the_unit(
    world: World, answered: SupervisionOrder
) -> None:
    group = robot(world.zone, world.tech)
    returned = orders.return_feedback(answered, "缺少佐证材料", world.user("supervisor"), at(2026, 7, 11, 9))
    assert returned.state == "returned" and returned.return_reason == "缺少佐证材料"
    assert returned.events.get(kind="returned").text == "缺少佐证材料"
    title = "【督办退回】督字〔2026〕1号 加快高企培育进度"
    assert inbox(world.user("liaison"))[-1] == title and group_messages(group) == [title]
    # The unit redoes it; a second return is a second message (its own dedupe key).
    orders.submit_feedback(returned, "已补充佐证材料", world.user("liaison"), at(2026, 7, 12, 9))
    orders.return_feedback(returned, "仍不完整", world.user("supervisor"), at(2026, 7, 13, 9))
    assert inbox(world.user("liaison")).count(title) == 2


def test_return_needs_a_reason_and_feedback_to_return(
    world: World, order: SupervisionOrder, answered: SupervisionOrder
) -> None:
    with pytest.raises(orders.OrderRefused, match="请填写退回理由"):
        orders.return_feedback(answered, " ", world.user("supervisor"))
    orders.return_feedback(answered, "重报", world.user("supervisor"))
    with pytest.raises(orders.OrderRefused, match="当前为“已退回”，不能退回"):
        orders.return_feedback(answered, "重报", world.user("supervisor"))


def test_close_with_an_evaluation(world: World, answered: SupervisionOrder) -> None:
    closed = orders.close_order(
        answered, "excellent", " 措施有力 ", world.user("supervisor"), at(2026, 7, 11, 9)
    )
    assert closed.state == "closed" and (closed.evaluation, closed.comment) == ("excellent", "措施有力")
    assert (closed.closed_at, closed.closed_by) == (at(2026, 7, 11, 9), world.user("supervisor"))
    event = closed.events.get(kind="closed")
    assert (event.evaluation, event.text) == ("excellent", "措施有力")
    assert inbox(world.user("unithead"))[-1] == "督办单督字〔2026〕1号已办结，评价：优秀"
    kinds = list(closed.events.values_list("kind", flat=True))
    assert kinds == ["issued", "signed", "feedback", "closed"]


def test_close_needs_a_known_evaluation_and_only_once(
    world: World, order: SupervisionOrder, answered: SupervisionOrder
) -> None:
    with pytest.raises(orders.OrderRefused, match="请选择评价等级"):
        orders.close_order(answered, "great", "", world.user("supervisor"))
    orders.close_order(answered, "fair", "", world.user("supervisor"))
    with pytest.raises(orders.OrderRefused, match="当前为“已办结”，不能办结"):
        orders.close_order(answered, "good", "", world.user("supervisor"))


def test_nothing_to_review_before_feedback(world: World, order: SupervisionOrder) -> None:
    with pytest.raises(orders.OrderRefused, match="当前为“已交办”，不能办结"):
        orders.close_order(order, "good", "", world.user("supervisor"))
    with pytest.raises(orders.OrderRefused, match="不能退回"):
        orders.return_feedback(order, "x", world.user("supervisor"))
