"""What a weekly dispatch meeting (周调度会) goes through, as things stood on its date: the earlier meetings'
decisions still open or done since the last meeting, the lagging projects, the open blockers by the unit asked
to solve them, and the meeting's own decisions. The page and the Word minutes both read it."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from luoshi.alerts.choices import LEVEL_RANK, Level
from luoshi.alerts.models import Warning
from luoshi.org.models import Unit
from luoshi.projects.choices import BlockerStatus, DecisionStatus
from luoshi.projects.models import Blocker, Decision, DispatchMeeting, Project
from luoshi.projects.pace import Pace
from luoshi.projects.queries import is_latest_meeting, paces_to

LAG_PP = 10.0  # points behind 序时进度 that put a project on the agenda (the yellow line of the warning rule)


@dataclass
class Lagging:
    project: Project
    pace: Pace | None  # None: no annual plan or nothing to measure yet
    level: str | None  # the highest open warning, yellow or red

    @property
    def rank(self) -> tuple[int, float]:
        return (LEVEL_RANK.get(Level(self.level), 0) if self.level else 0, self.gap or 0.0)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else ""

    @property
    def gap(self) -> float | None:
        return self.pace.gap_pp if self.pace else None


@dataclass
class BlockerRow:
    blocker: Blocker
    days_over: int  # days past the deadline on the meeting's date


@dataclass
class UnitBlockers:
    unit: Unit | None  # None: neither the blocker nor its project names a unit
    rows: list[BlockerRow] = field(default_factory=list)


@dataclass
class Agenda:
    meeting: DispatchMeeting
    previous: DispatchMeeting | None
    latest: bool  # no later meeting: its decisions may still change
    carried: list[Decision]
    lagging: list[Lagging]
    blocker_units: list[UnitBlockers]
    decisions: list[Decision]

    @property
    def blocker_count(self) -> int:
        return sum(len(group.rows) for group in self.blocker_units)


def _earlier(meeting: DispatchMeeting) -> Q:
    return Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, pk__lt=meeting.pk)


def _day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def carried_decisions(meeting: DispatchMeeting, previous: DispatchMeeting | None) -> QuerySet[Decision]:
    """Earlier meetings' decisions not done by the previous meeting: those still open and those done since."""
    if previous is None:
        return Decision.objects.none()
    done_before = Q(status=DecisionStatus.DONE, done_on__lte=previous.held_on)
    return (
        Decision.objects.filter(zone_id=meeting.zone_id, meeting__in=meeting_history(meeting))
        .exclude(done_before)
        .select_related("meeting", "unit", "project")
        .order_by("meeting__held_on", "meeting_id", "id")
    )


def meeting_history(meeting: DispatchMeeting) -> QuerySet[DispatchMeeting]:
    return DispatchMeeting.objects.filter(_earlier(meeting), zone_id=meeting.zone_id)


def _warned(meeting: DispatchMeeting) -> dict[int, str]:
    """Projects of the meeting's year with a yellow or red warning open on its date, and the highest level."""
    end = _day_end(meeting.held_on)
    rows = Warning.objects.filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=end),
        zone_id=meeting.zone_id,
        project__year=meeting.year,
        level__in=(Level.YELLOW, Level.RED),
        opened_at__lt=end,
    ).values_list("project_id", "level")
    levels: dict[int, str] = {}
    for project_id, level in rows:
        assert project_id is not None  # filtered on the project's year
        if LEVEL_RANK[Level(level)] > LEVEL_RANK[Level(levels.get(project_id, Level.BLUE))]:
            levels[project_id] = level
    return levels


def _paces(meeting: DispatchMeeting) -> dict[int, Pace]:
    return paces_to(meeting.zone_id, meeting.year, meeting.held_on.month)


def lagging_projects(meeting: DispatchMeeting) -> list[Lagging]:
    """滞后项目: an open yellow or red warning, or ≥ LAG_PP points behind 序时进度; red and far behind first."""
    levels, paces = _warned(meeting), _paces(meeting)
    behind = {pk for pk, p in paces.items() if p.gap_pp is not None and p.gap_pp >= LAG_PP}
    projects = Project.objects.filter(pk__in=behind | set(levels)).select_related("lead_unit")
    rows = [Lagging(p, paces.get(p.pk), levels.get(p.pk)) for p in projects]
    return sorted(rows, key=lambda row: (row.rank[0], row.rank[1]), reverse=True)


def open_blockers(meeting: DispatchMeeting) -> list[UnitBlockers]:
    """Blockers raised by the meeting's date and not cleared before it, by the unit asked (else the project's
    lead unit); units with the most blockers first. `days_over` is the days past the deadline on that date."""
    blockers = (
        Blocker.objects.filter(
            Q(status=BlockerStatus.OPEN) | Q(cleared_on__gte=meeting.held_on),
            zone_id=meeting.zone_id,
            project__year=meeting.year,
            raised_on__lte=meeting.held_on,
        )
        .select_related("project__lead_unit", "unit")
        .order_by(F("deadline").asc(nulls_last=True), "id")
    )
    groups: dict[int | None, UnitBlockers] = {}
    for blocker in blockers:
        unit = blocker.unit or blocker.project.lead_unit
        group = groups.setdefault(unit.pk if unit else None, UnitBlockers(unit))
        over = (meeting.held_on - blocker.deadline).days if blocker.deadline else 0
        group.rows.append(BlockerRow(blocker, max(over, 0)))
    return sorted(
        groups.values(), key=lambda g: (g.unit is None, -len(g.rows), g.unit.name if g.unit else "")
    )


def meeting_decisions(meeting: DispatchMeeting) -> QuerySet[Decision]:
    return meeting.decisions.select_related("unit", "project", "blocker")


def agenda(meeting: DispatchMeeting) -> Agenda:
    previous = meeting_history(meeting).order_by("-held_on", "-pk").first()
    return Agenda(
        meeting=meeting,
        previous=previous,
        latest=is_latest_meeting(meeting),
        carried=list(carried_decisions(meeting, previous)),
        lagging=lagging_projects(meeting),
        blocker_units=open_blockers(meeting),
        decisions=list(meeting_decisions(meeting)),
    )
