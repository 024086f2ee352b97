"""Planned and actual stage dates: out-of-order dates are refused naming the stages; reaching a stage moves
the project there."""

from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.projects.actions import ProjectError
from luoshi.projects.actions import stages as stage_actions
from luoshi.projects.choices import Stage
from luoshi.projects.models import Project, StageDate
from luoshi.projects.tests.conftest import Ledger


def _url(world: World, project: Project) -> str:
    return reverse("projects:project_stages", args=[world.zone.code, project.pk])


def _form(**dates: str) -> dict[str, str]:
    empty = {f"{kind}_{int(s)}": "" for s in Stage for kind in ("planned", "actual")}
    return {**empty, **dates}


@time_machine.travel(date(2026, 12, 3))
def test_unit_records_stages_and_the_project_moves_on(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    client = login(world.user("liaison"))
    assert client.get(_url(world, ledger.factory)).status_code == 200
    data = _form(planned_4="2026-03-01", actual_4="2026-03-15", planned_5="2026-11-01", actual_5="2026-11-20",
                 planned_6="2027-06-01")  # fmt: skip
    assert client.post(_url(world, ledger.factory), data).status_code == 302
    ledger.factory.refresh_from_db()
    assert ledger.factory.stage == Stage.CAPPED
    assert StageDate.objects.get(project=ledger.factory, stage=Stage.CAPPED).actual == date(2026, 11, 20)
    assert not StageDate.objects.filter(project=ledger.factory, stage=Stage.PLANNING).exists()


@time_machine.travel(date(2026, 12, 3))
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"planned_4": "2026-05-01", "planned_6": "2026-04-01"},
            "planned_6",
            "竣工计划日期 2026-04-01 早于开工的 2026-05-01",
        ),
        ({"actual_3": "2026-02-01", "actual_4": "2026-01-01"}, "actual_4", "开工实际日期"),
        ({"actual_5": "2027-01-01"}, "actual_5", "不能晚于今天"),
        ({"planned_4": "2026-13-01"}, "planned_4", ""),
    ],
)
def test_bad_dates_are_refused(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = login(world.user("supervisor")).post(_url(world, ledger.factory), _form(**data))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert StageDate.objects.get(project=ledger.factory, stage=Stage.STARTED).planned == date(2026, 3, 1)
    assert not StageDate.objects.filter(project=ledger.factory, stage__in=[3, 5]).exists()


def test_action_refuses_out_of_order_dates(world: World, ledger: Ledger) -> None:
    with pytest.raises(ProjectError, match="竣工计划日期早于开工"):
        stage_actions.set_stage_dates(
            ledger.factory, {4: (date(2026, 5, 1), None), 6: (date(2026, 4, 1), None)}, None
        )
    assert stage_actions.out_of_order({1: None, 2: date(2026, 1, 1), 3: None, 4: date(2026, 1, 1)}) is None
    assert stage_actions.out_of_order({2: date(2026, 2, 1), 5: date(2026, 1, 1)}) == (2, 5)


@pytest.mark.parametrize("persona", ["liaison_dev", "viewer", "outsider"])
def test_others_may_not_edit_stages(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(_url(world, ledger.factory)).status_code == 404
    assert client.post(_url(world, ledger.factory), _form(planned_4="2026-01-01")).status_code == 404
    assert StageDate.objects.get(project=ledger.factory, stage=Stage.STARTED).planned == date(2026, 3, 1)
