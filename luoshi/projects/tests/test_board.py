"""The stage board (projects:board): a column per stage with counts, sums and cards."""

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.tests.conftest import at, sweep_at
from luoshi.conftest import World
from luoshi.projects import map_views
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.choices import Stage
from luoshi.projects.tests.conftest import Ledger

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


def url(world: World, **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"year": 2026, **params}.items())
    return reverse("projects:board", args=[world.zone.code]) + "?" + query


def columns(response: "Response") -> dict[int, map_views.Column]:
    return {c.stage: c for c in response.context["columns"]}


def cards(response: "Response") -> dict[str, int]:
    """Card name → its column's stage."""
    return {p.name: c.stage for c in response.context["columns"] for p in c.cards}


def test_a_column_per_stage_with_counts_sums_and_cards(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    sweep_at(world, at(2026, 12, 3, 9))
    response = login(world.user("supervisor")).get(url(world))
    assert response.status_code == 200
    board = columns(response)
    assert [c.label for c in board.values()] == [
        "谋划",
        "洽谈",
        "签约",
        "开工",
        "主体封顶",
        "竣工",
        "投产",
        "达产",
    ]
    assert {s: c.count for s, c in board.items() if c.count} == {1: 1, 3: 1, 4: 1}
    assert cards(response) == {"科创中心一期": 1, "科创中心": 3, "智能装备产业园": 4}
    assert board[Stage.STARTED].total == Decimal(50000) and board[Stage.STARTED].done == Decimal(1000)
    # The major project's figures include its sub-project's, so the sub-project adds nothing while both show.
    assert board[Stage.PLANNING].annual == 0 and board[Stage.SIGNED].annual == Decimal(30000)
    html = response.content.decode()
    assert "50,000" in html and "30,000" in html
    assert reverse("projects:project_detail", args=[world.zone.code, ledger.factory.pk]) in html
    assert 'class="dot lv-red"' in html and 'class="dot lv-none"' in html
    assert "乙区项目" not in html


def test_a_sub_project_counts_when_its_major_project_is_filtered_out(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("supervisor")).get(url(world, stage=int(Stage.PLANNING)))
    assert columns(response)[Stage.PLANNING].annual == Decimal(10000)
    assert cards(response) == {"科创中心一期": 1}


def test_money_in_yi(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    html = login(world.user("supervisor")).get(url(world, money="yi")).content.decode()
    assert "金额单位：亿元" in html and "5.00" in html and "20.00" in html


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("liaison", {"智能装备产业园"}),
        ("liaison_dev", {"智能装备产业园", "科创中心", "科创中心一期"}),
        ("viewer", {"智能装备产业园", "科创中心", "科创中心一期"}),
    ],
)
def test_units_see_their_projects_and_read_only_users_see_all(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str, expected: set[str]
) -> None:
    assert set(cards(login(world.user(persona)).get(url(world)))) == expected


def test_outsiders_get_not_found(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    assert login(world.user("outsider")).get(url(world)).status_code == 404


def test_filters_and_htmx(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    sweep_at(world, at(2026, 12, 3, 9))
    client = login(world.user("supervisor"))
    assert set(cards(client.get(url(world, lagging=1)))) == {"智能装备产业园", "科创中心"}
    assert set(cards(client.get(url(world, unit=world.dev.pk)))) == {"科创中心", "科创中心一期"}
    assert set(cards(client.get(url(world, category="infrastructure")))) == {"科创中心"}
    fragment = client.get(url(world), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="results">')


def test_long_columns_show_the_first_cards_and_link_to_the_ledger(
    world: World, ledger: Ledger, login: Callable[[User], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(map_views, "BOARD_CARDS", 2)
    for i in range(3):
        ledger_actions.create_project(world.zone, 2026, {"name": f"储备项目{i}", "position": i}, None)
    response = login(world.user("supervisor")).get(url(world, category="industrial"))
    planning = columns(response)[Stage.PLANNING]
    assert planning.count == 4 and [p.name for p in planning.cards] == ["科创中心一期", "储备项目0"]
    assert planning.more == 2
    ledger_url = reverse("projects:ledger", args=[world.zone.code])
    assert planning.more_url == f"{ledger_url}?year=2026&category=industrial&stage=1"
    assert "还有 2 个项目，在台账中查看" in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_projects(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(80):
        ledger_actions.create_project(
            world.zone, 2026, {"name": f"项目{i}", "stage": 1 + i % 8, "lead_unit": world.tech}, None
        )
    sweep_at(world, at(2026, 12, 3, 9))
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(12):
        response = client.get(url(world, unit=world.tech.pk))
    assert sum(len(c.cards) for c in response.context["columns"]) == 81
