"""The office notes a warning from its page or from the workbench (alerts:warning_note)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.alerts.models import Warning
from luoshi.alerts.tests.conftest import at
from luoshi.conftest import World

NOTE = "已电话联系区科技创新局，要求本周报送整改计划"


def url(warning: Warning) -> str:
    return reverse("alerts:warning_note", args=["alpha", warning.pk])


def test_the_office_notes_and_the_unit_reads_it(
    world: World, login: Callable[[User], Client], red: Warning
) -> None:
    detail = reverse("alerts:warning_detail", args=["alpha", red.pk])
    page = login(world.user("supervisor")).get(detail).content.decode()
    assert 'data-testid="triage-card"' in page and "待研判" in page
    response = login(world.user("supervisor")).post(url(red), {"text": NOTE})
    assert response.status_code == 302 and response["Location"] == detail
    red.refresh_from_db()
    assert red.triaged_at is not None and red.resolved_at is None
    page = login(world.user("liaison")).get(detail).content.decode()
    assert "督查室备注" in page and NOTE in page and 'data-testid="triage-card"' not in page


@pytest.mark.parametrize(
    "data, error", [({}, "请填写备注内容"), ({"text": " "}, "请填写备注内容"), ({"text": "x" * 1001}, "1000")]
)
def test_a_note_needs_text(
    world: World, login: Callable[[User], Client], red: Warning, data: dict[str, str], error: str
) -> None:
    response = login(world.user("supervisor")).post(url(red), data)
    assert response.status_code == 200 and error in response.content.decode()
    red.refresh_from_db()
    assert red.triaged_at is None and not red.events.filter(kind="noted").exists()


@pytest.mark.parametrize("persona", ["leader", "viewer", "unithead", "liaison", "liaison_dev", "outsider"])
def test_no_one_else_may(world: World, login: Callable[[User], Client], red: Warning, persona: str) -> None:
    assert login(world.user(persona)).post(url(red), {"text": NOTE}).status_code == 404
    assert not red.events.filter(kind="noted").exists()


def test_only_by_post_and_only_while_open(
    world: World, login: Callable[[User], Client], red: Warning
) -> None:
    client = login(world.user("supervisor"))
    assert client.get(url(red)).status_code == 405
    Warning.objects.filter(pk=red.pk).update(resolved_at=at(2026, 7, 8, 11))
    assert client.post(url(red), {"text": NOTE}).status_code == 404
