"""Writes of the leaders' arena: prepare a session (running order, judges, grading), open it, cast ballots, close
it. Each runs in one transaction and is recorded (django-simple-history); bad input is refused with a message
that names the field, and nothing is written.

Lock order: every write locks the session's row first (FOR NO KEY UPDATE), then touches its presenters, judges
and ballots. So ballots take turns on their session for the few milliseconds each needs, a ballot either lands
before close_session reads the ballots or finds the session closed, and a presenter or judge is never removed
while a ballot on them is being written. SQLite's IMMEDIATE transactions serialise writers the same way."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.arena.choices import Grade, Grading, SessionStatus
from luoshi.arena.models import ArenaSession, Ballot, Judge, Presenter
from luoshi.arena.queries import ballot_points
from luoshi.arena.scoring import standings
from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.lib.periods import parse_period
from luoshi.org.models import Membership, Unit, Zone

SESSION_FIELDS = ("title", "held_on", "period", "grading", "criteria", "trim", "minutes")
MAX_MINUTES = 60
MAX_CRITERIA = 20
MAX_CRITERION_MARKS = 1000
NAME_MAX = 40


class ArenaRefused(Exception):
    """The write is not allowed or its input is wrong; the message says which field and why, in Chinese."""


@dataclass(frozen=True)
class Seat:
    """A place on the running order: the unit, and who speaks for it."""

    unit: Unit
    speaker: str = ""


# Checking input ---------------------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    """A finite number from a number or its text, else None (True and False are not numbers here)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _plain(number: float) -> int | float:
    """8.0 is stored and shown as 8."""
    return int(number) if number == int(number) else number


def check_criteria(raw: Any) -> list[dict[str, Any]]:
    """The criteria of a session graded by criteria: [{"name": 工作成效, "max": 40}, …], checked."""
    shape = _("评分项格式不对：应为若干项，每项有名称（name）和满分（max）")
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise ArenaRefused(shape)
    if not raw:
        raise ArenaRefused(_("分项打分须至少有一个评分项"))
    if len(raw) > MAX_CRITERIA:
        raise ArenaRefused(_("评分项不能超过%(n)d个") % {"n": MAX_CRITERIA})
    criteria: list[dict[str, Any]] = []
    for n, item in enumerate(raw, start=1):
        if set(item) != {"name", "max"}:
            raise ArenaRefused(shape)
        name = item["name"].strip() if isinstance(item["name"], str) else ""
        if not name:
            raise ArenaRefused(_("第%(n)d个评分项没有名称") % {"n": n})
        if len(name) > NAME_MAX:
            raise ArenaRefused(_("评分项“%(name)s”的名称超过%(n)d个字") % {"name": name, "n": NAME_MAX})
        if any(c["name"] == name for c in criteria):
            raise ArenaRefused(_("评分项“%(name)s”重复") % {"name": name})
        marks = _number(item["max"])
        if marks is None or not 0 < marks <= MAX_CRITERION_MARKS:
            raise ArenaRefused(
                _("评分项“%(name)s”的满分须为 0 到 %(top)d 之间的正数")
                % {"name": name, "top": MAX_CRITERION_MARKS}
            )
        criteria.append({"name": name, "max": _plain(marks)})
    return criteria


def _checked(values: Mapping[str, Any]) -> dict[str, Any]:
    title = str(values.get("title") or "").strip()
    if not title:
        raise ArenaRefused(_("请填写擂台名称"))
    if len(title) > 200:
        raise ArenaRefused(_("擂台名称不能超过200个字"))
    held_on = values.get("held_on")
    if not isinstance(held_on, date):
        raise ArenaRefused(_("请填写举办日期"))
    raw_period = str(values.get("period") or "")
    try:
        period = parse_period(raw_period)[0]
    except ValueError:
        raise ArenaRefused(
            _("述职期间“%(period)s”无法识别（如 2026Q3、2026-09、2026）") % {"period": raw_period}
        ) from None
    grading = values.get("grading", Grading.GRADES)
    if grading not in Grading.values:
        raise ArenaRefused(_("评分方式须为四档评价或分项打分"))
    criteria = check_criteria(values.get("criteria")) if grading == Grading.CRITERIA else []
    minutes = values.get("minutes", 6)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise ArenaRefused(_("每人发言时间须在 1 到 %(n)d 分钟之间") % {"n": MAX_MINUTES})
    return {
        "title": title, "held_on": held_on, "period": period, "grading": grading, "criteria": criteria,
        "trim": bool(values.get("trim")), "minutes": minutes,
    }  # fmt: skip


def _locked(session: ArenaSession) -> ArenaSession:
    """The session's row, locked until the transaction ends (see the lock order above)."""
    return ArenaSession.objects.select_for_update(no_key=True).get(pk=session.pk)


