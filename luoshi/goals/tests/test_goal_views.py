"""The goal page (goals:goal_detail), the goal list and the goal form: who sees them, the figures, the what-if,
and bad input."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.models import Warning
from luoshi.conftest import World
from luoshi.goals import actions
from luoshi.goals.models import Goal
from luoshi.goals.tests.conftest import NOW, National


def detail(world: World) -> str:
    return reverse("goals:goal_detail", args=["alpha", world.task.pk])


LIST = reverse("goals:goal_list", args=["alpha"])
SET = reverse("goals:goal_set", args=["alpha"])


@pytest.fixture
def linked(world: World, national: National) -> National:
    actions.link_indicators([world.item_b], [national.indicators["PAT"]], None)
    return national


@pytest.mark.parametrize("persona", ["leader", "supervisor", "admin", "viewer"])
def test_zone_wide_roles_see_the_goal(
    world: World, login: Callable[[User], Client], linked: National, persona: str
) -> None:
    page = login(world.user(persona)).get(detail(world)).content.decode()
    assert 'data-figure="rank">3<' in page and 'data-figure="target-rank">2<' in page
    assert 'id="goal-sankey-data"' in page and "建设创新平台" in page
    assert reverse("front:item_detail", args=["alpha", world.item_b.pk]) in page


@pytest.mark.parametrize("persona", ["unithead", "liaison", "liaison_dev", "outsider"])
def test_others_get_nothing(
    world: World, login: Callable[[User], Client], linked: National, persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(detail(world)).status_code == 404
    assert client.get(LIST).status_code == 404


def test_signed_out_goes_to_sign_in(client: Client, world: World, linked: National) -> None:
    assert client.get(detail(world)).status_code == 302


def test_the_page_in_a_bounded_number_of_queries(
    world: World,
    login: Callable[[User], Client],
    linked: National,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("leader"))
    with django_assert_max_num_queries(20):
        assert client.get(detail(world)).status_code == 200


def test_the_what_if(world: World, login: Callable[[User], Client], linked: National) -> None:
    Warning.objects.create(
        zone=world.zone, rule="OVERDUE", item=world.item_b, unit=world.dev, level="red", reason="逾期",
        opened_at=NOW, updated_at=NOW,
    )  # fmt: skip
    client = login(world.user("leader"))
    page = client.get(detail(world)).content.decode()
    assert f'name="item" value="{world.item_b.pk}"' in page  # lagging: where to push
    fragment = client.get(detail(world), {"item": world.item_b.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="whatif"')
    assert "测算：得分" in fragment and "每万人发明专利授权数" in fragment
    assert client.get(detail(world), {"item": "x"}).status_code == 200  # nonsense is ignored


def test_the_list_goes_to_the_only_goal(
    world: World, login: Callable[[User], Client], linked: National
) -> None:
    client = login(world.user("supervisor"))
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"] == detail(world)
    page = client.get(LIST, {"all": 1}).content.decode()
    assert "设定目标" in page and "科技创新" in page
    assert "设定目标" not in login(world.user("leader")).get(LIST, {"all": 1}).content.decode()


def test_setting_a_goal(world: World, login: Callable[[User], Client], national: National) -> None:
    client = login(world.user("supervisor"))
    response = client.post(SET, {"item": world.task.pk, "scheme": national.scheme.pk, "target_rank": "1"})
    assert response.status_code == 302 and response["Location"] == detail(world)
    assert Goal.objects.get().target_rank == 1


@pytest.mark.parametrize(
    "data, error",
    [
        ({"scheme": "", "target_rank": "3"}, "请选择评价方案"),
        ({"target_rank": ""}, "请填写目标名次"),
        ({"target_rank": "abc"}, "目标名次应为正整数"),
        ({"target_rank": "0"}, "1"),
        ({"target_rank": "501"}, "500"),
        ({"item": "999999"}, "选择一个有效的选项"),
    ],
)
def test_bad_goal_input(
    world: World, login: Callable[[User], Client], national: National, data: dict[str, str], error: str
) -> None:
    good = {"item": str(world.task.pk), "scheme": str(national.scheme.pk), "target_rank": "3"}
    response = login(world.user("supervisor")).post(SET, good | data)
    assert response.status_code == 200 and error in response.content.decode()
    assert Goal.objects.get().target_rank == 2


def test_only_the_office_sets_goals(
    world: World, login: Callable[[User], Client], national: National
) -> None:
    for persona in ("leader", "viewer", "liaison", "outsider"):
        data = {"item": world.task.pk, "scheme": national.scheme.pk, "target_rank": "1"}
        assert login(world.user(persona)).post(SET, data).status_code == 404
    assert Goal.objects.get().target_rank == 2
