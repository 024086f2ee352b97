"""scoring_actions.score_year: the registry's enterprises scored from the figures that count, each input kept
with its source, a fingerprint that repeats for the same inputs, the zone's figures in the indicator library."""

import pytest

from luoshi.assessment.models import IndicatorValue
from luoshi.innovation import scoring_actions
from luoshi.innovation.actions import Refused
from luoshi.innovation.models import Score
from luoshi.innovation.tests.conftest import NOW, Innov, put


def test_scores_every_enterprise_with_inputs_and_sources(innov: Innov) -> None:
    run = scoring_actions.score_year(innov.zone, 2025, innov.version, None, NOW)
    scores = {s.enterprise.name: s for s in Score.objects.filter(run=run).select_related("enterprise")}
    assert len(scores) == 4 and run.enterprises == 4
    big = scores["青岛博康生物有限公司"]
    assert big.stage == "old" and big.inputs["研发费用"] == [300.0, "tax"]
    # last year's revenue read from 2024's 营业收入 for the growth indicator
    assert big.inputs["营业收入_上年"] == [8000.0, "stats"]
    assert big.detail["rd"] == [300.0, 1.0, 20.0]
    assert sorted(s.rank or 0 for s in scores.values()) == [1, 2, 3, 4]
    assert run.summary["eligible"] == 4 and sum(run.summary["tiers"].values()) == 4


def test_same_inputs_same_fingerprint_and_numbers(innov: Innov) -> None:
    first = scoring_actions.score_year(innov.zone, 2025, innov.version, None, NOW)
    second = scoring_actions.score_year(innov.zone, 2025, innov.version, None, NOW)
    assert first.fingerprint == second.fingerprint
    points = lambda run: sorted(Score.objects.filter(run=run).values_list("enterprise_id", "points"))  # noqa: E731
    assert points(first) == points(second)
    put(innov.enterprises[0], 2025, "PCT", 2)
    third = scoring_actions.score_year(innov.zone, 2025, innov.version, None, NOW)
    assert third.fingerprint != first.fingerprint


def test_zone_figures_reach_the_indicator_library(innov: Innov) -> None:
    run = scoring_actions.score_year(innov.zone, 2025, innov.version, None, NOW)
    values = {
        v.indicator.code: v
        for v in IndicatorValue.objects.filter(zone=innov.zone, period="2025").select_related("indicator")
    }
    assert float(values["INNOV_MEDIAN"].value) == pytest.approx(run.summary["median"])
    assert float(values["INNOV_A_SHARE"].value) == pytest.approx(run.summary["a_share"])
    assert values["INNOV_A_SHARE"].verified and values["INNOV_A_SHARE"].unit is None


def test_refuses_a_draft_and_a_column_missing_from_the_catalogue(innov: Innov) -> None:
    draft = scoring_actions.new_draft(innov.version.framework, None, NOW)
    with pytest.raises(Refused):
        scoring_actions.score_year(innov.zone, 2025, draft, None, NOW)
    innov.fields["PCT"].delete()
    with pytest.raises(Refused, match="PCT"):
        scoring_actions.score_year(innov.zone, 2025, innov.version, None, NOW)
