"""Weekly dispatch meetings (周调度): meetings numbered per zone and year, and their decisions handed to units."""

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.org.models import Zone
from luoshi.projects.actions import ProjectError, save
from luoshi.projects.choices import DecisionStatus
from luoshi.projects.models import Blocker, Decision, DispatchMeeting, Project
from luoshi.projects.queries import is_latest_meeting


@transaction.atomic
def open_meeting(zone: Zone, held_on: date, chair: str, attendees: str, user: Actor) -> DispatchMeeting:
    """召开: the zone's next meeting of the year (第N期), numbered under the zone's row lock like supervision
    orders, so two editors never take one number (the unique constraint stays as the last defence). A meeting
    dated before the latest one is refused: the numbers follow the dates."""
    Zone.objects.select_for_update(no_key=True).filter(pk=zone.pk).values_list("pk", flat=True).first()
    latest = DispatchMeeting.objects.filter(zone=zone).order_by("-held_on", "-number").first()
    if latest is not None and held_on < latest.held_on:
        raise ProjectError(
            _("会议日期 %(date)s 早于上一期（%(year)d年第%(number)d期，%(last)s）")
            % {"date": held_on, "year": latest.year, "number": latest.number, "last": latest.held_on}
        )
    last = DispatchMeeting.objects.filter(zone=zone, year=held_on.year).aggregate(n=Max("number"))["n"]
    meeting = DispatchMeeting(
        zone=zone,
        year=held_on.year,
        number=(last or 0) + 1,
        held_on=held_on,
        chair=chair,
        attendees=attendees,
        created_by=user,
    )
    save(meeting, user)
    return meeting


MEETING_FIELDS = ("chair", "attendees", "notes")


@transaction.atomic
def update_meeting(meeting: DispatchMeeting, changes: Mapping[str, object], user: Actor) -> list[str]:
    return apply_changes(meeting, MEETING_FIELDS, changes, user)


DECISION_FIELDS = ("text", "project", "blocker", "unit", "due")


def _checked_decision(meeting: DispatchMeeting, fields: Mapping[str, object]) -> dict[str, object]:
    """The decision's fields, checked against the meeting: its zone, its dates, and a blocker of its project.
    Without a unit, the blocker's or the project's unit is asked."""
    data = {k: v for k, v in fields.items() if k in DECISION_FIELDS}
    text = str(data.get("text") or "").strip()
    if not text:
        raise ProjectError(_("议定事项：请填写议定事项内容"))
    data["text"] = text
    project, blocker, unit = data.get("project"), data.get("blocker"), data.get("unit")
    for label, obj in ((_("项目"), project), (_("问题"), blocker), (_("落实单位"), unit)):
        if obj is not None and getattr(obj, "zone_id", None) != meeting.zone_id:
            raise ProjectError(_("%(field)s：不属于本园区") % {"field": label})
    if isinstance(blocker, Blocker):
        if project is None:
            project = data["project"] = blocker.project
        elif isinstance(project, Project) and blocker.project_id != project.pk:
            raise ProjectError(
                _("问题：“%(blocker)s”不是项目“%(project)s”的问题") % {"blocker": blocker, "project": project}
            )
        if unit is None:
            unit = data["unit"] = blocker.unit
    if unit is None and isinstance(project, Project):
        data["unit"] = project.lead_unit
    due = data.get("due")
    if isinstance(due, date) and due < meeting.held_on:
        raise ProjectError(
            _("完成时限：%(due)s 早于会议日期 %(held_on)s") % {"due": due, "held_on": meeting.held_on}
        )
    return data


def _require_latest(meeting: DispatchMeeting) -> None:
    if not is_latest_meeting(meeting):
        raise ProjectError(
            _("第%(number)d期之后已召开新的调度会，本期议定事项不能再修改") % {"number": meeting.number}
        )


@transaction.atomic
def record_decision(meeting: DispatchMeeting, fields: Mapping[str, object], user: Actor) -> Decision:
    """议定: a decision of the latest meeting, handed to a unit with a due date."""
    _require_latest(meeting)
    decision = Decision(meeting=meeting, zone_id=meeting.zone_id, **_checked_decision(meeting, fields))
    save(decision, user)
    return decision


@transaction.atomic
def update_decision(decision: Decision, changes: Mapping[str, object], user: Actor) -> list[str]:
    _require_latest(decision.meeting)
    current = {f: getattr(decision, f) for f in DECISION_FIELDS}
    checked = _checked_decision(decision.meeting, current | dict(changes))
    return apply_changes(decision, DECISION_FIELDS, checked, user)


@transaction.atomic
def delete_decision(decision: Decision, user: Actor) -> None:
    _require_latest(decision.meeting)
    changed_by(decision, user)
    decision.delete()


@transaction.atomic
def complete_decision(decision: Decision, outcome: str, on: date, user: Actor) -> Decision:
    """落实: the unit has done what was decided, and the next meeting reads it as done. Done again changes
    nothing."""
    outcome = outcome.strip()
    if not outcome:
        raise ProjectError(_("落实结果：请填写落实情况"))
    decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if on < decision.meeting.held_on:
        raise ProjectError(
            _("落实日期：%(on)s 早于会议日期 %(held_on)s") % {"on": on, "held_on": decision.meeting.held_on}
        )
    if decision.status != DecisionStatus.DONE:
        decision.status, decision.outcome, decision.done_on = DecisionStatus.DONE, outcome, on
        save(decision, user, ["status", "outcome", "done_on"])
    return decision
