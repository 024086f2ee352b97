"""Binding a target on the item's page (goals:bind_target, goals:unbind_target): the office binds and unbinds;
everyone else, and another zone, finds nothing; bad input says what is wrong and writes nothing."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.assessment import actions as assessment
from luoshi.conftest import World
from luoshi.goals.models import TargetBinding
from luoshi.goals.tests.conftest import National
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import Target


@pytest.fixture
def target(world: World) -> Target:
    return plan_actions.add_target(world.item_b, {"indicator": "发明专利授权", "target_value": 130}, None)


def _bind(target: Target) -> str:
    return reverse("goals:bind_target", args=["alpha", target.pk])


def test_the_office_binds_and_unbinds(
    world: World, login: Callable[[User], Client], national: National, target: Target
) -> None:
    client = login(world.user("supervisor"))
    pat = national.indicators["PAT"]
    response = client.post(_bind(target), {"indicator": pat.pk, "source": "indicator"}, follow=True)
    assert "已绑定指标“每万人发明专利授权数”：实际值取自指标库" in response.content.decode()
    bound = TargetBinding.objects.get(target=target)
    fragment = client.get(reverse("goals:item_sight", args=["alpha", world.item_b.pk])).content.decode()
    assert 'data-testid="target-bindings"' in fragment and "实际值取自指标库" in fragment
    response = client.post(reverse("goals:unbind_target", args=["alpha", bound.pk]), follow=True)
    assert "已取消绑定" in response.content.decode()
    assert not TargetBinding.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source": "indicator"}, "请选择要绑定的指标"),
        ({"indicator": "x", "source": "indicator"}, "请选择要绑定的指标"),
        ({"indicator": "PAT", "source": "both"}, "请选择实际值的来源"),
    ],
)
def test_bad_input_writes_nothing(
    world: World,
    login: Callable[[User], Client],
    national: National,
    target: Target,
    data: dict[str, str],
    message: str,
) -> None:
    if data.get("indicator") == "PAT":
        data = data | {"indicator": str(national.indicators["PAT"].pk)}
    response = login(world.user("supervisor")).post(_bind(target), data, follow=True)
    assert message in response.content.decode()
    assert not TargetBinding.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "viewer", "unithead", "liaison", "liaison_dev", "outsider"])
def test_others_find_nothing(
    world: World, login: Callable[[User], Client], national: National, target: Target, persona: str
) -> None:
    client = login(world.user(persona))
    pat = national.indicators["PAT"]
    assert client.post(_bind(target), {"indicator": pat.pk, "source": "indicator"}).status_code == 404
    bound = TargetBinding.objects.create(zone=world.zone, target=target, indicator=pat, source="indicator")
    assert client.post(reverse("goals:unbind_target", args=["alpha", bound.pk])).status_code == 404
    assert TargetBinding.objects.count() == 1


def test_an_indicator_of_another_zone_is_not_found(
    world: World, login: Callable[[User], Client], national: National, target: Target
) -> None:
    theirs = assessment.save_indicator(world.other_zone, {"code": "PAT", "name": "乙区专利"}, None)
    client = login(world.user("supervisor"))
    response = client.post(_bind(target), {"indicator": theirs.pk, "source": "indicator"}, follow=True)
    assert "请选择要绑定的指标" in response.content.decode()
    assert client.get(reverse("goals:bind_target", args=["alpha", target.pk])).status_code == 405
