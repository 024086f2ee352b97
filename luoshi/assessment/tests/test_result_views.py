"""A unit's result page (its score's make-up, strongest and weakest indicators, trend) and the large-screen views."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.assessment import actions
from luoshi.assessment.models import SchemeVersion, ScoreRun
from luoshi.assessment.tests.conftest import NOW
from luoshi.demo.org import DemoOrg
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role


def url(name: str, *args: object) -> str:
    return reverse(f"assessment:{name}", args=["demo", *args])


@pytest.fixture
def runs(demo: DemoOrg, version: SchemeVersion) -> tuple[ScoreRun, ScoreRun]:
    """2026Q2 published, 2026Q3 scored with a rank interval and not yet published."""
    earlier = actions.publish_run(actions.score(version, "2026Q2", None, NOW), None, NOW)
    return earlier, actions.score(version, "2026Q3", None, NOW, replications=100)


@pytest.fixture
def as_(client: Client, demo: DemoOrg) -> Callable[[str], Client]:
    def _as(username: str) -> Client:
        client.force_login(demo.users[username])
        return client

    return _as


def test_a_units_result_shows_how_its_score_is_made(
    as_: Callable[[str], Client], demo: DemoOrg, runs: tuple[ScoreRun, ScoreRun]
) -> None:
    _earlier, run = runs
    result = run.results.select_related("unit").order_by("rank").first()
    assert result is not None
    page = as_("supervisor").get(url("result_detail", run.pk, result.unit_id))
    assert page.status_code == 200
    text = page.content.decode()
    assert result.unit.name in text and f"{result.rank} / {run.results.count()}" in text
    assert [p["name"] for p in page.context["parts"]] == ["经济运行", "科技创新", "项目签约落地"]
    parts = sum(p["part"] for p in page.context["parts"])
    assert parts + result.adjustment == pytest.approx(result.score)  # the contributions add up to the score
    assert len(page.context["strongest"]) == 3 and len(page.context["weakest"]) == 3
    assert page.context["strongest"][0][1] <= page.context["weakest"][0][1]
    assert page.context["chart"]["periods"] == ["2026Q2", "2026Q3"]
    assert "排名区间" in text


def test_large_screen_shows_the_honour_roll_and_stars(
    as_: Callable[[str], Client], demo: DemoOrg, runs: tuple[ScoreRun, ScoreRun]
) -> None:
    earlier, run = runs
    client = as_("viewer")
    page = client.get(url("run_screen", run.pk))
    text = page.content.decode()
    assert page.status_code == 200 and "光荣榜" in text and "真抓实干、勇当排头" in text and "★" in text
    assert 'http-equiv="refresh"' in text
    # The scheme's screen follows the latest published run.
    scheme_id = run.version.scheme_id
    assert client.get(url("scheme_screen", scheme_id)).context["run"] == earlier
    actions.publish_run(run, None, NOW)
    assert client.get(url("scheme_screen", scheme_id)).context["run"] == run


@pytest.mark.parametrize("username", ["admin", "leader", "liaison"])
def test_who_sees_results(
    as_: Callable[[str], Client], demo: DemoOrg, runs: tuple[ScoreRun, ScoreRun], username: str
) -> None:
    earlier, run = runs
    client = as_(username)
    first = run.results.first()
    assert first is not None
    unit_id = first.unit_id
    expected = 404 if username == "liaison" else 200  # units see published runs only
    assert client.get(url("result_detail", run.pk, unit_id)).status_code == expected
    assert client.get(url("run_screen", run.pk)).status_code == expected
    assert client.get(url("result_detail", earlier.pk, unit_id)).status_code == 200
    assert client.get(url("result_detail", run.pk, 999999)).status_code == 404


def test_another_zone_sees_nothing(
    client: Client, demo: DemoOrg, runs: tuple[ScoreRun, ScoreRun], django_user_model: type[User]
) -> None:
    earlier, _run = runs
    other = org_actions.create_zone("beta", "乙高新区")
    outsider = django_user_model.objects.create_user("outsider")
    org_actions.add_member(other, outsider, Role.SUPERVISOR, None)
    client.force_login(outsider)
    first = earlier.results.first()
    assert first is not None
    unit_id = first.unit_id
    assert client.get(url("result_detail", earlier.pk, unit_id)).status_code == 404
    assert client.get(url("run_screen", earlier.pk)).status_code == 404
    assert client.get(url("scheme_screen", earlier.version.scheme_id)).status_code == 404


def test_pages_read_a_bounded_number_of_queries(
    as_: Callable[[str], Client],
    demo: DemoOrg,
    runs: tuple[ScoreRun, ScoreRun],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    _earlier, run = runs
    client = as_("supervisor")
    with django_assert_max_num_queries(12):
        first = run.results.first()
        assert first is not None
        client.get(url("result_detail", run.pk, first.unit_id))
    with django_assert_max_num_queries(10):
        client.get(url("run_screen", run.pk))


def test_sensitivity_of_a_run_from_its_stored_figures(
    as_: Callable[[str], Client], demo: DemoOrg, runs: tuple[ScoreRun, ScoreRun]
) -> None:
    earlier, run = runs
    client = as_("supervisor")
    assert run.params["directions"]["ENERGY"] == -1  # stored as resolved when scored
    assert f"/assessment/runs/{run.pk}/sensitivity/" in client.get(url("run_detail", run.pk)).content.decode()
    page = client.get(url("run_sensitivity", run.pk))
    assert page.status_code == 200
    names = [row[0] for row in page.context["rows"]]
    assert names == ["权重（±25%）", "标准化方法", "汇总方法"]  # no imputation alternative in this scheme
    assert all(total >= first - 0.2 for _n, first, _c, total, _tc in page.context["rows"])
    assert page.context["runs"] == 256 * 5
    # Units see it for published runs only, like the run itself.
    assert as_("liaison").get(url("run_sensitivity", run.pk)).status_code == 404
    assert as_("liaison").get(url("run_sensitivity", earlier.pk)).status_code == 200


def test_sensitivity_when_no_choice_moves_the_ranking_says_so(
    as_: Callable[[str], Client], demo: DemoOrg, version: SchemeVersion
) -> None:
    scheme = actions.create_scheme(demo.zone, "固定目标", "custom", "", None)
    structure = "iCode,iName,Level,Parent,Weight\nHTE_NEW,新增高企,1,TOTAL,1\nTOTAL,综合,2,,1"
    steps = '[normalise]\nmethod = "goalposts"\nlower = 0\nupper = 30\n\n[aggregate]\nmethod = "arithmetic_mean"\n'
    fixed = actions.publish_version(
        actions.add_version(scheme, structure, steps, [], "", None, NOW), None, NOW
    )
    run = actions.score(fixed, "2026Q3", None, NOW, replications=10)
    page = as_("supervisor").get(url("run_sensitivity", run.pk))
    assert page.status_code == 200 and "排名都不变" in page.content.decode()  # one indicator: nothing moves
