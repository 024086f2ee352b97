"""The assessment's big screen (assessment:run_screen / scheme_screen) on the shared 1920×1080 layout: the
honour roll and ranking chart, then the score table, rotating; many units split into two columns so 28 fit
without scrolling; the sector columns say they are scores, not counts of warnings."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.assessment import actions, scheme_views
from luoshi.assessment.models import SchemeVersion, ScoreRun
from luoshi.assessment.tests.conftest import NOW
from luoshi.demo.org import DemoOrg
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role


def url(name: str, *args: object) -> str:
    return reverse(f"assessment:{name}", args=["demo", *args])


@pytest.fixture
def run(demo: DemoOrg, version: SchemeVersion) -> ScoreRun:
    return actions.publish_run(actions.score(version, "2026Q3", None, NOW), None, NOW)


@pytest.fixture
def as_(client: Client, demo: DemoOrg) -> Callable[[str], Client]:
    def _as(username: str) -> Client:
        client.force_login(demo.users[username])
        return client

    return _as


def test_the_screen_uses_the_shared_layout_and_labels_the_scores(
    as_: Callable[[str], Client], run: ScoreRun
) -> None:
    page = as_("leader").get(url("run_screen", run.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'class="screen big-screen"' in text and "data-clock" in text and 'data-rotate="20"' in text
    assert "光荣榜" in text and "综合排名" in text and "摘星榜" in text
    assert "各分项为该项得分（0～100，越高越好），不是预警条数或比例" in text
    assert "综合得分" in text and "★ 后为摘得的星数" in text


def test_many_units_split_into_two_halves_in_rank_order(
    as_: Callable[[str], Client], run: ScoreRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        scheme_views, "SCREEN_ROWS", 4
    )  # the scheme ranks 7 units; the demo's quarterly one 28
    page = as_("viewer").get(url("run_screen", run.pk))
    rows = page.context["rows"]
    halves = page.context["halves"]
    assert len(rows) > scheme_views.SCREEN_ROWS
    assert len(halves) == 2 and abs(len(halves[0]) - len(halves[1])) <= 1
    assert [r for half in halves for r in half] == rows
    assert [r.rank for r, _parts in rows] == sorted(r.rank for r, _parts in rows)


def test_a_few_units_stay_in_one_column(
    as_: Callable[[str], Client], run: ScoreRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scheme_views, "SCREEN_ROWS", 1000)
    page = as_("viewer").get(url("scheme_screen", run.version.scheme_id))
    assert len(page.context["halves"]) == 1


def test_another_zone_sees_nothing(client: Client, run: ScoreRun, django_user_model: type[User]) -> None:
    other = org_actions.create_zone("beta", "乙高新区")
    outsider = django_user_model.objects.create_user("outsider")
    org_actions.add_member(other, outsider, Role.SUPERVISOR, None)
    client.force_login(outsider)
    assert client.get(url("run_screen", run.pk)).status_code == 404


def test_the_screen_reads_a_bounded_number_of_queries(
    as_: Callable[[str], Client], run: ScoreRun, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = as_("viewer")
    with django_assert_max_num_queries(12):
        assert client.get(url("run_screen", run.pk)).status_code == 200
