from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.alerts import actions
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import WarningRule
from luoshi.alerts.rules import effective
from luoshi.conftest import World

LIST = reverse("alerts:rule_list", kwargs={"zone": "alpha"})


def rule(world: World, code: str) -> WarningRule:
    actions.ensure_rules([world.zone.pk])
    return WarningRule.objects.get(zone=world.zone, code=code)


def edit_url(r: WarningRule) -> str:
    return reverse("alerts:rule_edit", args=[r.zone.code, r.pk])


@pytest.mark.parametrize(
    "persona, status, edits", [("admin", 200, True), ("viewer", 200, False), ("leader", 200, False)]
)
def test_zone_wide_roles_read_the_rules(
    world: World, login: Callable[[User], Client], persona: str, status: int, edits: bool
) -> None:
    response = login(world.user(persona)).get(LIST)
    assert response.status_code == status
    body = response.content.decode()
    assert all(str(RuleCode(c).label) in body for c in RuleCode.values)
    assert "落后百分点" in body and "宿迁 2025" in body
    assert ("/warnings/rules/" in body.split("<tbody>")[1]) is edits


@pytest.mark.parametrize("persona", ["liaison", "unithead", "outsider"])
def test_others_do_not(world: World, login: Callable[[User], Client], persona: str) -> None:
    assert login(world.user(persona)).get(LIST).status_code == 404


def test_the_office_changes_a_rule(world: World, login: Callable[[User], Client]) -> None:
    behind = rule(world, RuleCode.BEHIND)
    client = login(world.user("supervisor"))
    assert client.get(edit_url(behind)).status_code == 200
    data = {
        "enabled": "on",
        "profile": "shortfall_rel",
        "yellow_pp": "5",
        "red_pp": "15",
        "yellow_rel": "0.1",
        "red_rel": "0.4",
    }
    response = client.post(edit_url(behind), data)
    assert response.status_code == 302
    behind.refresh_from_db()
    assert behind.enabled and effective(behind.code, behind.thresholds)["profile"] == "shortfall_rel"
    assert behind.thresholds["yellow_pp"] == 5.0
    assert behind.history.first().history_user == world.user("supervisor")
    soon = rule(world, RuleCode.DUE_SOON)
    client.post(edit_url(soon), {"workdays": "3"})  # unticked: off
    soon.refresh_from_db()
    assert not soon.enabled


@pytest.mark.parametrize(
    "code, data, error",
    [
        (
            RuleCode.BEHIND,
            {"profile": "gap_pp", "yellow_pp": "20", "red_pp": "10", "yellow_rel": "0", "red_rel": "0.5"},
            "不能小于",
        ),
        (RuleCode.STALLED, {"reports": "1", "red_reports": "6"}, "2"),
        (RuleCode.STALLED, {"reports": "3", "red_reports": "13"}, "12"),  # pulses keep the latest 12
        (RuleCode.FORECAST, {"reports": "20", "grace_days": "7"}, "12"),
        (RuleCode.MISSING, {"red_consecutive": "-1"}, "0"),
        (
            RuleCode.BEHIND,
            {"profile": "magic", "yellow_pp": "1", "red_pp": "2", "yellow_rel": "0", "red_rel": "0.5"},
            "magic",
        ),
    ],
)
def test_bad_thresholds_are_refused(
    world: World, login: Callable[[User], Client], code: str, data: dict[str, str], error: str
) -> None:
    r = rule(world, code)
    response = login(world.user("admin")).post(edit_url(r), data)
    assert response.status_code == 200 and error in response.content.decode()
    r.refresh_from_db()
    assert r.thresholds == dict(effective(code, {}))


@pytest.mark.parametrize("persona", ["viewer", "liaison"])
def test_only_editors_edit(world: World, login: Callable[[User], Client], persona: str) -> None:
    assert login(world.user(persona)).get(edit_url(rule(world, RuleCode.BEHIND))).status_code == 404


def test_another_zones_rule_is_not_found(world: World, login: Callable[[User], Client]) -> None:
    actions.ensure_rules([world.other_zone.pk])
    other = WarningRule.objects.get(zone=world.other_zone, code=RuleCode.BEHIND)
    url = reverse("alerts:rule_edit", args=["alpha", other.pk])
    assert login(world.user("admin")).get(url).status_code == 404


def test_stored_thresholds_of_the_wrong_kind_fall_back_to_the_defaults() -> None:
    stored = {"yellow_pp": "ten", "red_pp": 25, "profile": "nonsense", "unknown": 1, "yellow_rel": True}
    assert effective(RuleCode.BEHIND, stored) == {
        "profile": "gap_pp", "yellow_pp": 10.0, "red_pp": 25.0, "yellow_rel": 0.0, "red_rel": 0.5,
    }  # fmt: skip
    assert effective(RuleCode.STALLED, {"reports": 2.5, "red_reports": 8.0}) == {
        "reports": 3,
        "red_reports": 8,
    }
    assert effective(RuleCode.FORECAST, {"reports": 40})["reports"] == 4  # beyond what a pulse keeps
