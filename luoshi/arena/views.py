"""Pages of the leaders' arena: the sessions, a session's running order with the scorecards, the judges' ballot
page (phone first, each tap saved at once), and the live results for the big screen."""

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.arena import actions, queries
from luoshi.arena.choices import Grade, SessionStatus
from luoshi.arena.forms import SessionForm, session_initial
from luoshi.arena.models import ArenaSession, Ballot, Judge, Presenter
from luoshi.arena.scorecards import scorecards
from luoshi.lib.htmx import render_page
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view


@require_safe
@zone_view
def session_list(request: ZoneRequest, access: Access) -> HttpResponse:
    judging = Judge.objects.filter(session=OuterRef("pk"), user_id=access.user_id)
    sessions = queries.visible_sessions(access).annotate(
        n_presenters=Count("presenters", distinct=True),
        n_judges=Count("judges", distinct=True),
        judging=Exists(judging),
    )
    sessions = sessions.order_by("-held_on", "-id")  # an aggregating query does not take Meta.ordering
    context = {"sessions": sessions, "can_manage": queries.can_manage(access), "nav": "arena"}
    return render(request, "arena/session_list.html", context)


def _edit(request: ZoneRequest, access: Access, session: ArenaSession | None) -> HttpResponse:
    initial = session_initial(session) if session else {"held_on": timezone.localdate()}
    form = SessionForm(access.zone, request.POST or None, initial=initial, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            if session is None:
                session = actions.create_session(
                    access.zone, form.values(), form.seats(), form.judges(), request.user, timezone.now()
                )
            else:
                actions.update_session(session, form.values(), form.seats(), form.judges(), request.user)
        except actions.ArenaRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("擂台“%(title)s”已保存") % {"title": form.cleaned_data["title"]})
            return redirect("arena:session_detail", access.zone.code, session.pk)
    return render(request, "arena/session_form.html", {"form": form, "session": session, "nav": "arena"})


@zone_view
def session_new(request: ZoneRequest, access: Access) -> HttpResponse:
    queries.require_manager(access)
    return _edit(request, access, None)


@zone_view
def session_edit(request: ZoneRequest, access: Access, session_id: int) -> HttpResponse:
    session = queries.get_session_to_manage(access, session_id)
    if session.status == SessionStatus.CLOSED:
        messages.error(request, _("擂台已结束，不能修改"))
        return redirect("arena:session_detail", access.zone.code, session.pk)
    return _edit(request, access, session)


@require_safe
@zone_view
def session_detail(request: ZoneRequest, access: Access, session_id: int) -> HttpResponse:
    """The running order, each presenter with the scorecard the reader may see."""
    session = queries.get_session(access, session_id)
    presenters = queries.running_order(session)
    judge = queries.judge_of(access, session)
    shown = [p.unit_id for p in presenters if queries.sees_scorecard(access, judge is not None, p)]
    cards = scorecards(session, shown)
    context = {
        "session": session,
        "rows": [(p, cards.get(p.unit_id)) for p in presenters],
        "judges": queries.judges(session),
        "is_judge": judge is not None,
        "can_manage": queries.can_manage(access),
        "nav": "arena",
    }
    return render(request, "arena/session_detail.html", context)


def _step(request: ZoneRequest, access: Access, session_id: int, verb: str) -> HttpResponse:
    session = queries.get_session_to_manage(access, session_id)
    step, done = {
        "open": (actions.open_session, _("已开始评分，评委现在可以打分")),
        "close": (actions.close_session, _("评分已结束，结果已锁定")),
    }[verb]
    try:
        step(session, request.user, timezone.now())
    except actions.ArenaRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("arena:session_detail", access.zone.code, session.pk)


@require_POST
@zone_view
def session_open(request: ZoneRequest, access: Access, session_id: int) -> HttpResponse:
    return _step(request, access, session_id, "open")


@require_POST
@zone_view
def session_close(request: ZoneRequest, access: Access, session_id: int) -> HttpResponse:
    return _step(request, access, session_id, "close")


