"""The weekly dispatch meeting (周调度会): the list of meetings with the form that opens the next one, the meeting
page (what it goes through, as things stood on its date, and what it decides) and its Word minutes. Zone-wide
readers see them; the office (projects.queries.edits_ledger) runs them. Each section of the meeting page is a
fragment that its htmx forms swap; without JavaScript the forms post and come back to the page."""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.lib.downloads import attachment
from luoshi.lib.htmx import render_page
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.projects import queries
from luoshi.projects.actions import ProjectError
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.actions import dispatch as dispatch_actions
from luoshi.projects.agenda import agenda
from luoshi.projects.choices import DecisionStatus
from luoshi.projects.dispatch_doc import meeting_docx
from luoshi.projects.dispatch_forms import ClearForm, DecisionForm, MeetingForm, MinutesForm, OutcomeForm
from luoshi.projects.models import Decision, DispatchMeeting

PAGE_SIZE = 50
DETAIL = "projects/dispatch_detail.html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Failed:
    """A row's inline form that came back with errors: which row, and the form to show again."""

    kind: str  # "outcome" (a decision to mark done) or "clear" (a blocker)
    pk: int
    form: forms.Form = field(repr=False)


@zone_view
def dispatch_list(request: ZoneRequest, access: Access) -> HttpResponse:
    if not queries.can_see_dispatch(access):
        raise Http404
    can_edit = queries.edits_ledger(access)
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = dispatch_actions.open_meeting(
                    access.zone, data["held_on"], data["chair"], data["attendees"], request.user
                )
            except ProjectError as refused:
                form.add_error("held_on", str(refused))
            else:
                messages.success(request, _("已召开第%(number)d期周调度会") % {"number": meeting.number})
                return redirect("projects:dispatch_detail", access.zone.code, meeting.pk)
    late = Q(decisions__due__lt=timezone.localdate())
    meetings = (
        queries.visible_meetings(access)
        .annotate(
            open_count=Count("decisions", filter=Q(decisions__status=DecisionStatus.OPEN)),
            done_count=Count("decisions", filter=Q(decisions__status=DecisionStatus.DONE)),
            # Open decisions past their date show apart as 逾期; the rest of the open ones as 落实中.
            overdue_count=Count("decisions", filter=Q(decisions__status=DecisionStatus.OPEN) & late),
            pending_count=Count("decisions", filter=Q(decisions__status=DecisionStatus.OPEN) & ~late),
        )
        .order_by("-held_on", "-number")
    )
    context = {
        "page": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
        "due_soon": queries.decisions_due_soon(access, timezone.localdate()),
        "today": timezone.localdate(),
        "form": form,
        "can_edit": can_edit,
        "nav": "projects",
    }
    return render_page(request, "projects/dispatch_list.html", context)


def _money_unit(request: ZoneRequest) -> str:
    return "yi" if request.GET.get("money") == "yi" else "wan"


def _page(
    request: ZoneRequest,
    access: Access,
    meeting: DispatchMeeting,
    partial: str | None = None,
    failed: Failed | None = None,
    **bound: forms.Form,
) -> HttpResponse:
    """The meeting page, or the fragment `partial` for htmx; `bound` and `failed` hold forms with errors."""
    can_edit = queries.edits_ledger(access)
    plan = agenda(meeting)
    initial = {k: request.GET[k] for k in ("project", "blocker") if request.GET.get(k, "").isdigit()}
    editing = bound.get("edit")
    context = {
        "meeting": meeting,
        "agenda": plan,
        "can_edit": can_edit,
        "can_decide": can_edit and plan.latest,
        "money_unit": _money_unit(request),
        "failed": failed,
        "decision_form": bound.get("decision") or DecisionForm(access, meeting, initial=initial),
        "editing": editing.decision.pk if isinstance(editing, DecisionForm) and editing.decision else None,
        "edit_form": editing,
        "minutes_form": bound.get("minutes")
        or MinutesForm(initial={f: getattr(meeting, f) for f in dispatch_actions.MEETING_FIELDS}),
        "outcome_form": OutcomeForm(),
        "clear_form": ClearForm(),
        "today": timezone.localdate(),
        "nav": "projects",
    }
    return render_page(request, DETAIL, context, partial=partial)


def _back(
    request: ZoneRequest, access: Access, meeting: DispatchMeeting, partial: str, done: str
) -> HttpResponse:
    """After a write: the section's fragment for htmx, else back to the page at the section with `done`."""
    if request.htmx:
        return _page(request, access, meeting, partial)
    messages.success(request, done)
    return redirect(reverse("projects:dispatch_detail", args=[access.zone.code, meeting.pk]) + f"#{partial}")


