"""The approvals checklist (前期手续): dates and notes per approval, empty lines left unwritten."""

from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.projects.choices import Approval
from luoshi.projects.models import ApprovalStep, Project
from luoshi.projects.tests.conftest import Ledger


def _url(world: World, project: Project) -> str:
    return reverse("projects:project_approvals", args=[world.zone.code, project.pk])


def _form(**values: str) -> dict[str, str]:
    empty = {f"{kind}_{a}": "" for a in Approval.values for kind in ("planned", "done", "note")}
    return {**empty, **values}


@time_machine.travel(date(2026, 12, 3))
def test_unit_fills_the_checklist(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("unithead"))
    assert client.get(_url(world, ledger.factory)).status_code == 200
    data = _form(done_project="2026-01-10", planned_land="2026-12-31", note_land="土地挂牌中")
    assert client.post(_url(world, ledger.factory), data).status_code == 302
    rows = {row.kind: row for row in ApprovalStep.objects.filter(project=ledger.factory)}
    assert set(rows) == {Approval.PROJECT, Approval.LAND}
    assert rows[Approval.PROJECT].done_on == date(2026, 1, 10)
    assert rows[Approval.LAND].note == "土地挂牌中"
    page = client.get(reverse("projects:project_detail", args=[world.zone.code, ledger.factory.pk]))
    assert "土地挂牌中" in page.content.decode()


@time_machine.travel(date(2026, 12, 3))
def test_future_done_date_is_refused(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    response = login(world.user("supervisor")).post(
        _url(world, ledger.factory), _form(done_land="2027-01-01")
    )
    assert response.status_code == 200
    assert "不能晚于今天" in " ".join(response.context["form"].errors["done_land"])
    assert not ApprovalStep.objects.exists()


@pytest.mark.parametrize("persona", ["liaison_dev", "viewer", "outsider"])
def test_others_may_not_edit_approvals(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(_url(world, ledger.factory)).status_code == 404
    assert client.post(_url(world, ledger.factory), _form(done_project="2026-01-10")).status_code == 404
    assert not ApprovalStep.objects.exists()
