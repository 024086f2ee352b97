"""The zone admin's reporting settings page (reporting:settings)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from luoshi.conftest import World
from luoshi.org.models import Zone

URL = reverse("reporting:settings", args=["alpha"])


def test_the_admin_switches_approval_on_and_off(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("admin"))
    page = client.get(URL).content.decode()
    assert "联络员提交 → 督查室验收" in page and "区发展和改革局" in page  # no head to approve its reports
    assert reverse("reporting:calendar", args=["alpha", timezone.localdate().year]) in page
    response = client.post(URL, {"reports_need_approval": "on"})
    assert response.status_code == 302 and response["Location"] == URL
    assert Zone.objects.get(pk=world.zone.pk).reports_need_approval
    assert "已开启单位负责人审核" in client.get(URL).content.decode()
    client.post(URL, {})  # an unticked box sends nothing
    assert not Zone.objects.get(pk=world.zone.pk).reports_need_approval


@pytest.mark.parametrize("value", ["false", "False", ""])
def test_what_a_browser_or_a_script_sends_for_off(
    world: World, login: Callable[[User], Client], value: str
) -> None:
    Zone.objects.filter(pk=world.zone.pk).update(reports_need_approval=True)
    login(world.user("admin")).post(URL, {"reports_need_approval": value})
    assert not Zone.objects.get(pk=world.zone.pk).reports_need_approval


@pytest.mark.parametrize(
    "persona", ["supervisor", "leader", "viewer", "unithead", "liaison", "liaison_dev", "outsider"]
)
def test_only_the_zone_admin(world: World, login: Callable[[User], Client], persona: str) -> None:
    client = login(world.user(persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"reports_need_approval": "on"}).status_code == 404
    assert not Zone.objects.get(pk=world.zone.pk).reports_need_approval


def test_the_review_page_links_here_for_the_admin_only(world: World, login: Callable[[User], Client]) -> None:
    review = reverse("reporting:review", args=["alpha"])
    assert URL in login(world.user("admin")).get(review).content.decode()
    assert URL not in login(world.user("supervisor")).get(review).content.decode()