def _refuse_if_closed(session: ArenaSession) -> None:
    if session.status == SessionStatus.CLOSED:
        raise ArenaRefused(_("擂台已结束，不能修改"))


def _name(user: User) -> str:
    return user.first_name or user.username


# Preparing a session ----------------------------------------------------------------------------------------------


@transaction.atomic
def create_session(
    zone: Zone,
    values: Mapping[str, Any],
    seats: Sequence[Seat],
    judges: Sequence[User],
    user: Actor,
    now: datetime,
) -> ArenaSession:
    """A new session in preparation, with its running order and judges."""
    session = ArenaSession(zone=zone, created_by=user, created_at=now, **_checked(values))
    changed_by(session, user)
    session.save()
    set_presenters(session, seats, user)
    set_judges(session, judges, user)
    return session


@transaction.atomic
def update_session(
    session: ArenaSession,
    values: Mapping[str, Any],
    seats: Sequence[Seat],
    judges: Sequence[User],
    user: Actor,
) -> ArenaSession:
    """Change a session that has not closed. Once ballots are in, their grading stays as it was."""
    stored = _locked(session)
    _refuse_if_closed(stored)
    changes = _checked(values)
    regraded = (changes["grading"], changes["criteria"]) != (stored.grading, stored.criteria)
    if regraded and stored.ballots.exists():
        raise ArenaRefused(_("已有评分，不能再修改评分方式和评分项"))
    apply_changes(stored, SESSION_FIELDS, changes, user)
    set_presenters(stored, seats, user)
    set_judges(stored, judges, user)
    return stored


@transaction.atomic
def set_presenters(session: ArenaSession, seats: Sequence[Seat], user: Actor) -> list[Presenter]:
    """The running order, first speaker first: units added, moved or removed (not one that has ballots)."""
    session = _locked(session)
    _refuse_if_closed(session)
    if not seats:
        raise ArenaRefused(_("请至少选择一个述职单位"))
    seen: set[int] = set()
    for seat in seats:
        if seat.unit.zone_id != session.zone_id:
            raise ArenaRefused(_("单位“%(unit)s”不属于本园区") % {"unit": seat.unit.name})
        if seat.unit.pk in seen:
            raise ArenaRefused(_("述职单位“%(unit)s”重复") % {"unit": seat.unit.name})
        seen.add(seat.unit.pk)
        if len(seat.speaker.strip()) > 100:
            raise ArenaRefused(_("“%(unit)s”的发言人不能超过100个字") % {"unit": seat.unit.name})
    current = {p.unit_id: p for p in session.presenters.select_related("unit")}
    for presenter in current.values():
        if presenter.unit_id not in seen:
            if presenter.ballots.exists():
                raise ArenaRefused(_("“%(unit)s”已有评分，不能移出出场名单") % {"unit": presenter.unit.name})
            changed_by(presenter, user)
            presenter.delete()
    presenters = []
    for position, seat in enumerate(seats, start=1):
        changes = {"position": position, "speaker": seat.speaker.strip()}
        seated = current.get(seat.unit.pk)
        if seated is None:
            seated = Presenter(zone_id=session.zone_id, session=session, unit=seat.unit, **changes)
            changed_by(seated, user)
            seated.save()
        else:
            apply_changes(seated, ("position", "speaker"), changes, user)
        presenters.append(seated)
    return presenters


