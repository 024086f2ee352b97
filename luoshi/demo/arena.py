"""The demo's leaders' arena (一把手擂台): the functional areas and streets, the units the quarterly assessment ranks,
present the latest finished quarter today on the four-grade ballot. Most ballots are in and the session is still
open, so a visitor can finish 督查室's ballot (log in as `supervisor`) and watch the live results move. The quarter
before was presented too, scored by criteria with the highest and lowest ballot left out, and is closed."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from luoshi.arena.actions import Seat, cast_ballot, close_session, create_session, open_session
from luoshi.arena.choices import Grade, Grading
from luoshi.arena.models import ArenaSession
from luoshi.demo.indicators import RATED
from luoshi.demo.org import DemoOrg
from luoshi.lib.periods import QUARTERLY, Span, quarter_label, span_containing

SEED = 44
# The zone leader, the heads or liaisons of two departments, and the supervision office, who is still grading.
JUDGES = ("leader", "unithead", "liaison2", "supervisor")
LATE_JUDGE = "supervisor"
LATE_JUDGE_DONE = 4  # presenters the late judge has graded so far
SPEAKERS = {
    "红岛经济区": "王建国（党工委书记）",
    "蓝色硅谷核心区": "赵立新（党工委书记）",
    "智能制造产业园": "孙海涛（党工委书记）",
    "新材料产业园": "吴晓东（党工委书记）",
    "红岛街道": "郑丽华（街道党工委书记）",
    "河套街道": "马文斌（街道党工委书记）",
    "温泉街道": "黄振宇（街道党工委书记）",
}
CRITERIA = (("工作成效", 40), ("创新举措", 30), ("问题剖析", 15), ("下步思路", 15))  # name, full marks


def _quarter_before(day: date) -> Span:
    return span_containing(QUARTERLY, span_containing(QUARTERLY, day).starts_on - timedelta(days=1))


def _session(org: DemoOrg, quarter: Span, held_on: date, criteria: bool, when: datetime) -> ArenaSession:
    rated = sorted({u for u in org.units.values() if u.type in RATED}, key=lambda u: u.position)
    values = {
        "title": f"{quarter.ends_on.year}年第{'一二三四'[quarter.ends_on.month // 3 - 1]}季度“一把手”擂台赛",
        "held_on": held_on,
        "period": quarter_label(quarter.ends_on),
        "grading": Grading.CRITERIA if criteria else Grading.GRADES,
        "criteria": [{"name": name, "max": top} for name, top in CRITERIA] if criteria else [],
        "trim": criteria,
        "minutes": 6,
    }
    seats = [Seat(unit, SPEAKERS.get(unit.name, "")) for unit in rated]
    judges = [org.users[j] for j in JUDGES]
    supervisor = org.users["supervisor"]
    return open_session(create_session(org.zone, values, seats, judges, supervisor, when), supervisor, when)


def _cast(org: DemoOrg, session: ArenaSession, rng: random.Random, when: datetime, finished: bool) -> int:
    """Every judge grades every presenter (the late judge only the first few unless `finished`), some units
    presenting better than others. Returns the ballots cast."""
    presenters = list(session.presenters.order_by("position"))
    strength = {p.pk: rng.uniform(-1.0, 1.0) for p in presenters}
    cast = 0
    for username in JUDGES:
        for n, presenter in enumerate(presenters):
            if username == LATE_JUDGE and not finished and n >= LATE_JUDGE_DONE:
                break
            at = when + timedelta(minutes=7 * n + 6)
            judged = strength[presenter.pk] + rng.gauss(0, 0.5)
            if session.grading == Grading.GRADES:
                grade = min(Grade.EXCELLENT, max(Grade.POOR, round(2.9 + judged)))
                cast_ballot(session, presenter, org.users[username], grade=grade, now=at)
            else:
                share = min(1.0, max(0.3, 0.78 + 0.15 * judged))
                scores = {name: round(top * share) for name, top in CRITERIA}
                cast_ballot(session, presenter, org.users[username], scores=scores, now=at)
            cast += 1
    return cast


def build_arena(org: DemoOrg, today: date) -> int:
    """The closed session of the quarter before last and the open one of the last quarter. Returns the ballots
    in the open one."""
    rng = random.Random(SEED)
    tz = ZoneInfo(settings.TIME_ZONE)
    last = _quarter_before(today)
    earlier = _quarter_before(last.starts_on)
    held = earlier.ends_on + timedelta(days=20)
    when = datetime.combine(held, time(9, 30), tz)
    closed = _session(org, earlier, held, True, when)
    _cast(org, closed, rng, when, finished=True)
    close_session(closed, org.users["supervisor"], when + timedelta(hours=1))
    when = datetime.combine(today, time(9, 30), tz)
    return _cast(org, _session(org, last, today, False, when), rng, when, finished=False)
