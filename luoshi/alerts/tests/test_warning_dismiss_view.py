"""The office dismisses a warning from its page or from the workbench (alerts:warning_dismiss)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.alerts.models import Warning
from luoshi.alerts.tests.conftest import at
from luoshi.conftest import World

REASON = "该事项时限已经区政府常务会议研究调整"


def url(warning: Warning) -> str:
    return reverse("alerts:warning_dismiss", args=["alpha", warning.pk])


@pytest.mark.parametrize("persona", ["supervisor", "admin"])
def test_the_office_dismisses(
    world: World, login: Callable[[User], Client], red: Warning, persona: str
) -> None:
    response = login(world.user(persona)).post(url(red), {"text": REASON})
    assert response.status_code == 302 and response["Location"].endswith(f"/warnings/{red.pk}/")
    red.refresh_from_db()
    assert red.dismissed_at is not None and red.dismissal == REASON
    page = login(world.user(persona)).get(response["Location"]).content.decode()
    assert "已核销" in page and REASON in page and 'data-testid="triage-card"' not in page


def test_back_to_the_workbench_and_never_elsewhere(
    world: World, login: Callable[[User], Client], red: Warning
) -> None:
    client = login(world.user("supervisor"))
    home = reverse("front:zone_home", args=["alpha"])
    response = client.post(url(red), {"text": REASON, "next": "https://evil.example/"})
    assert response["Location"].endswith(f"/warnings/{red.pk}/")
    Warning.objects.filter(pk=red.pk).update(resolved_at=None, dismissed_at=None, held=False)
    response = client.post(url(red), {"text": REASON, "next": f"{home}#triage"})
    assert response["Location"] == f"{home}#triage"


@pytest.mark.parametrize(
    "data, error",
    [
        ({}, "请说明核销理由"),
        ({"text": "  "}, "请说明核销理由"),
        ({"text": "已调整"}, "至少4个字"),
        ({"text": "x" * 501}, "500"),
    ],
)
def test_a_reason_is_required(
    world: World, login: Callable[[User], Client], red: Warning, data: dict[str, str], error: str
) -> None:
    response = login(world.user("supervisor")).post(url(red), data)
    assert response.status_code == 200 and error in response.content.decode()
    red.refresh_from_db()
    assert red.resolved_at is None and red.dismissed_at is None


@pytest.mark.parametrize("persona", ["leader", "viewer", "unithead", "liaison", "liaison_dev", "outsider"])
def test_no_one_else_may(world: World, login: Callable[[User], Client], red: Warning, persona: str) -> None:
    assert login(world.user(persona)).post(url(red), {"text": REASON}).status_code == 404
    red.refresh_from_db()
    assert red.resolved_at is None


def test_only_by_post_only_while_open_and_only_when_signed_in(
    world: World, client: Client, login: Callable[[User], Client], red: Warning
) -> None:
    assert client.post(url(red), {"text": REASON}).status_code == 302  # to the sign-in page
    red.refresh_from_db()
    assert red.resolved_at is None
    supervisor = login(world.user("supervisor"))
    assert supervisor.get(url(red)).status_code == 405
    Warning.objects.filter(pk=red.pk).update(resolved_at=at(2026, 7, 8, 11))
    assert supervisor.post(url(red), {"text": REASON}).status_code == 404
