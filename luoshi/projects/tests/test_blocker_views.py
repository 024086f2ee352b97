"""Raising a blocker, clearing it (销号) with what solved it, and reopening it."""

from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.projects.choices import BlockerStatus
from luoshi.projects.models import Blocker, Project
from luoshi.projects.tests.conftest import Ledger

TODAY = date(2026, 10, 20)


def _new(world: World, project: Project) -> str:
    return reverse("projects:blocker_create", args=[world.zone.code, project.pk])


@time_machine.travel(TODAY)
def test_unit_raises_a_blocker(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("liaison"))
    assert client.get(_new(world, ledger.factory)).status_code == 200
    data = {
        "description": "用地指标未落实",
        "category": "land",
        "unit": world.dev.pk,
        "deadline": "2026-11-30",
    }
    assert client.post(_new(world, ledger.factory), data).status_code == 302
    blocker = Blocker.objects.get(description="用地指标未落实")
    assert blocker.raised_on == TODAY and blocker.unit == world.dev and blocker.status == BlockerStatus.OPEN
    assert blocker.history.first().history_user == world.user("liaison")


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"description": "  "}, "description", ""),
        ({"deadline": "2026-10-01"}, "deadline", "不能早于今天"),
        ({"category": "weather"}, "category", ""),
    ],
)
def test_bad_blocker_is_refused(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    base = {"description": "缺电", "category": "utilities", "unit": "", "deadline": ""}
    response = login(world.user("supervisor")).post(_new(world, ledger.factory), {**base, **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Blocker.objects.count() == 1


@pytest.mark.parametrize("persona", ["liaison_dev", "viewer", "outsider"])
def test_others_may_not_raise(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(_new(world, ledger.factory)).status_code == 404
    assert (
        client.post(_new(world, ledger.factory), {"description": "x", "category": "other"}).status_code == 404
    )
    assert Blocker.objects.count() == 1


@time_machine.travel(TODAY)
@pytest.mark.parametrize("persona", ["supervisor", "liaison", "liaison_dev"])
def test_office_project_unit_and_asked_unit_clear_it(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    url = reverse("projects:blocker_clear", args=[world.zone.code, ledger.blocker.pk])
    client = login(world.user(persona))
    assert client.get(url).status_code == 405
    assert client.post(url, {"resolution": "线路已接入"}).status_code == 302
    ledger.blocker.refresh_from_db()
    assert ledger.blocker.status == BlockerStatus.CLEARED
    assert ledger.blocker.cleared_on == TODAY and ledger.blocker.resolution == "线路已接入"


def test_clearing_needs_a_resolution(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    url = reverse("projects:blocker_clear", args=[world.zone.code, ledger.blocker.pk])
    response = login(world.user("supervisor")).post(url, {"resolution": " "}, follow=True)
    assert "解决情况" in response.content.decode()
    ledger.blocker.refresh_from_db()
    assert ledger.blocker.status == BlockerStatus.OPEN


@pytest.mark.parametrize("persona", ["viewer", "leader", "outsider", "nobody"])
def test_others_may_not_clear(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    url = reverse("projects:blocker_clear", args=[world.zone.code, ledger.blocker.pk])
    assert login(world.user(persona)).post(url, {"resolution": "好了"}).status_code == 404
    ledger.blocker.refresh_from_db()
    assert ledger.blocker.status == BlockerStatus.OPEN


@pytest.mark.parametrize(
    ("persona", "status"), [("supervisor", 302), ("liaison", 404), ("viewer", 404), ("outsider", 404)]
)
def test_only_the_office_reopens(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str, status: int
) -> None:
    from luoshi.projects.actions import blockers as blocker_actions

    blocker_actions.clear_blocker(ledger.blocker, "已接入", TODAY, None)
    url = reverse("projects:blocker_reopen", args=[world.zone.code, ledger.blocker.pk])
    assert login(world.user(persona)).post(url).status_code == status
    ledger.blocker.refresh_from_db()
    assert ledger.blocker.status == (BlockerStatus.OPEN if status == 302 else BlockerStatus.CLEARED)
