"""Reporting the month's cumulative investment and the monthly plan: the office or the project's unit, with
clear errors and nothing written on error."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.projects.models import InvestmentMonth, Project
from luoshi.projects.tests.conftest import Ledger


def _url(world: World, project: Project) -> str:
    return reverse("projects:project_investment", args=[world.zone.code, project.pk])


def _plan(months: dict[int, str]) -> dict[str, str]:
    return {"form": "plan", **{f"m{m}": months.get(m, "") for m in range(1, 13)}}


def test_unit_reports_the_month(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("liaison"))
    assert client.get(_url(world, ledger.factory)).status_code == 200
    response = client.post(
        _url(world, ledger.factory), {"form": "actual", "month": "11", "actual_cum_wan": "1500"}
    )
    assert response.status_code == 302
    ledger.factory.refresh_from_db()
    assert ledger.factory.completed_wan == 1500 and ledger.factory.completed_month == 11
    row = InvestmentMonth.objects.get(project=ledger.factory, month=11)
    assert row.history.first().history_user == world.user("liaison")


def test_blank_takes_the_month_back(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    client.post(_url(world, ledger.factory), {"form": "actual", "month": "10", "actual_cum_wan": ""})
    ledger.factory.refresh_from_db()
    assert ledger.factory.completed_wan == 0 and ledger.factory.completed_month is None


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-5", "不能为负数"), ("abc", ""), ("900", "逐月不减"), ("60000", "超过总投资")],
)
def test_bad_actual_is_refused(
    world: World, ledger: Ledger, login: Callable[[User], Client], amount: str, message: str
) -> None:
    client = login(world.user("liaison"))
    response = client.post(
        _url(world, ledger.factory), {"form": "actual", "month": "11", "actual_cum_wan": amount}
    )
    assert response.status_code == 200
    form = response.context["actual_form"]
    assert not form.is_valid() or form.errors
    assert message in str(form.errors)
    assert not InvestmentMonth.objects.filter(project=ledger.factory, month=11).exists()
    ledger.factory.refresh_from_db()
    assert ledger.factory.completed_wan == 1000


def test_office_sets_the_monthly_plan(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    response = client.post(_url(world, ledger.factory), _plan({3: "500", 6: "2000", 12: "6000"}))
    assert response.status_code == 302
    plans = dict(
        InvestmentMonth.objects.filter(project=ledger.factory, plan_cum_wan__isnull=False).values_list(
            "month", "plan_cum_wan"
        )
    )
    assert plans == {3: Decimal(500), 6: Decimal(2000), 12: Decimal(6000)}


def test_a_falling_plan_is_refused_at_the_month(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    response = client.post(_url(world, ledger.factory), _plan({3: "500", 6: "400"}))
    assert response.status_code == 200
    assert "1-3月的 500 万元" in " ".join(response.context["plan_form"].errors["m6"])
    assert not InvestmentMonth.objects.filter(project=ledger.factory, plan_cum_wan__isnull=False).exists()


@pytest.mark.parametrize("persona", ["liaison_dev", "viewer", "leader", "outsider", "nobody"])
def test_others_may_not_report(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(_url(world, ledger.factory)).status_code == 404
    response = client.post(
        _url(world, ledger.factory), {"form": "actual", "month": "11", "actual_cum_wan": "1500"}
    )
    assert response.status_code == 404
    ledger.factory.refresh_from_db()
    assert ledger.factory.completed_wan == 1000
