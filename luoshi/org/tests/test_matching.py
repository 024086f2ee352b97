import time

import pytest

from luoshi.org.matching import UnitMatch, UnitMatcher

UNITS = [
    (1, "区科技创新局", ["区科技局"]),
    (2, "区发展和改革局", ["区发改局"]),
    (3, "区财政局", []),
    (4, "区市场监督管理局（知识产权局）", ["区市场监管局"]),
    (5, "区行政审批服务局", []),
]


@pytest.fixture(scope="module")
def matcher() -> UnitMatcher:
    return UnitMatcher(UNITS)


@pytest.mark.parametrize(
    ("name", "unit_id", "how"),
    [
        ("区财政局", 3, "exact"),
        (" 区财政局 ", 3, "exact"),
        ("区发改局", 2, "exact"),  # aliases count like names
        ("区 财政局", 3, "normalised"),
        ("财政局", 3, "normalised"),  # without the zone prefix
        ("高新区财政局", 3, "normalised"),
        ("青岛高新区财政局", 3, "normalised"),
        ("科技局", 1, "normalised"),
        ("区市场监督管理局(知识产权局)", 4, "normalised"),  # half-width brackets
        ("区市场监督管理局（知识产权局）", 4, "exact"),
    ],
)
def test_matches(matcher: UnitMatcher, name: str, unit_id: int, how: str) -> None:
    match = matcher.match(name)
    assert (match.unit_id, match.how) == (unit_id, how)
    assert match.suggestion_id == unit_id and match.score == 100.0


def test_fuzzy_is_only_a_suggestion(matcher: UnitMatcher) -> None:
    match = matcher.match("区行政审批局")
    assert (match.unit_id, match.how, match.suggestion_id, match.suggestion_name) == (
        None,
        "fuzzy",
        5,
        "区行政审批服务局",
    )
    assert 60 <= match.score < 100


@pytest.mark.parametrize("name", ["", "   ", "各街道办事处"])
def test_no_match(matcher: UnitMatcher, name: str) -> None:
    assert matcher.match(name) == UnitMatch(None, "none", None, None, 0.0)


def test_a_name_two_units_share_is_not_a_match() -> None:
    matcher = UnitMatcher([(1, "区科技局", []), (2, "市科技局", ["科技局"])])
    assert matcher.match("区科技局").unit_id == 1
    assert matcher.match("科技局").unit_id == 2  # exact alias wins
    ambiguous = UnitMatcher([(1, "甲区科技局", []), (2, "乙区科技局", [])]).match("科技局")
    assert ambiguous.unit_id is None


def test_many_lookups_are_fast() -> None:
    units = [(i, f"区第{i}号工作局", [f"第{i}局"]) for i in range(200)]
    matcher = UnitMatcher(units)
    names = [f"区第{i % 300}号工作局" if i % 2 else f"第{i % 250}号工作部门" for i in range(5000)]
    started = time.perf_counter()
    results = [matcher.match(name) for name in names]
    assert time.perf_counter() - started < 2
    assert results[1].how == "exact" and results[0].how in ("fuzzy", "none")
