"""Adding, editing and deleting a project: the office only, with clear field errors and nothing written on
error."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.models import Boundary, Project
from luoshi.projects.tests.conftest import Ledger

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

GOOD = {
    "name": "新能源电池项目",
    "category": "industrial",
    "level": "municipal",
    "construction": "new",
    "owner": "青岛新能科技有限公司",
    "owner_uscc": "91350100m000100y43",
    "stage": "3",
    "total_investment_wan": "80000",
    "annual_plan_wan": "12000.5",
    "longitude": "120.5",
    "latitude": "36.2",
    "leader": "张副区长",
}


def _create(world: World, year: int = 2026) -> str:
    return reverse("projects:project_create", args=[world.zone.code]) + f"?year={year}"


def _errors(response: "Response") -> dict[str, Any]:
    return response.context["form"].errors


def test_office_adds_a_project_at_the_end_of_the_ledger(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    assert client.get(_create(world)).status_code == 200
    response = client.post(
        _create(world), {**GOOD, "year": "2026", "lead_unit": world.tech.pk, "parent": ledger.hub.pk}
    )
    project = Project.objects.get(name="新能源电池项目")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:project_detail", args=[world.zone.code, project.pk])
    assert project.year == 2026 and project.owner_uscc == "91350100M000100Y43"
    assert project.annual_plan_wan == pytest.approx(12000.5)
    assert project.parent == ledger.hub and project.lead_unit == world.tech
    assert project.position > max(
        p.position for p in Project.objects.exclude(pk=project.pk).filter(year=2026)
    )
    assert project.history.first().history_user == world.user("supervisor")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"owner_uscc": "91350100M000100Y44"}, "owner_uscc", "校验位不正确"),
        ({"owner_uscc": "9135"}, "owner_uscc", "应为 18 位"),
        ({"total_investment_wan": "-1"}, "total_investment_wan", "不能为负数"),
        ({"annual_plan_wan": "abc"}, "annual_plan_wan", ""),
        ({"annual_plan_wan": "90000"}, "annual_plan_wan", "不能超过总投资"),
        ({"total_investment_wan": "1000000000"}, "total_investment_wan", "1 万亿元"),
        ({"longitude": "200"}, "longitude", "经度应在"),
        ({"latitude": "80"}, "latitude", "纬度应在"),
        ({"latitude": ""}, "latitude", "同时填写"),
        ({"name": "智能装备产业园"}, "name", "已有同名项目"),
        ({"name": ""}, "name", ""),
    ],
)
def test_bad_input_is_refused_with_the_field_and_reason(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = Project.objects.count()
    response = login(world.user("supervisor")).post(_create(world), {**GOOD, "year": "2026", **changes})
    assert response.status_code == 200
    assert field in _errors(response)
    assert message in " ".join(_errors(response)[field])
    assert Project.objects.count() == before
    assert "本次没有写入任何数据" in response.content.decode()


def test_same_name_in_another_year_is_fine(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("supervisor")).post(
        _create(world, 2027), {**GOOD, "name": "智能装备产业园", "year": "2027"}
    )
    assert response.status_code == 302
    assert Project.objects.filter(name="智能装备产业园", year=2027).exists()


def test_coordinates_must_fall_inside_the_uploaded_boundary(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    Boundary.objects.create(
        zone=world.zone,
        name="甲高新区边界",
        geojson={},
        min_lon=120.0,
        min_lat=36.0,
        max_lon=120.3,
        max_lat=36.4,
    )
    response = login(world.user("supervisor")).post(_create(world), {**GOOD, "year": "2026"})
    assert "不在甲高新区边界范围内" in " ".join(_errors(response)["longitude"])
    ok = login(world.user("supervisor")).post(_create(world), {**GOOD, "year": "2026", "longitude": "120.2"})
    assert ok.status_code == 302


def test_office_edits_a_project(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    url = reverse("projects:project_edit", args=[world.zone.code, ledger.factory.pk])
    client = login(world.user("supervisor"))
    assert client.get(url).status_code == 200
    data = {
        **GOOD,
        "name": "智能装备产业园（一期）",
        "total_investment_wan": "60000",
        "annual_plan_wan": "6000",
    }
    assert client.post(url, data).status_code == 302
    ledger.factory.refresh_from_db()
    assert ledger.factory.name == "智能装备产业园（一期）"
    assert ledger.factory.total_investment_wan == 60000
    assert ledger.factory.completed_wan == 1000  # reported figures are not the form's


def test_edit_refuses_a_total_below_what_is_done_and_a_parent_for_a_major(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    url = reverse("projects:project_edit", args=[world.zone.code, ledger.factory.pk])
    response = client.post(url, {**GOOD, "total_investment_wan": "500", "annual_plan_wan": "400"})
    assert "本年已完成投资 1000" in " ".join(_errors(response)["total_investment_wan"])
    hub_url = reverse("projects:project_edit", args=[world.zone.code, ledger.hub.pk])
    response = client.post(hub_url, {**GOOD, "name": "科创中心", "parent": ledger.factory.pk})
    assert "有子项目" in " ".join(_errors(response)["parent"])
    ledger.factory.refresh_from_db()
    assert ledger.factory.total_investment_wan == 50000


def test_office_deletes_a_project(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    url = reverse("projects:project_delete", args=[world.zone.code, ledger.hub.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and "year=2026" in response["Location"]
    assert not Project.objects.filter(pk__in=[ledger.hub.pk, ledger.hub_phase.pk]).exists()


@pytest.mark.parametrize("persona", ["unithead", "liaison_dev", "viewer", "leader", "outsider"])
def test_only_the_office_adds_edits_and_deletes(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    client = login(world.user(persona))
    zone = world.zone.code
    assert client.get(_create(world)).status_code == 404
    assert client.post(_create(world), {**GOOD, "year": "2026"}).status_code == 404
    assert client.get(reverse("projects:project_edit", args=[zone, ledger.factory.pk])).status_code == 404
    assert client.post(reverse("projects:project_delete", args=[zone, ledger.factory.pk])).status_code == 404
    assert Project.objects.filter(pk=ledger.factory.pk).exists()


def test_add_project_action_places_it_last(world: World, ledger: Ledger) -> None:
    project = ledger_actions.add_project(world.zone, 2026, {"name": "新项目"}, None)
    assert project.position == max(Project.objects.filter(year=2026).values_list("position", flat=True))
