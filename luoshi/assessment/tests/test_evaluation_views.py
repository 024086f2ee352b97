"""The evaluation page: the execution facts per unit for a period and the office's marks entered beside them."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries
from time_machine import TimeMachineFixture

from luoshi.assessment import actions, facts
from luoshi.assessment.models import IndicatorValue
from luoshi.assessment.tests.conftest import LATER
from luoshi.conftest import World


def url(name: str, period: str = "2026-07") -> str:
    return reverse(f"assessment:{name}", args=["alpha"]) + f"?period={period}"


@pytest.fixture
def collected(world: World, july: None) -> None:
    actions.collect_facts(world.zone, "2026-07", None, LATER)


def test_the_office_sees_the_facts_and_enters_marks(
    world: World, login: Callable[[User], Client], collected: None
) -> None:
    client = login(world.user("supervisor"))
    page = client.get(url("evaluation"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "区科技创新局" in text and "按时报送率" in text and "60" in text
    field = {"tech": f"u{world.tech.pk}", "dev": f"u{world.dev.pk}"}
    response = client.post(url("evaluation"), {field["tech"]: "18.5", field["dev"]: ""})
    assert response.status_code == 302 and response["Location"].endswith("?period=2026-07")
    value = IndicatorValue.objects.get(indicator__code=facts.OFFICE)
    assert (value.unit, value.value, value.period) == (world.tech, 18.5, "2026-07")
    assert 'value="18.5"' in client.get(url("evaluation")).content.decode()


@pytest.mark.parametrize("mark, message", [("25", "20"), ("-1", "0"), ("好", "数")])
def test_a_bad_mark_names_the_unit_and_writes_nothing(
    world: World, login: Callable[[User], Client], collected: None, mark: str, message: str
) -> None:
    client = login(world.user("supervisor"))
    response = client.post(url("evaluation"), {f"u{world.dev.pk}": "15", f"u{world.tech.pk}": mark})
    assert response.status_code == 200
    text = response.content.decode()
    assert "区科技创新局：" in text and message in text
    assert not IndicatorValue.objects.filter(indicator__code=facts.OFFICE).exists()


def test_recomputing_the_facts(world: World, login: Callable[[User], Client], july: None) -> None:
    client = login(world.user("supervisor"))
    assert "还没有执行数据" in client.get(url("evaluation")).content.decode()
    response = client.post(url("facts_collect"))
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(indicator__code=facts.ON_TIME, period="2026-07").count() == 2


def test_an_unreadable_period_falls_back_to_the_current_quarter(
    world: World, login: Callable[[User], Client], collected: None, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LATER)
    page = login(world.user("supervisor")).get(url("evaluation", "第三季度"))
    assert page.context["period"] == "2026Q3"


@pytest.mark.parametrize("persona", ["leader", "viewer", "unithead", "liaison", "outsider", "nobody"])
def test_only_the_office_and_admins_evaluate(
    world: World, login: Callable[[User], Client], collected: None, persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(url("evaluation")).status_code == 404
    assert client.post(url("evaluation"), {f"u{world.tech.pk}": "20"}).status_code == 404
    assert client.post(url("facts_collect")).status_code == 404
    assert not IndicatorValue.objects.filter(indicator__code=facts.OFFICE).exists()


def test_the_page_reads_a_bounded_number_of_queries(
    world: World,
    login: Callable[[User], Client],
    collected: None,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("admin"))
    with django_assert_max_num_queries(12):
        client.get(url("evaluation"))
