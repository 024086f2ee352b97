"""The project page: fields, pace, stage timeline, approvals, chart data, warnings, blockers, sub-projects,
photos and history, for each kind of reader."""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts.choices import Level
from luoshi.conftest import World
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.actions import investment as investment_actions
from luoshi.projects.models import Project
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.test_ledger_view import warn

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


def _url(world: World, project: Project) -> str:
    return reverse("projects:project_detail", args=[world.zone.code, project.pk])


def _chart(response: "Response") -> dict[str, Any]:
    body = response.content.decode()
    start = body.index('id="project-investment-data"')
    start = body.index(">", start) + 1
    return json.loads(body[start : body.index("</script>", start)])


def test_owner_unit_sees_everything_and_may_report(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    investment_actions.set_monthly_plan(
        ledger.factory, {3: Decimal(500), 6: Decimal(2000), 10: Decimal(4000)}, None
    )
    warning = warn(ledger.factory, Level.RED)
    response = login(world.user("liaison")).get(_url(world, ledger.factory))
    assert response.status_code == 200
    body = response.content.decode()
    assert "智能装备产业园" in body and "青岛智造科技有限公司" in body and "91350100M000100Y43" in body
    assert "供电线路未接入" in body
    assert reverse("projects:project_investment", args=[world.zone.code, ledger.factory.pk]) in body
    assert reverse("projects:blocker_clear", args=[world.zone.code, ledger.blocker.pk]) in body
    assert reverse("projects:project_edit", args=[world.zone.code, ledger.factory.pk]) not in body
    assert reverse("alerts:warning_detail", args=[world.zone.code, warning.pk]) in body
    pace = response.context["pace"]
    assert pace.month == 10 and pace.planned_wan == 4000 and pace.gap_pp == pytest.approx(50)
    chart = _chart(response)
    assert [r["plan_cum"] for r in chart["rows"]][:6] == [0, 0, 500, 500, 500, 2000]
    assert chart["rows"][9]["actual_cum"] == 1000 and chart["rows"][9]["actual_month"] == 1000
    assert chart["rows"][10]["actual_cum"] is None
    assert len(chart["months"]) == 12
    history = [entry.what for entry in response.context["history"]]
    assert "新增项目：智能装备产业园" in history
    assert any("月度投资（10月）" in what for what in history)
    assert any("存在问题（供电线路未接入）" in what for what in history)


def test_office_may_edit_and_reopen(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    blocker_actions.clear_blocker(ledger.blocker, "已接入", ledger.blocker.raised_on, None)
    response = login(world.user("supervisor")).get(_url(world, ledger.factory))
    body = response.content.decode()
    assert reverse("projects:project_edit", args=[world.zone.code, ledger.factory.pk]) in body
    assert reverse("projects:project_delete", args=[world.zone.code, ledger.factory.pk]) in body
    assert reverse("projects:blocker_reopen", args=[world.zone.code, ledger.blocker.pk]) in body
    assert "已接入" in body


def test_unit_asked_to_solve_a_blocker_reads_and_clears_it_only(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("liaison_dev")).get(_url(world, ledger.factory))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("projects:blocker_clear", args=[world.zone.code, ledger.blocker.pk]) in body
    assert reverse("projects:project_investment", args=[world.zone.code, ledger.factory.pk]) not in body
    assert response.context["can_report"] is False


def test_read_only_user_sees_no_buttons(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("viewer")).get(_url(world, ledger.factory))
    assert response.status_code == 200
    assert response.context["can_edit"] is False and response.context["can_report"] is False
    body = response.content.decode()
    for name, pk in (("blocker_clear", ledger.blocker.pk), ("photo_add", ledger.factory.pk)):
        assert reverse(f"projects:{name}", args=[world.zone.code, pk]) not in body


def test_major_project_lists_its_sub_projects(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    response = login(world.user("viewer")).get(_url(world, ledger.hub))
    assert [c.name for c in response.context["children"]] == ["科创中心一期"]
    sub = login(world.user("viewer")).get(_url(world, ledger.hub_phase))
    assert "科创中心" in sub.content.decode()


def test_money_in_yi(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    body = login(world.user("viewer")).get(_url(world, ledger.factory) + "?money=yi").content.decode()
    assert "5.00" in body and "0.60" in body  # 50,000 and 6,000 万元


@pytest.mark.parametrize("persona", ["liaison", "outsider", "nobody"])
def test_unseen_projects_are_404(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    project = ledger.hub if persona == "liaison" else ledger.factory
    assert login(world.user(persona)).get(_url(world, project)).status_code == 404


def test_other_zones_project_is_404(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    assert login(world.user("supervisor")).get(_url(world, ledger.foreign)).status_code == 404


def test_query_budget(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(20):
        client.get(_url(world, ledger.factory))
