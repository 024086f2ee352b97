"""The ranking page: the newest run of the year, its filters, charts, movers, paging and export, in a bounded
number of queries."""

from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.conftest import World
from luoshi.innovation import scoring_actions
from luoshi.innovation.models import Label, Run
from luoshi.innovation.tests.conftest import NOW, Innov, put

URL = reverse("innovation:ranking", kwargs={"zone": "alpha"})


@pytest.fixture
def scored(innov: Innov) -> tuple[Run, Run]:
    for e in innov.enterprises:  # last year's figures: two enterprises trade places
        put(e, 2024, "研发费用", {0: 10, 1: 200, 2: 300, 3: 80}[innov.enterprises.index(e)])
    before = scoring_actions.score_year(innov.zone, 2024, innov.version, None, NOW)
    return before, scoring_actions.score_year(innov.zone, 2025, innov.version, None, NOW)


def test_the_newest_year_with_summary_charts_and_movers(
    world: World, client: Client, scored: tuple[Run, Run]
) -> None:
    client.force_login(world.user("leader"))
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL).content.decode()
    assert "2025年企业创新积分排行" in body and 'data-chart="innov-stages"' in body
    assert "innov-industries-data" in body and "名次上升最多" in body
    assert len(queries) <= 20
    older = client.get(URL, {"year": "2024"}).content.decode()
    assert "2024年企业创新积分排行" in older and "名次上升最多" not in older


def test_filters(world: World, client: Client, innov: Innov, scored: tuple[Run, Run]) -> None:
    client.force_login(world.user("viewer"))
    young = client.get(URL, {"stage": "young"}).context["rows"]
    assert {s.stage for s in young} == {"young"} and len(young) == 2
    Label.objects.create(
        zone=innov.zone, enterprise=innov.enterprises[2], kind="high_tech", first_year=2024, last_year=2026
    )
    Label.objects.create(
        zone=innov.zone, enterprise=innov.enterprises[3], kind="high_tech", first_year=2020, last_year=2022
    )
    labelled = client.get(URL, {"label": "high_tech"}).context["rows"]
    assert [s.enterprise_id for s in labelled] == [innov.enterprises[2].pk]  # valid in 2025 only
    assert [s.rank for s in client.get(URL, {"top": "2"}).context["rows"]] == [1, 2]
    named = client.get(URL, {"q": "博康"}).context["rows"]
    assert [s.enterprise.name for s in named] == ["青岛博康生物有限公司"]
    assert (
        client.get(URL, {"park": "abc", "page": "x"}).status_code == 200
    )  # nonsense is ignored, never a 500


def test_export_is_the_filtered_table(world: World, client: Client, scored: tuple[Run, Run]) -> None:
    client.force_login(world.user("supervisor"))
    response = client.get(reverse("innovation:ranking_export", kwargs={"zone": "alpha"}), {"stage": "old"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == "2025年企业创新积分排行" and sheet["A3"].value == "名次"
    assert [sheet.cell(r, 4).value for r in range(4, sheet.max_row + 1)] == ["稳定期", "稳定期"]


def test_no_run_yet(world: World, client: Client) -> None:
    client.force_login(world.user("supervisor"))
    assert "还没有计分结果" in client.get(URL).content.decode()