@require_safe
@zone_view
def dispatch_detail(request: ZoneRequest, access: Access, meeting_id: int) -> HttpResponse:
    return _page(request, access, queries.get_meeting(access, meeting_id))


@require_POST
@zone_view
def dispatch_minutes(request: ZoneRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = queries.get_meeting_for_edit(access, meeting_id)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _page(request, access, meeting, minutes=form)
    dispatch_actions.update_meeting(meeting, form.cleaned_data, request.user)
    messages.success(request, _("会议纪要已保存"))
    return redirect("projects:dispatch_detail", access.zone.code, meeting.pk)


def _decide(
    request: ZoneRequest, access: Access, meeting: DispatchMeeting, form: DecisionForm
) -> HttpResponse:
    """Record or change a decision from a valid form; a refusal comes back on the form."""
    if form.is_valid():
        try:
            if form.decision is None:
                dispatch_actions.record_decision(meeting, form.cleaned_data, request.user)
            else:
                dispatch_actions.update_decision(form.decision, form.cleaned_data, request.user)
        except ProjectError as refused:
            form.add_error(None, str(refused))
        else:
            return _back(request, access, meeting, "decisions", _("议定事项已保存"))
    if form.decision is None:
        return _page(request, access, meeting, "decisions", decision=form)
    return _page(request, access, meeting, "decisions", edit=form)


@require_POST
@zone_view
def dispatch_decision_new(request: ZoneRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = queries.get_meeting_for_edit(access, meeting_id)
    return _decide(request, access, meeting, DecisionForm(access, meeting, request.POST))


def _meeting_decision(access: Access, meeting_id: int, decision_id: int) -> tuple[DispatchMeeting, Decision]:
    meeting = queries.get_meeting_for_edit(access, meeting_id)
    return meeting, queries.get_decision_for_edit(access, decision_id)


@zone_view
def dispatch_decision_edit(
    request: ZoneRequest, access: Access, meeting_id: int, decision_id: int
) -> HttpResponse:
    meeting, decision = _meeting_decision(access, meeting_id, decision_id)
    if decision.meeting_id != meeting.pk:
        raise Http404
    if request.method != "POST":
        return _page(
            request, access, meeting, "decisions", edit=DecisionForm(access, meeting, decision=decision)
        )
    form = DecisionForm(access, meeting, request.POST, decision=decision)
    return _decide(request, access, meeting, form)


@require_POST
@zone_view
def dispatch_decision_delete(
    request: ZoneRequest, access: Access, meeting_id: int, decision_id: int
) -> HttpResponse:
    meeting, decision = _meeting_decision(access, meeting_id, decision_id)
    if decision.meeting_id != meeting.pk:
        raise Http404
    try:
        dispatch_actions.delete_decision(decision, request.user)
    except ProjectError as refused:
        messages.error(request, str(refused))
        return redirect("projects:dispatch_detail", access.zone.code, meeting.pk)
    return _back(request, access, meeting, "decisions", _("议定事项已删除"))


@require_POST
@zone_view
def dispatch_decision_done(
    request: ZoneRequest, access: Access, meeting_id: int, decision_id: int
) -> HttpResponse:
    """落实: from the meeting that follows the decision up (or its own)."""
    meeting, decision = _meeting_decision(access, meeting_id, decision_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            dispatch_actions.complete_decision(
                decision, form.cleaned_data["outcome"], timezone.localdate(), request.user
            )
        except ProjectError as refused:
            form.add_error("outcome", str(refused))
        else:
            return _back(request, access, meeting, "carried", _("已标记为已落实"))
    return _page(request, access, meeting, "carried", failed=Failed("outcome", decision.pk, form))


@require_POST
@zone_view
def dispatch_blocker_clear(
    request: ZoneRequest, access: Access, meeting_id: int, blocker_id: int
) -> HttpResponse:
    """销号 at the meeting: the blocker is solved."""
    meeting = queries.get_meeting_for_edit(access, meeting_id)
    blocker = queries.get_blocker_for_clear(access, blocker_id)
    form = ClearForm(request.POST)
    if not form.is_valid():
        return _page(request, access, meeting, "blockers", failed=Failed("clear", blocker.pk, form))
    blocker_actions.clear_blocker(
        blocker, form.cleaned_data["resolution"], timezone.localdate(), request.user
    )
    return _back(request, access, meeting, "blockers", _("问题已销号"))


@require_safe
@zone_view
def dispatch_docx(request: ZoneRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = queries.get_meeting(access, meeting_id)
    content = meeting_docx(agenda(meeting))
    record(Event.PRINT, request=request, obj=meeting, detail={"format": "docx"})
    name = _("%(year)d年第%(number)d期周调度会议纪要.docx") % {"year": meeting.year, "number": meeting.number}
    return attachment(content, DOCX, name)