@require_safe
@zone_view
def ballot(request: ZoneRequest, access: Access, session_id: int) -> HttpResponse:
    """The judge's ballot: every presenter with the judge's grade (or scores) so far."""
    session, judge = queries.get_session_to_judge(access, session_id)
    mine = queries.judge_ballots(judge)
    cards = [_card(session, p, mine.get(p.pk)) for p in queries.running_order(session)]
    context = {"session": session, "cards": cards, "done": len(mine), "total": len(cards), "nav": "arena"}
    return render(request, "arena/ballot.html", context)


def _card(
    session: ArenaSession,
    presenter: Presenter,
    current: Ballot | None,
    error: str = "",
    sent: Mapping[str, object] | None = None,
    progress: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """A presenter on the ballot page: after a refused tap what the judge sent stays in the inputs; after an htmx
    tap, `progress` (ballots cast, presenters) updates the page's count."""
    values = sent or (current.scores if current else {})
    return {
        "session": session, "presenter": presenter, "ballot": current, "error": error, "grades": Grade.choices,
        "criteria": [(c["name"], c["max"], values.get(c["name"], "")) for c in session.criteria],
        "progress": progress,
    }  # fmt: skip


@require_POST
@zone_view
def cast(request: ZoneRequest, access: Access, session_id: int, presenter_id: int) -> HttpResponse:
    """One tap (or one presenter's scores): saved at once; htmx gets the presenter's card back."""
    session, judge = queries.get_session_to_judge(access, session_id)
    presenter = queries.get_presenter(session, presenter_id)
    scores = {k.removeprefix("score:"): v for k, v in request.POST.items() if k.startswith("score:")}
    error = ""
    try:
        actions.cast_ballot(
            session,
            presenter,
            request.user,
            grade=request.POST.get("grade"),
            scores=scores,
            now=timezone.now(),
        )
    except actions.ArenaRefused as refused:
        error = str(refused)
    if request.htmx:
        mine = queries.judge_ballots(judge)
        progress = (len(mine), session.presenters.count())
        card = _card(session, presenter, mine.get(presenter.pk), error, scores if error else None, progress)
        return render(request, "arena/ballot.html#card", {"card": card})
    if error:
        messages.error(request, _("%(unit)s：%(error)s") % {"unit": presenter.unit.name, "error": error})
    else:
        messages.success(request, _("已保存对“%(unit)s”的评分") % {"unit": presenter.unit.name})
    return redirect(reverse("arena:ballot", args=[access.zone.code, session.pk]) + f"#p-{presenter.pk}")


SCREEN_ROWS = 12  # presenters in one column of the big screen's table


def _results(access: Access, session_id: int) -> dict[str, Any]:
    """What the results page and its big screen show: the ranking, the ballots received, the chart's data."""
    session = queries.get_session(access, session_id)
    rows = queries.results(session)
    expected = session.judges.count()
    chart = {
        "units": [r.presenter.unit.name for r in rows],
        "scores": [r.score for r in rows],
        "label": _("得分"),
    }
    context = {
        "session": session,
        "rows": rows,
        "expected": expected,
        "received": sum(r.received for r in rows),
        "chart": chart,
        "can_manage": queries.can_manage(access),
        "nav": "arena",
    }
    return context


@require_safe
@zone_view
def results(request: ZoneRequest, access: Access, session_id: int) -> HttpResponse:
    """The ranking in the page; while the session is open, its live part polls itself every few seconds."""
    context = _results(access, session_id)
    return render_page(request, "arena/results.html", context, partial="live")


@require_safe
@zone_view
def results_screen(request: ZoneRequest, access: Access, session_id: int) -> HttpResponse:
    """The ranking for the room's big screen (大屏): dark, full 1920×1080, the podium and every unit's score
    in large type; live every few seconds while judges score, then frozen."""
    context = _results(access, session_id)
    rows = context["rows"]
    middle = (len(rows) + 1) // 2 if len(rows) > SCREEN_ROWS else len(rows)
    context["halves"] = [part for part in (rows[:middle], rows[middle:]) if part]
    context["podium"] = [r for r in rows if r.rank is not None and r.rank <= 3]
    return render_page(request, "arena/results_screen.html", context, partial="live")
