"""Changing an open blocker's text, category, unit or deadline."""

from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.models import Blocker
from luoshi.projects.tests.conftest import Ledger

TODAY = date(2026, 12, 3)  # the fixture's blocker was due 2026-11-30: overdue


def _url(world: World, blocker: Blocker) -> str:
    return reverse("projects:blocker_edit", args=[world.zone.code, blocker.pk])


def _data(blocker: Blocker, **changes: object) -> dict[str, object]:
    data = {
        "description": blocker.description,
        "category": blocker.category,
        "unit": blocker.unit_id,
        "deadline": blocker.deadline.isoformat() if blocker.deadline else "",
    }
    return data | changes


@time_machine.travel(TODAY)
def test_the_project_unit_moves_the_deadline_and_hands_it_to_another_unit(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    client = login(world.user("liaison"))
    page = client.get(_url(world, ledger.blocker)).content.decode()
    assert "修改问题" in page and "供电线路未接入" in page
    data = _data(ledger.blocker, unit=world.tech.pk, deadline="2026-12-20")
    assert client.post(_url(world, ledger.blocker), data).status_code == 302
    ledger.blocker.refresh_from_db()
    assert ledger.blocker.unit == world.tech and ledger.blocker.deadline == date(2026, 12, 20)
    assert ledger.blocker.history.order_by("-history_id").first().history_user == world.user("liaison")


@time_machine.travel(TODAY)
def test_an_overdue_deadline_may_stay_but_not_be_set_anew(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    kept = _data(ledger.blocker, description="供电线路未接入，电力公司排期中")
    assert client.post(_url(world, ledger.blocker), kept).status_code == 302
    ledger.blocker.refresh_from_db()
    assert ledger.blocker.description == "供电线路未接入，电力公司排期中"
    response = client.post(_url(world, ledger.blocker), _data(ledger.blocker, deadline="2026-11-01"))
    assert response.status_code == 200 and "解决时限不能早于今天" in response.content.decode()
    ledger.blocker.refresh_from_db()
    assert ledger.blocker.deadline == date(2026, 11, 30)


@time_machine.travel(TODAY)
def test_an_empty_description_is_refused(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    response = client.post(_url(world, ledger.blocker), _data(ledger.blocker, description="  "))
    assert response.status_code == 200 and response.context["form"].errors["description"]
    assert Blocker.objects.get(pk=ledger.blocker.pk).description == "供电线路未接入"


@pytest.mark.parametrize("persona", ["liaison_dev", "viewer", "leader", "outsider", "nobody"])
def test_others_may_not_edit(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    """The unit asked to solve it clears it but does not rewrite it; read-only users and outsiders see 404."""
    response = login(world.user(persona)).get(_url(world, ledger.blocker))
    assert response.status_code in (404, 302)
    assert login(world.user(persona)).post(
        _url(world, ledger.blocker), _data(ledger.blocker)
    ).status_code in (
        404,
        302,
    )


def test_a_cleared_blocker_is_not_edited(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    blocker_actions.clear_blocker(ledger.blocker, "已接入", date(2026, 12, 1), None)
    assert login(world.user("supervisor")).get(_url(world, ledger.blocker)).status_code == 404