@transaction.atomic
def set_judges(session: ArenaSession, judges: Sequence[User], user: Actor) -> list[Judge]:
    """The judges: people of the zone, added or removed (not one who has cast a ballot)."""
    session = _locked(session)
    _refuse_if_closed(session)
    if not judges:
        raise ArenaRefused(_("请至少选择一名评委"))
    wanted = {u.pk: u for u in judges}
    members = set(
        Membership.objects.filter(zone_id=session.zone_id, user_id__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    for person in wanted.values():
        if person.pk not in members:
            raise ArenaRefused(_("“%(name)s”不是本园区的人员，不能担任评委") % {"name": _name(person)})
    current = {j.user_id: j for j in session.judges.select_related("user")}
    for judge in current.values():
        if judge.user_id not in wanted:
            if judge.ballots.exists():
                raise ArenaRefused(_("评委“%(name)s”已经评分，不能移除") % {"name": _name(judge.user)})
            changed_by(judge, user)
            judge.delete()
    added = []
    for person in wanted.values():
        if person.pk not in current:
            judge = Judge(zone_id=session.zone_id, session=session, user=person)
            changed_by(judge, user)
            judge.save()
            added.append(judge)
    return [j for j in current.values() if j.user_id in wanted] + added


# Running it ---------------------------------------------------------------------------------------------------


def _refuse_state(session: ArenaSession, message: str) -> ArenaRefused:
    """`message` takes the session's state (擂台当前为“评分中”，不能…)."""
    return ArenaRefused(message % {"state": session.get_status_display()})


@transaction.atomic
def open_session(session: ArenaSession, user: Actor, now: datetime) -> ArenaSession:
    """开始评分: the judges' ballot pages take ballots from now on. (A session always has presenters and judges:
    set_presenters and set_judges refuse to leave it without.)"""
    session = _locked(session)
    if session.status != SessionStatus.DRAFT:
        raise _refuse_state(session, _("擂台当前为“%(state)s”，不能开始评分"))
    session.status, session.opened_at = SessionStatus.OPEN, now
    changed_by(session, user)
    session.save(update_fields=["status", "opened_at"])
    return session


def _grade(raw: Any) -> int:
    number = _number(raw)
    if number is None or number not in Grade.values:
        raise ArenaRefused(_("评价须为好、较好、一般或较差之一"))
    return int(number)


def _scores(session: ArenaSession, raw: Mapping[str, Any] | None) -> dict[str, int | float]:
    """One score per criterion, each between 0 and the criterion's full marks."""
    raw = raw or {}
    names = [c["name"] for c in session.criteria]
    for name in raw:
        if name not in names:
            raise ArenaRefused(_("本场擂台没有名为“%(name)s”的评分项") % {"name": name})
    scores: dict[str, int | float] = {}
    for criterion in session.criteria:
        name, top = criterion["name"], criterion["max"]
        if name not in raw or str(raw[name]).strip() == "":
            raise ArenaRefused(_("请为“%(name)s”打分") % {"name": name})
        value = _number(raw[name])
        if value is None:
            raise ArenaRefused(_("“%(name)s”的分数“%(value)s”不是数字") % {"name": name, "value": raw[name]})
        if not 0 <= value <= top:
            raise ArenaRefused(
                _("“%(name)s”的分数须在 0 到 %(max)s 之间") % {"name": name, "max": _plain(float(top))}
            )
        scores[name] = _plain(value)
    return scores


@transaction.atomic
def cast_ballot(
    session: ArenaSession,
    presenter: Presenter,
    user: User,
    *,
    grade: Any = None,
    scores: Mapping[str, Any] | None = None,
    now: datetime,
) -> Ballot:
    """A judge's ballot on a presenter, new or changed, while the session is open. `grade` is 1–4 (or its text)
    for graded sessions; `scores` maps every criterion's name to its score for sessions graded by criteria."""
    session = _locked(session)
    if session.status == SessionStatus.DRAFT:
        raise ArenaRefused(_("擂台尚未开始评分"))
    if session.status == SessionStatus.CLOSED:
        raise ArenaRefused(_("擂台已结束，评分不能再修改"))
    judge = Judge.objects.filter(session=session, user=user).first()
    if judge is None:
        raise ArenaRefused(_("您不是本场擂台的评委"))
    if presenter.session_id != session.pk:
        raise ArenaRefused(_("这个单位不在本场擂台的出场名单上"))
    if session.grading == Grading.GRADES:
        if scores:
            raise ArenaRefused(_("本场擂台按四档评价，不分项打分"))
        values: dict[str, Any] = {"grade": _grade(grade), "scores": {}}
    else:
        if grade not in (None, ""):
            raise ArenaRefused(_("本场擂台分项打分，不按四档评价"))
        values = {"grade": None, "scores": _scores(session, scores)}
    ballot = Ballot.objects.filter(presenter=presenter, judge=judge).first()
    if ballot is None:
        ballot = Ballot(
            zone_id=session.zone_id, session=session, presenter=presenter, judge=judge, cast_at=now
        )
        ballot.grade, ballot.scores = values["grade"], values["scores"]
        changed_by(ballot, user)
        ballot.save()
    elif (ballot.grade, ballot.scores) != (values["grade"], values["scores"]):
        ballot.grade, ballot.scores, ballot.cast_at = values["grade"], values["scores"], now
        changed_by(ballot, user)
        ballot.save(update_fields=["grade", "scores", "cast_at"])
    return ballot


@transaction.atomic
def close_session(session: ArenaSession, user: Actor, now: datetime) -> ArenaSession:
    """结束评分: no more ballots; each presenter's score, rank and counted ballots are stored and stay."""
    session = _locked(session)
    if session.status != SessionStatus.OPEN:
        raise _refuse_state(session, _("擂台当前为“%(state)s”，不能结束评分"))
    presenters = list(session.presenters.order_by("position", "id"))
    points = ballot_points(session)
    results = standings([points.get(p.pk, []) for p in presenters], session.full_marks, session.trim)
    for presenter, result in zip(presenters, results, strict=True):
        changes = {"score": result.score, "rank": result.rank, "counted": result.counted}
        apply_changes(presenter, ("score", "rank", "counted"), changes, user)
    session.status, session.closed_at = SessionStatus.CLOSED, now
    changed_by(session, user)
    session.save(update_fields=["status", "closed_at"])
    return session
