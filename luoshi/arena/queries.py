"""Reads of the arena, always through the user's Access.

A session is the zone's public event: once opened, every member of the zone sees its running order and its
results (the big screen shows them to the room). Sessions in preparation are the supervision office's (admins
and supervisors), who also open and close them. Only a session's judges cast ballots. A presenter's scorecard
(its reports, figures, warnings and supervision orders) is for the zone-wide roles, the session's judges, who
need it to judge, and the presenting unit itself; other units see their own card only."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404

from luoshi.arena.choices import SessionStatus
from luoshi.arena.models import ArenaSession, Ballot, Judge, Presenter
from luoshi.arena.scoring import standings
from luoshi.org.models import Membership, Zone
from luoshi.org.queries import Access


def can_manage(access: Access) -> bool:
    return access.edits_plans


def require_manager(access: Access) -> None:
    """Preparing, opening and closing sessions: for the others these pages do not exist."""
    if not can_manage(access):
        raise Http404


def visible_sessions(access: Access) -> QuerySet[ArenaSession]:
    sessions = ArenaSession.objects.filter(zone=access.zone)
    return sessions if can_manage(access) else sessions.exclude(status=SessionStatus.DRAFT)


def get_session(access: Access, session_id: int) -> ArenaSession:
    try:
        return visible_sessions(access).get(pk=session_id)
    except ArenaSession.DoesNotExist:
        raise Http404 from None


def get_session_to_manage(access: Access, session_id: int) -> ArenaSession:
    require_manager(access)
    return get_session(access, session_id)


def judge_of(access: Access, session: ArenaSession) -> Judge | None:
    return Judge.objects.filter(session=session, user_id=access.user_id).first()


def get_session_to_judge(access: Access, session_id: int) -> tuple[ArenaSession, Judge]:
    """A session the reader judges, and their judge's seat; anyone else finds no ballot page."""
    session = get_session(access, session_id)
    judge = judge_of(access, session)
    if judge is None:
        raise Http404
    return session, judge


def get_presenter(session: ArenaSession, presenter_id: int) -> Presenter:
    try:
        return session.presenters.select_related("unit").get(pk=presenter_id)
    except Presenter.DoesNotExist:
        raise Http404 from None


def running_order(session: ArenaSession) -> list[Presenter]:
    return list(session.presenters.select_related("unit").order_by("position", "id"))


def judges(session: ArenaSession) -> list[Judge]:
    return list(session.judges.select_related("user").order_by("user__username"))


def sees_scorecard(access: Access, is_judge: bool, presenter: Presenter) -> bool:
    return access.zone_wide or is_judge or presenter.unit_id in access.unit_ids


def zone_people(zone: Zone) -> QuerySet[User]:
    """Who may judge: the zone's active people."""
    return User.objects.filter(memberships__zone=zone, is_active=True).distinct().order_by("username")


def people_roles(zone: Zone) -> dict[int, list[str]]:
    """Each person's roles in the zone, with their unit (for naming judges on the form)."""
    roles: dict[int, list[str]] = defaultdict(list)
    for m in Membership.objects.filter(zone=zone).select_related("unit").order_by("id"):
        label = str(m.get_role_display())
        roles[m.user_id].append(f"{m.unit.name}{label}" if m.unit else label)
    return roles


def ballot_points(session: ArenaSession) -> dict[int, list[float]]:
    """Each presenter's ballots, as points (grade or sum of criteria scores): one query."""
    points: dict[int, list[float]] = defaultdict(list)
    # Not session.ballots: the related manager would set each ballot's session and so load its deferred key.
    for ballot in Ballot.objects.filter(session=session).only("presenter_id", "grade", "scores"):
        points[ballot.presenter_id].append(ballot.total)
    return points


def judge_ballots(judge: Judge) -> dict[int, Ballot]:
    """The judge's ballots by presenter."""
    return {b.presenter_id: b for b in judge.ballots.all()}


@dataclass(frozen=True)
class ResultRow:
    presenter: Presenter
    score: float | None
    rank: int | None
    received: int  # ballots in
    counted: int  # of which count towards the score (after trimming)


def results(session: ArenaSession) -> list[ResultRow]:
    """The ranking, best first: live from the ballots while the session is open, as frozen when it closed."""
    presenters = running_order(session)
    points = ballot_points(session)
    if session.status == SessionStatus.CLOSED:
        rows = [ResultRow(p, p.score, p.rank, len(points[p.pk]), p.counted or 0) for p in presenters]
    else:
        live = standings([points[p.pk] for p in presenters], session.full_marks, session.trim)
        rows = [
            ResultRow(p, s.score, s.rank, len(points[p.pk]), s.counted)
            for p, s in zip(presenters, live, strict=True)
        ]
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.presenter.position))
