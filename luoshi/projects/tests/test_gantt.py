"""The Gantt of stage dates (projects:gantt): planned and actual bars, grouping under major projects, pages."""

import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.tests.conftest import at, sweep_at
from luoshi.conftest import World
from luoshi.projects import map_views
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.actions import stages as stage_actions
from luoshi.projects.choices import Stage
from luoshi.projects.tests.conftest import Ledger

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

PLAN, ACTUAL = 0, 1


def url(world: World, **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"year": 2026, **params}.items())
    return reverse("projects:gantt", args=[world.zone.code]) + "?" + query


def chart(response: "Response") -> dict[str, Any]:
    html = response.content.decode()
    marker = 'id="project-gantt-data" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


def row_names(response: "Response") -> list[str]:
    return [r[1] for r in chart(response)["rows"]]


def test_planned_and_actual_bars_with_today(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    sweep_at(world, at(2026, 12, 3, 9))
    with time_machine.travel(date(2026, 12, 3)):
        client = login(world.user("supervisor"))
        response = client.get(url(world))
    assert response.status_code == 200
    data = chart(response)
    # Major projects in ledger order, each followed by its sub-projects.
    assert data["rows"] == [
        [ledger.factory.pk, "智能装备产业园", 0, 3],
        [ledger.hub.pk, "科创中心", 0, 3],
        [ledger.hub_phase.pk, "科创中心一期", 1, 0],
    ]
    assert data["today"] == "2026-12-03"
    factory = [s for s in data["segments"] if s[0] == 0]
    assert factory == [
        # The plan: started in March, running until the planned completion, which is a milestone.
        [0, "2026-03-01", "2027-06-01", Stage.STARTED, PLAN],
        [0, "2027-06-01", "2027-06-01", Stage.COMPLETED, PLAN],
        # What happened: started on 15 March and still building today.
        [0, "2026-03-15", "2026-12-03", Stage.STARTED, ACTUAL],
    ]
    assert [s for s in data["segments"] if s[0] == 1] == [
        [1, "2026-05-01", "2026-05-01", Stage.STARTED, PLAN]
    ]
    html = response.content.decode()
    assert "2026-03-15" in html  # the table under the chart
    assert reverse("projects:project_detail", args=[world.zone.code, ledger.hub_phase.pk]) in html


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("liaison", ["智能装备产业园"]),
        ("liaison_dev", ["智能装备产业园", "科创中心", "科创中心一期"]),
        ("viewer", ["智能装备产业园", "科创中心", "科创中心一期"]),
    ],
)
def test_units_see_their_projects_and_read_only_users_see_all(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str, expected: list[str]
) -> None:
    assert row_names(login(world.user(persona)).get(url(world))) == expected


def test_outsiders_get_not_found(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    assert login(world.user("outsider")).get(url(world)).status_code == 404


def test_filters(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    assert row_names(client.get(url(world, stage=int(Stage.SIGNED)))) == ["科创中心"]
    assert row_names(client.get(url(world, unit=world.tech.pk))) == ["智能装备产业园"]
    assert (
        "没有符合筛选条件的项目" in client.get(url(world, stage=int(Stage.FULL_PRODUCTION))).content.decode()
    )


def test_pages_of_projects_keep_the_filters(
    world: World, ledger: Ledger, login: Callable[[User], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(map_views, "GANTT_PAGE", 2)
    client = login(world.user("supervisor"))
    ledger_actions.create_project(
        world.zone, 2026, {"name": "新项目", "position": 9, "lead_unit": world.dev}, None
    )
    first, second = client.get(url(world, page=1)), client.get(url(world, page=2))
    assert row_names(first) + row_names(second) == ["智能装备产业园", "科创中心", "科创中心一期", "新项目"]
    assert 'href="?year=2026&amp;page=2"' in first.content.decode()
    filtered = client.get(url(world, unit=world.dev.pk, page=1)).content.decode()
    assert f'href="?year=2026&amp;unit={world.dev.pk}&amp;page=2"' in filtered


def test_the_number_of_queries_does_not_grow_with_the_projects(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(80):
        project = ledger_actions.create_project(
            world.zone, 2026, {"name": f"项目{i}", "lead_unit": world.tech}, None
        )
        stage_actions.set_stage_dates(project, {Stage.STARTED: (date(2026, 4, 1), date(2026, 4, 20))}, None)
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(12):
        response = client.get(url(world))
    assert len(chart(response)["rows"]) == map_views.GANTT_PAGE
