from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.assessment import actions
from luoshi.assessment.models import Scheme, SchemeVersion, ScoreRun
from luoshi.assessment.tests.conftest import NOW, STEPS, STRUCTURE
from luoshi.demo.org import DemoOrg
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role


def url(name: str, *args: object) -> str:
    return reverse(f"assessment:{name}", args=["demo", *args])


@pytest.fixture
def run(demo: DemoOrg, version: SchemeVersion) -> ScoreRun:
    return actions.score(version, "2026Q3", None, NOW, replications=100)


@pytest.fixture
def as_(client: Client, demo: DemoOrg) -> Callable[[str], Client]:
    def _as(username: str) -> Client:
        client.logout()
        client.force_login(demo.users[username])
        return client

    return _as


def test_the_office_builds_a_scheme_and_scores_a_quarter(as_: Callable[[str], Client], demo: DemoOrg) -> None:
    client = as_("supervisor")
    response = client.post(
        url("scheme_list"), {"name": "季度摘星夺旗", "kind": "star_flag", "description": ""}
    )
    scheme = Scheme.objects.get(zone=demo.zone, name="季度摘星夺旗")
    assert response.status_code == 302
    page = client.get(url("scheme_detail", scheme.pk)).content.decode()
    assert "arithmetic_mean" in page  # a new scheme starts from the default pipeline
    data = {
        "structure": STRUCTURE,
        "pipeline": STEPS,
        "adjustments": "SATISFACTION_BONUS,bonus,3",
        "note": "首版",
    }
    assert client.post(url("version_create", scheme.pk), data).status_code == 302
    version = scheme.versions.get()
    assert version.adjustments == [
        {"indicator": "SATISFACTION_BONUS", "kind": "bonus", "cap": 3.0, "points": 1}
    ]
    client.post(url("version_publish", version.pk))
    response = client.post(
        url("run_create", scheme.pk), {"version": version.pk, "period": "2026年第三季度", "replications": 100}
    )
    run = ScoreRun.objects.get()
    assert (
        response.status_code == 302 and run.period == "2026Q3" and run.created_by == demo.users["supervisor"]
    )
    page = client.get(url("run_detail", run.pk)).content.decode()
    assert "assessment-scores-data" in page and "红岛经济区" in page and "排名区间" in page
    # The next version starts from this one.
    assert "ECONOMY,经济运行,2,TOTAL,2" in client.get(url("scheme_detail", scheme.pk)).content.decode()


def test_a_bad_version_shows_where_and_stores_nothing(
    as_: Callable[[str], Client], demo: DemoOrg, version: SchemeVersion
) -> None:
    client = as_("supervisor")
    bad = STRUCTURE.replace(
        "GDP_GROWTH,地区生产总值增速,1,ECONOMY,1", "GDP_GROWTH,地区生产总值增速,1,ECONOMY,多"
    )
    data = {"structure": bad, "pipeline": STEPS, "adjustments": "SATISFACTION_BONUS,plus", "note": ""}
    page = client.post(url("version_create", version.scheme_id), data).content.decode()
    assert "第1行应写作" in page
    data["adjustments"] = ""
    page = client.post(url("version_create", version.scheme_id), data).content.decode()
    assert "第2行，“Weight”列，代码 GDP_GROWTH：“多”不是数字" in page
    assert SchemeVersion.objects.count() == 1


def test_scoring_an_empty_period_is_refused_on_the_page(
    as_: Callable[[str], Client], demo: DemoOrg, version: SchemeVersion
) -> None:
    page = as_("supervisor").post(
        url("run_create", version.scheme_id), {"version": version.pk, "period": "2031Q1", "replications": 0}
    )
    assert "没有任何单位的指标数据" in page.content.decode() and not ScoreRun.objects.exists()
    page = as_("supervisor").post(
        url("run_create", version.scheme_id), {"version": version.pk, "period": "下季度", "replications": 0}
    )
    assert "期间无法识别" in page.content.decode()


@pytest.mark.parametrize("username", ["admin", "supervisor", "leader", "viewer", "liaison", "liaison2"])
def test_who_sees_schemes_and_runs(
    as_: Callable[[str], Client], demo: DemoOrg, version: SchemeVersion, run: ScoreRun, username: str
) -> None:
    client = as_(username)
    zone_wide = username in ("admin", "supervisor", "leader", "viewer")
    editor = username in ("admin", "supervisor")
    listing = client.get(url("scheme_list"))
    assert listing.status_code == 200
    assert (f'/assessment/{version.scheme_id}/"' in listing.content.decode()) is zone_wide
    assert (f"/assessment/runs/{run.pk}/" in listing.content.decode()) is zone_wide  # not published yet
    assert client.get(url("scheme_detail", version.scheme_id)).status_code == (200 if zone_wide else 404)
    assert client.get(url("run_detail", run.pk)).status_code == (200 if zone_wide else 404)
    assert client.post(url("version_publish", version.pk)).status_code == (302 if editor else 404)
    assert client.post(url("run_publish", run.pk)).status_code == (302 if editor else 404)
    run.refresh_from_db()
    if run.published_at:  # once published, every unit sees where it stands
        assert client.get(url("run_detail", run.pk)).status_code == 200
        assert f"/assessment/runs/{run.pk}/" in client.get(url("scheme_list")).content.decode()


def test_another_zone_sees_nothing(
    client: Client, demo: DemoOrg, run: ScoreRun, django_user_model: type[User]
) -> None:
    other = org_actions.create_zone("beta", "乙高新区")
    outsider = django_user_model.objects.create_user("outsider")
    org_actions.add_member(other, outsider, Role.SUPERVISOR, None)
    actions.publish_run(run, None, NOW)
    client.force_login(outsider)
    assert client.get(url("run_detail", run.pk)).status_code == 404
    assert client.get(url("scheme_list")).status_code == 404
