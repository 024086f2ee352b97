import pytest

from luoshi.assessment import actions
from luoshi.assessment.models import IndicatorValue, SchemeVersion, ScoreResult, ScoreRun
from luoshi.assessment.tests.conftest import NOW, STEPS, STRUCTURE
from luoshi.demo.org import DemoOrg


def test_a_run_scores_ranks_and_stores_what_it_used(demo: DemoOrg, version: SchemeVersion) -> None:
    run = actions.score(version, "2026Q3", demo.users["supervisor"], NOW, replications=200)
    results = list(ScoreResult.objects.filter(run=run).order_by("rank"))
    assert len(results) == 7 and [r.rank for r in results] == list(range(1, 8))
    best = results[0]
    assert best.score == pytest.approx(best.scores["TOTAL"] + best.adjustment)
    assert 0 <= best.adjustment <= 3  # the satisfaction bonus, capped
    # The top score is its children's weighted contributions (economy counts double).
    assert sum(part for _c, _w, _v, part in best.contributions) == pytest.approx(best.scores["TOTAL"])
    assert [c[0] for c in best.contributions] == ["ECONOMY", "INNOVATION", "PROJECTS"]
    assert best.contributions[0][1] == pytest.approx(0.5)
    for r in results:
        assert r.rank_q05 is not None and r.rank_median is not None and r.rank_q95 is not None
        assert r.rank_q05 <= r.rank_median <= r.rank_q95
    assert run.params["data"] and run.params["pipeline"]["aggregate"]["method"] == "arithmetic_mean"
    again = actions.score(version, "2026Q3", None, NOW, replications=200)
    assert again.params_hash == run.params_hash  # same inputs, same fingerprint
    assert list(again.results.order_by("rank").values_list("unit_id", flat=True)) == [
        r.unit_id for r in results
    ]


def test_lower_is_better_follows_the_library(demo: DemoOrg, version: SchemeVersion) -> None:
    run = actions.score(version, "2026Q3", None, NOW)
    energy = {r.unit_id: r.scores["ENERGY"] for r in run.results.all()}
    raw = dict(
        IndicatorValue.objects.filter(indicator__code="ENERGY", period="2026Q3").values_list(
            "unit_id", "value"
        )
    )
    lowest = min(raw, key=lambda u: raw[u])
    assert energy[lowest] == 100


@pytest.mark.parametrize(
    "structure, steps, message",
    [
        (STRUCTURE.replace("ENERGY,单位增加值能耗", "WATER,用水量"), STEPS, "指标“WATER”不在指标库中"),
        (STRUCTURE.replace("TOTAL,综合成绩,3", "TOTAL,综合成绩,4"), STEPS, "第3层"),
        (STRUCTURE.replace(",1\nTECH", ",-2\nTECH"), STEPS, "权重不能为负数"),
        (STRUCTURE, STEPS.replace("minmax", "maxmin"), "方法“maxmin”不可识别"),
        (STRUCTURE, "[normalise", "不是有效的 TOML"),
    ],
)
def test_a_bad_version_is_refused_with_where_and_what(
    demo: DemoOrg, structure: str, steps: str, message: str
) -> None:
    scheme = actions.create_scheme(demo.zone, "方案", "custom", "", None)
    with pytest.raises(actions.ScoringRefused, match=message):
        actions.add_version(scheme, structure, steps, [], "", None, NOW)
    assert not scheme.versions.exists()


def test_drafts_are_not_scored_and_a_period_without_figures_is_refused(
    demo: DemoOrg, version: SchemeVersion
) -> None:
    scheme = version.scheme
    draft = actions.add_version(scheme, STRUCTURE, STEPS, [], "", None, NOW)
    assert draft.number == 2
    with pytest.raises(actions.ScoringRefused, match="只有已发布的版本"):
        actions.score(draft, "2026Q3", None, NOW)
    with pytest.raises(actions.ScoringRefused, match="没有任何单位的指标数据"):
        actions.score(version, "2030Q1", None, NOW)
    assert not ScoreRun.objects.exists()
