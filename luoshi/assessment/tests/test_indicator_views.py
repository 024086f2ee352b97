from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.assessment.models import Indicator, IndicatorValue
from luoshi.conftest import World

ZONE_WIDE = {"admin", "supervisor", "leader", "viewer"}
EDITORS = {"admin", "supervisor"}
MEMBERS = ZONE_WIDE | {"unithead", "liaison", "liaison_dev"}
PERSONAS = sorted(MEMBERS | {"outsider", "nobody"})


def url(name: str, **kwargs: object) -> str:
    return reverse(f"assessment:{name}", kwargs={"zone": "alpha", **kwargs})


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_and_who_edits_the_library(
    world: World,
    login: Callable[[User], Client],
    library: dict[str, Indicator],
    value: IndicatorValue,
    persona: str,
) -> None:
    client = login(world.user(persona))
    pages = [
        (url("indicator_list"), MEMBERS),
        (url("value_list"), MEMBERS),
        (url("indicator_new"), EDITORS),
        (url("indicator_edit", indicator_id=library["HTE"].pk), EDITORS),
        (url("value_import"), EDITORS),
    ]
    for page, allowed in pages:
        assert client.get(page).status_code == (200 if persona in allowed else 404), page
    verify = client.post(url("value_verify", value_id=value.pk))
    assert verify.status_code == (302 if persona in EDITORS else 404)


def test_another_zones_indicator_is_not_found(
    world: World, login: Callable[[User], Client], library: dict[str, Indicator]
) -> None:
    other = Indicator.objects.create(zone=world.other_zone, code="X", name="别区指标")
    client = login(world.user("supervisor"))
    assert client.get(url("indicator_edit", indicator_id=other.pk)).status_code == 404
    assert "别区指标" not in client.get(url("indicator_list")).content.decode()


def test_unit_roles_see_their_own_units_values_only(
    world: World, login: Callable[[User], Client], library: dict[str, Indicator], value: IndicatorValue
) -> None:
    assert "12" in login(world.user("liaison")).get(url("value_list")).content.decode()
    assert "区科技创新局" not in login(world.user("liaison_dev")).get(url("value_list")).content.decode()


def test_the_office_adds_and_changes_an_indicator(
    world: World, login: Callable[[User], Client], library: dict[str, Indicator]
) -> None:
    client = login(world.user("supervisor"))
    data = {"code": "RD", "name": "研发投入强度", "unit_of_measure": "%", "direction": "increase",
            "frequency": "yearly", "source_unit": world.dev.pk, "alert_threshold": "2.5"}  # fmt: skip
    assert client.post(url("indicator_new"), data).status_code == 302
    rd = Indicator.objects.get(zone=world.zone, code="RD")
    assert (rd.source_unit, rd.frequency, str(rd.alert_threshold)) == (world.dev, "yearly", "2.5000")
    client.post(url("indicator_edit", indicator_id=rd.pk), {**data, "name": "R&D投入强度"})
    rd.refresh_from_db()
    assert rd.name == "R&D投入强度" and rd.history.first().history_user == world.user("supervisor")
    table = client.get(url("indicator_list")).content.decode().split("<tbody>")[1]
    assert "R&amp;D投入强度" in table and "研发投入强度" not in table


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"code": "HTE"}, "code", "已被其他指标使用"),
        ({"name": ""}, "name", "这个字段是必填项"),
        ({"direction": "sideways"}, "direction", "sideways"),
        ({"alert_threshold": "很多"}, "alert_threshold", "输入一个数字"),
    ],
)
def test_bad_indicator_input_is_refused(
    world: World,
    login: Callable[[User], Client],
    library: dict[str, Indicator],
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    data = {"code": "NEW", "name": "新指标", "direction": "increase", "frequency": "quarterly", **change}
    response = login(world.user("supervisor")).post(url("indicator_new"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Indicator.objects.filter(zone=world.zone, name="新指标").exists()
    assert Indicator.objects.filter(zone=world.zone).count() == 2
