from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.alerts import triage
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import Warning
from luoshi.alerts.queries import STATES
from luoshi.alerts.tests.conftest import at, item, only, sweep_at
from luoshi.conftest import World

OVERDUE = RuleCode.OVERDUE


@pytest.fixture
def overdue(world: World) -> tuple[Warning, Warning]:
    """Two red warnings: 区科技创新局's 1.培育高新技术企业 and 区发展和改革局's 发改逾期."""
    only(world, OVERDUE)
    dev_item = item(world, "发改逾期", unit=world.dev, due_date=date(2026, 6, 1))
    sweep_at(world, at(2026, 7, 8, 10))
    tech = Warning.objects.get(item=world.item_a)
    dev = Warning.objects.get(item=dev_item)
    return tech, dev


def list_url(**query: object) -> str:
    url = reverse("alerts:warning_list", kwargs={"zone": "alpha"})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("supervisor", {"tech", "dev"}),
        ("viewer", {"tech", "dev"}),
        ("liaison", {"tech"}),
        ("liaison_dev", {"dev"}),
    ],
)
def test_list_shows_what_the_role_may_see(
    world: World,
    login: Callable[[User], Client],
    overdue: tuple[Warning, Warning],
    persona: str,
    sees: set[str],
) -> None:
    tech, dev = overdue
    body = login(world.user(persona)).get(list_url()).content.decode()
    shown = {name for name, w in (("tech", tech), ("dev", dev)) if f"/z/alpha/warnings/{w.pk}/" in body}
    assert shown == sees


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_other_zones_warnings_do_not_exist(
    world: World, login: Callable[[User], Client], overdue: tuple[Warning, Warning], persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(list_url()).status_code == 404
    assert client.get(reverse("alerts:warning_detail", args=["alpha", overdue[0].pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(client: Client, world: World) -> None:
    assert client.get(list_url()).status_code == 302


def test_filters_counts_and_chart(
    world: World,
    login: Callable[[User], Client],
    overdue: tuple[Warning, Warning],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(10):
        response = client.get(list_url())
    assert response.context["counts"].by_level == {"red": 2}
    assert response.context["chart"] == {
        "rules": ["到期未完成"],
        "series": [
            {"level": "red", "name": "红色", "data": [2]},
            {"level": "yellow", "name": "黄色", "data": [0]},
            {"level": "blue", "name": "蓝色", "data": [0]},
        ],
    }
    assert 'id="warnings-by-rule-data"' in response.content.decode()
    assert len(client.get(list_url(unit=world.dev.pk)).context["page"]) == 1
    assert len(client.get(list_url(level="yellow")).context["page"]) == 0
    assert len(client.get(list_url(rule="OVERDUE")).context["page"]) == 2
    assert len(client.get(list_url(state="resolved")).context["page"]) == 0
    assert len(client.get(list_url(state="all", level="bogus")).context["page"]) == 2


def test_triage_and_dismissed_states(
    world: World, login: Callable[[User], Client], overdue: tuple[Warning, Warning]
) -> None:
    tech, dev = overdue
    triage.note_warning(tech, "已电话督促", world.user("supervisor"), at(2026, 7, 8, 11))
    triage.dismiss_warning(dev, "时限已经常务会议调整", world.user("supervisor"), at(2026, 7, 8, 11))
    client = login(world.user("supervisor"))
    pages = {state: set(client.get(list_url(state=state)).context["page"]) for state in STATES}
    assert pages == {
        "open": {tech},
        "triage": set(),
        "resolved": set(),
        "dismissed": {dev},
        "all": {tech, dev},
    }
    assert "已核销" in client.get(list_url(state="dismissed")).content.decode()


def test_htmx_gets_the_results_fragment(
    world: World, login: Callable[[User], Client], overdue: tuple[Warning, Warning]
) -> None:
    response = login(world.user("supervisor")).get(list_url(level="red"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.strip().startswith('<div id="results">') and "<html" not in body


@pytest.mark.parametrize(
    "persona, status, form",
    [
        ("liaison", 200, True),
        ("unithead", 200, True),
        ("viewer", 200, False),
        ("supervisor", 200, False),
        ("liaison_dev", 404, False),
    ],
)
def test_detail_per_persona(
    world: World,
    login: Callable[[User], Client],
    overdue: tuple[Warning, Warning],
    persona: str,
    status: int,
    form: bool,
) -> None:
    response = login(world.user(persona)).get(reverse("alerts:warning_detail", args=["alpha", overdue[0].pk]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "完成时限2026-06-30，已逾期8天" in body
        assert "触发" in body  # the history's first event
        assert ('name="explanation"' in body) is form
