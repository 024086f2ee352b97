"""The demo's arena: last quarter's session open with 督查室's ballot unfinished, the quarter before closed."""

from datetime import date

from luoshi.arena.choices import Grading, SessionStatus
from luoshi.arena.models import ArenaSession
from luoshi.arena.queries import judge_ballots, results
from luoshi.demo.arena import build_arena
from luoshi.demo.org import build_org


def test_an_open_session_to_watch_and_a_closed_one(db: None) -> None:
    org = build_org()
    ballots = build_arena(org, date(2026, 11, 22))
    closed, opened = ArenaSession.objects.filter(zone=org.zone).order_by("held_on")
    assert (opened.period, opened.status, opened.grading, opened.held_on) == (
        "2026Q3",
        SessionStatus.OPEN,
        Grading.GRADES,
        date(2026, 11, 22),
    )
    assert opened.title == "2026年第三季度“一把手”擂台赛"
    units = list(opened.presenters.order_by("position").values_list("unit__name", flat=True))
    assert units == [
        "红岛经济区",
        "蓝色硅谷核心区",
        "智能制造产业园",
        "新材料产业园",
        "红岛街道",
        "河套街道",
        "温泉街道",
    ]
    assert ballots == opened.ballots.count() == 3 * 7 + 4
    supervisor = opened.judges.get(user__username="supervisor")
    assert len(judge_ballots(supervisor)) == 4  # three presenters left for a visitor to grade
    assert all(r.score is not None for r in results(opened))

    assert (closed.period, closed.status, closed.grading, closed.trim) == (
        "2026Q2",
        "closed",
        "criteria",
        True,
    )
    frozen = list(closed.presenters.all())
    assert closed.ballots.count() == 4 * 7 and all(p.counted == 2 and p.rank for p in frozen)
    assert sorted(p.rank for p in frozen if p.rank is not None)[0] == 1
