"""The ledger list: who sees which projects, the filters, the totals, the money unit and the query budget."""

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.choices import Level, RuleCode
from luoshi.alerts.models import Warning
from luoshi.conftest import World
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.actions import investment as investment_actions
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.choices import Category, Stage
from luoshi.projects.models import Project
from luoshi.projects.tests.conftest import Ledger

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


def _url(world: World, **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("projects:ledger", args=[world.zone.code]) + ("?" + query if query else "")


def _names(response: "Response") -> list[str]:
    return [row.project.name for row in response.context["rows"]]


def warn(
    project: Project, level: str, rule: str = RuleCode.PROJECT_INVESTMENT, resolved: bool = False
) -> Warning:
    now = timezone.now()
    return Warning.objects.create(
        zone_id=project.zone_id,
        rule=rule,
        project=project,
        unit=project.lead_unit,
        level=level,
        reason="投资滞后",
        numbers={},
        opened_at=now,
        updated_at=now,
        resolved_at=now if resolved else None,
    )


def test_office_sees_the_year_with_sub_projects_under_their_major(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("supervisor")).get(_url(world, year=2026))
    assert response.status_code == 200
    assert _names(response) == ["智能装备产业园", "科创中心", "科创中心一期"]
    body = response.content.decode()
    assert 'class="sub"' in body
    assert reverse("projects:project_detail", args=[world.zone.code, ledger.factory.pk]) in body
    assert reverse("projects:project_create", args=[world.zone.code]) in body
    assert "乙区项目" not in body


def test_unit_sees_its_own_projects_and_those_it_is_asked_to_help(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    assert _names(login(world.user("liaison")).get(_url(world, year=2026))) == ["智能装备产业园"]
    dev = login(world.user("liaison_dev")).get(_url(world, year=2026))
    assert _names(dev) == ["智能装备产业园", "科创中心", "科创中心一期"]
    assert reverse("projects:project_create", args=[world.zone.code]) not in dev.content.decode()


def test_read_only_sees_all_but_cannot_add(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("viewer")).get(_url(world, year=2026))
    assert len(_names(response)) == 3
    assert response.context["can_edit"] is False


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_other_zones_people_get_404(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    assert login(world.user(persona)).get(_url(world)).status_code == 404


def test_default_year_is_the_latest_with_projects(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("supervisor")).get(_url(world))
    assert response.context["filters"].year in (2026, timezone.localdate().year)


def test_pace_blockers_and_worst_warning(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    warn(ledger.factory, Level.YELLOW)
    warn(ledger.factory, Level.RED, rule=RuleCode.PROJECT_BLOCKER)
    warn(ledger.hub, Level.RED, resolved=True)
    response = login(world.user("supervisor")).get(_url(world, year=2026))
    rows = {row.project.name: row for row in response.context["rows"]}
    factory = rows["智能装备产业园"]
    assert factory.project.n_blockers == 1
    assert factory.project.worst_level == Level.RED
    assert factory.pace is not None and factory.pace.time_share == pytest.approx(100 * 10 / 12)
    assert factory.completion == pytest.approx(100 * 1000 / 6000)
    assert rows["科创中心"].project.worst_level is None
    assert rows["科创中心"].pace is None
    assert 'class="dot lv-red"' in response.content.decode()


def test_filters(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    park = ledger.factory.park
    assert park is not None
    assert _names(client.get(_url(world, year=2026, stage=int(Stage.SIGNED)))) == ["科创中心"]
    assert _names(client.get(_url(world, year=2026, category=Category.INFRASTRUCTURE))) == ["科创中心"]
    assert _names(client.get(_url(world, year=2026, park=park.pk))) == ["智能装备产业园"]
    assert _names(client.get(_url(world, year=2026, unit=world.dev.pk))) == ["科创中心", "科创中心一期"]
    assert _names(client.get(_url(world, year=2026, leader="王副区长"))) == ["智能装备产业园"]
    assert _names(client.get(_url(world, year=2026, q="智造"))) == ["智能装备产业园"]  # the owner
    assert _names(client.get(_url(world, year=2026, q="一期"))) == ["科创中心一期"]
    assert _names(client.get(_url(world, year=2026, lagging=1))) == []
    warn(ledger.hub, Level.BLUE)
    assert _names(client.get(_url(world, year=2026, lagging=1))) == []
    warn(ledger.factory, Level.YELLOW)
    assert _names(client.get(_url(world, year=2026, lagging=1))) == ["智能装备产业园"]


def test_blocked_filters_by_open_blocker_and_the_unit_asked(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    """The cockpit's 有未解决问题 counts link here: projects with an open blocker, or one asked of a unit."""
    today = timezone.localdate()
    asked = blocker_actions.raise_blocker(
        ledger.factory, {"description": "用地未落实", "unit": world.tech}, today, None
    )
    cleared = blocker_actions.raise_blocker(ledger.hub, {"description": "环评未批"}, today, None)
    blocker_actions.clear_blocker(cleared, "已批复", today, None)
    client = login(world.user("supervisor"))
    assert _names(client.get(_url(world, year=2026, blocked=1))) == ["智能装备产业园"]
    assert _names(client.get(_url(world, year=2026, blocker_unit=world.tech.pk))) == ["智能装备产业园"]
    assert asked.unit_id == world.tech.pk
    other = blocker_actions.raise_blocker(ledger.hub, {"description": "资金未到位"}, today, None)
    assert other.unit_id is None
    assert _names(client.get(_url(world, year=2026, blocked=1))) == ["智能装备产业园", "科创中心"]
    assert _names(client.get(_url(world, year=2026, blocker_unit=world.tech.pk))) == ["智能装备产业园"]


def test_garbage_filters_are_ignored(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    response = client.get(_url(world, year=2026, stage="x", category="nope", park="abc", unit="u1"))
    assert len(_names(response)) == 3
    other_unit = ledger.foreign.lead_unit
    assert other_unit is not None
    assert len(_names(client.get(_url(world, year=2026, unit=other_unit.pk)))) == 3  # not a unit of this zone


def test_orphan_sub_project_names_its_major(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("supervisor")).get(_url(world, year=2026, q="一期"))
    assert response.context["rows"][0].orphan
    assert "属于：科创中心" in response.content.decode()


def test_totals_count_sub_projects_only_without_their_major(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    totals = client.get(_url(world, year=2026)).context["totals"]
    assert totals.annual_wan == 6000 + 30000  # the sub-project's 10,000 is inside its major's 30,000
    assert totals.completed_wan == 1000
    only_sub = client.get(_url(world, year=2026, q="一期")).context["totals"]
    assert only_sub.annual_wan == 10000


def test_money_in_yi(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    wan = client.get(_url(world, year=2026)).content.decode()
    assert "50,000" in wan and "万元" in wan
    yi = client.get(_url(world, year=2026, money="yi")).content.decode()
    assert "5.00" in yi and "亿元" in yi


def test_htmx_gets_the_table_only(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    response = login(world.user("supervisor")).get(_url(world, year=2026, stage=4), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "智能装备产业园" in body and "<html" not in body


def test_pagination_and_query_budget(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(120):
        project = ledger_actions.create_project(
            world.zone,
            2026,
            {"name": f"项目{n:03d}", "lead_unit": world.tech, "leader": f"领导{n % 5}"},
            None,
        )
        blocker_actions.raise_blocker(project, {"description": "用地未落实"}, timezone.localdate(), None)
        investment_actions.record_investment(project, 9, None, None)
        warn(project, Level.YELLOW)
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(12):
        first = client.get(_url(world, year=2026))
    assert len(first.context["rows"]) == 100
    assert first.context["page"].paginator.count == 123
    assert "page=2" in first.content.decode()
    with django_assert_max_num_queries(12):
        second = client.get(_url(world, year=2026, page=2, lagging=1, unit=world.tech.pk))
    assert len(second.context["rows"]) == 20
    assert all(row.project.n_blockers == 1 for row in second.context["rows"])


def test_years_picker_lists_the_ledgers(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    ledger_actions.create_project(world.zone, 2025, {"name": "去年项目"}, None)
    response = login(world.user("supervisor")).get(_url(world, year=2025))
    assert _names(response) == ["去年项目"]
    assert response.context["years"] == [2026, 2025]
