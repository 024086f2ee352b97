"""摘星夺旗: stars per sector by rank and flags for the first places and for rising places, all as data."""

import math

import pytest

from luoshi.assessment import actions, scoring
from luoshi.assessment.models import SchemeVersion
from luoshi.assessment.tests.conftest import NOW
from luoshi.composite.errors import CompositeError
from luoshi.demo.org import DemoOrg

RULES = {"stars": True, "flags": [{"name": "排头", "top": 2}, {"name": "进位", "rise": 2}]}


def test_stars_by_sector_rank_and_flags_by_place_and_rise() -> None:
    stars, flags = scoring.contest_outcome(
        {"A": [1, 2, 3, math.nan], "B": [4, 3, 2, 1]}, [1, 2, 3, 4], [1, 5, 3, None], RULES
    )
    assert stars == [{"A": 4, "B": 1}, {"A": 3, "B": 2}, {"A": 2, "B": 3}, {"A": 0, "B": 4}]
    assert flags == [["排头"], ["排头", "进位"], [], []]  # up from 5th to 2nd; no previous rank, no rise


def test_no_rules_no_stars_no_flags() -> None:
    assert scoring.contest_outcome({"A": [1, 2]}, [1, 2], [2, 1], {}) == ([{}, {}], [[], []])


@pytest.mark.parametrize(
    "text, message",
    [
        ("[stars]\nenabled = 'yes'", "应为 true 或 false"),
        ("[[flags]]\ntop = 2", "第1面旗缺少名称"),
        ("[[flags]]\nname = '排头'\ntop = 0", "top（前几名）或 rise"),
        ("[[flags]]\nname = '排头'\ntop = 2\nrise = 2", "top（前几名）或 rise"),
        ("[medals]\ngold = 1", "不认识的规则“medals”"),
        ("[stars", "不是有效的 TOML"),
    ],
)
def test_bad_rules_are_refused(text: str, message: str) -> None:
    with pytest.raises(CompositeError, match=message):
        scoring.parse_contest(text)


def test_rules_round_trip_through_the_editing_text() -> None:
    text = scoring.contest_text(RULES)
    assert scoring.parse_contest(text) == RULES


def test_a_scored_quarter_awards_stars_and_flags(demo: DemoOrg, version: SchemeVersion) -> None:
    for quarter in ("2026Q2", "2026Q3"):
        run = actions.score(version, quarter, None, NOW)
        actions.publish_run(run, None, NOW)
    results = list(run.results.order_by("rank"))
    n = len(results)
    assert {r.stars["ECONOMY"] for r in results} == set(range(1, n + 1))
    assert [r.flags.count("真抓实干、勇当排头") for r in results] == [1, 1] + [0] * (n - 2)
    for r in results:
        rose = r.previous_rank is not None and r.previous_rank - r.rank >= 2
        assert ("加压奋进、进位赶超" in r.flags) == rose
    assert all(r.previous_rank is not None for r in results)
