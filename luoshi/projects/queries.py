"""Who may see and change key projects. Zone-wide roles see the whole ledger; a unit's people see the projects
their unit is responsible for and those with a blocker or decision asked of it. The supervision office edits
everything; a unit edits the progress of its own projects."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from luoshi.alerts.models import Warning
from luoshi.alerts.queries import SEVERITY, visible_warnings
from luoshi.org.queries import Access
from luoshi.plans.queries import HistoryEntry, history_entries
from luoshi.projects.choices import BlockerStatus, DecisionStatus, Stage
from luoshi.projects.models import (
    ApprovalStep,
    Blocker,
    Boundary,
    Decision,
    DispatchMeeting,
    InvestmentMonth,
    Project,
    ProjectPhoto,
    StageDate,
)
from luoshi.projects.pace import Pace, pace_due

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def visible_projects(access: Access) -> QuerySet[Project]:
    projects = Project.objects.filter(zone=access.zone)
    if access.zone_wide:
        return projects
    asked = Blocker.objects.filter(project=OuterRef("pk"), unit_id__in=access.unit_ids)
    return projects.filter(Q(lead_unit_id__in=access.unit_ids) | Exists(asked))


def get_project(access: Access, project_id: int) -> Project:
    try:
        return visible_projects(access).select_related("lead_unit", "park", "parent").get(pk=project_id)
    except Project.DoesNotExist:
        raise Http404 from None


def edits_ledger(access: Access) -> bool:
    """Adds, imports and deletes projects, edits any field, runs the dispatch meetings."""
    return access.edits_plans


def can_see_dispatch(access: Access) -> bool:
    """Dispatch meetings are zone business: zone-wide roles read them, units see their own decisions elsewhere."""
    return access.zone_wide


def reports_progress(access: Access, project: Project) -> bool:
    """Enters investment, stage dates, approvals and photos: the office, or the project's own unit."""
    return access.edits_plans or (
        project.lead_unit_id is not None and project.lead_unit_id in access.unit_ids
    )


def get_project_for_edit(access: Access, project_id: int) -> Project:
    if not edits_ledger(access):
        raise Http404
    return get_project(access, project_id)


def get_project_for_progress(access: Access, project_id: int) -> Project:
    project = get_project(access, project_id)
    if not reports_progress(access, project):
        raise Http404
    return project


def visible_blockers(access: Access) -> QuerySet[Blocker]:
    blockers = Blocker.objects.filter(zone=access.zone)
    if access.zone_wide:
        return blockers
    return blockers.filter(Q(unit_id__in=access.unit_ids) | Q(project__lead_unit_id__in=access.unit_ids))


def get_blocker(access: Access, blocker_id: int) -> Blocker:
    try:
        return visible_blockers(access).select_related("project", "unit").get(pk=blocker_id)
    except Blocker.DoesNotExist:
        raise Http404 from None


def visible_meetings(access: Access) -> QuerySet[DispatchMeeting]:
    """Dispatch meetings are the office's; leaders and viewers read them."""
    if not access.zone_wide:
        return DispatchMeeting.objects.none()
    return DispatchMeeting.objects.filter(zone=access.zone)


DUE_SOON_DAYS = 7  # open decisions due within a week (or past due) are the leader's and the office's to chase


def decisions_due_soon(access: Access, today: date) -> QuerySet[Decision]:
    """Open dispatch decisions due within DUE_SOON_DAYS days or already past due, soonest first."""
    return (
        Decision.objects.filter(
            meeting__in=visible_meetings(access),
            status=DecisionStatus.OPEN,
            due__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("meeting", "project", "unit")
        .order_by("due", "pk")
    )


def get_meeting(access: Access, meeting_id: int) -> DispatchMeeting:
    try:
        return visible_meetings(access).get(pk=meeting_id)
    except DispatchMeeting.DoesNotExist:
        raise Http404 from None


def get_meeting_for_edit(access: Access, meeting_id: int) -> DispatchMeeting:
    if not edits_ledger(access):
        raise Http404
    return get_meeting(access, meeting_id)


def is_latest_meeting(meeting: DispatchMeeting) -> bool:
    """Only the latest meeting's decisions may still change: the next meeting follows them up."""
    later = Q(held_on__gt=meeting.held_on) | Q(held_on=meeting.held_on, pk__gt=meeting.pk)
    return not DispatchMeeting.objects.filter(later, zone_id=meeting.zone_id).exists()


def get_decision_for_edit(access: Access, decision_id: int) -> Decision:
    """A decision is changed on its meeting's pages, by those who run the meetings."""
    if not edits_ledger(access):
        raise Http404
    try:
        return Decision.objects.select_related("meeting").get(pk=decision_id, zone=access.zone)
    except Decision.DoesNotExist:
        raise Http404 from None


def zone_boundary(access: Access) -> Boundary | None:
    return Boundary.objects.filter(zone=access.zone).first()


def monthly_plans(among: Iterable[int] | QuerySet[Project, Any]) -> dict[int, dict[int, Decimal]]:
    """project id → month → plan to the end of that month, for the projects (ids or a queryset) with a
    monthly plan."""
    plans: dict[int, dict[int, Decimal]] = defaultdict(dict)
    months = InvestmentMonth.objects.filter(project_id__in=among, plan_cum_wan__isnull=False)
    for project_id, month, value in months.values_list("project_id", "month", "plan_cum_wan"):
        assert value is not None  # filtered on
        plans[project_id][month] = value
    return dict(plans)


def ledger_years(access: Access) -> list[int]:
    """From the latest ledger's year back to the first (two index probes, not a scan of every project)."""
    span = visible_projects(access).aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return []
    return list(range(span["last"], span["first"] - 1, -1))


def can_clear_blocker(access: Access, blocker: Blocker) -> bool:
    """销号: the office, the project's unit, or the unit asked to solve it."""
    return reports_progress(access, blocker.project) or (
        blocker.unit_id is not None and blocker.unit_id in access.unit_ids
    )


def get_blocker_for_edit(access: Access, blocker_id: int) -> Blocker:
    """An open blocker's text, category, unit and deadline: changed by whoever may raise one on its project."""
    blocker = get_blocker(access, blocker_id)
    if blocker.status != BlockerStatus.OPEN or not reports_progress(access, blocker.project):
        raise Http404
    return blocker


def get_blocker_for_clear(access: Access, blocker_id: int) -> Blocker:
    blocker = get_blocker(access, blocker_id)
    if not can_clear_blocker(access, blocker):
        raise Http404
    return blocker


def get_photo(access: Access, photo_id: int) -> ProjectPhoto:
    try:
        return ProjectPhoto.objects.select_related("project").get(
            pk=photo_id, project__in=visible_projects(access)
        )
    except ProjectPhoto.DoesNotExist:
        raise Http404 from None


def can_delete_photo(access: Access, photo: ProjectPhoto) -> bool:
    """The office, or whoever uploaded it while still reporting on the project: a unit does not remove the
    office's photos, nor one colleague another's."""
    if access.edits_plans:
        return True
    return photo.uploaded_by_id == access.user_id and reports_progress(access, photo.project)


def get_photo_for_delete(access: Access, photo_id: int) -> ProjectPhoto:
    photo = get_photo(access, photo_id)
    if not can_delete_photo(access, photo):
        raise Http404
    return photo


def project_open_warnings(access: Access, project: Project) -> QuerySet[Warning]:
    warnings = visible_warnings(access).filter(project=project, resolved_at__isnull=True)
    return warnings.select_related("unit").order_by(SEVERITY, "rule")


def project_history(project: Project) -> list[HistoryEntry]:
    """Every recorded change to the project, its stage dates, approvals, investment months, blockers and
    photos, newest first."""
    groups: list[tuple[list[Any], StrOrPromise]] = [
        (
            list(project.history.select_related("history_user").order_by("history_date", "history_id")),
            _("项目"),
        )
    ]
    # Each row named by what it is about: the stage, the approval, the month, the problem.
    kinds: tuple[tuple[type, StrOrPromise, Callable[[Any], object]], ...] = (
        (StageDate, _("阶段节点"), lambda r: r.get_stage_display()),
        (ApprovalStep, _("前期手续"), lambda r: r.get_kind_display()),
        (InvestmentMonth, _("月度投资"), lambda r: _("%(m)d月") % {"m": r.month}),
        (Blocker, _("存在问题"), lambda r: r.description[:20]),
        (ProjectPhoto, _("现场照片"), lambda r: r.caption[:20] or r.original_name[:40]),
    )
    for model, label, subject in kinds:
        records = (
            model.history.filter(project_id=project.pk)  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        by_object: dict[int, list[Any]] = defaultdict(list)
        for record in records:
            by_object[record.id].append(record)
        groups.extend((rs, f"{label}（{subject(rs[-1])}）") for rs in by_object.values())
    entries = [entry for records, label in groups for entry in history_entries(records, label)]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def paces_to(zone_id: int, year: int, last: int) -> dict[int, Pace]:
    """Each planned project's pace with the figures up to month `last`, read like the warning rule: projects
    under way or with a monthly plan; without an actual figure yet, the last closed month counts as nothing done.
    The dispatch meeting reads it at its date, the bulletin at its month's end."""
    projects = Project.objects.filter(zone_id=zone_id, year=year, annual_plan_wan__gt=0)
    plans: dict[int, dict[int, Decimal]] = defaultdict(dict)
    actual: dict[int, tuple[int, Decimal]] = {}
    months = InvestmentMonth.objects.filter(
        Q(month__lte=last) | Q(plan_cum_wan__isnull=False), project__in=projects
    ).order_by("project_id", "month")
    for project_id, month, plan_cum, actual_cum in months.values_list(
        "project_id", "month", "plan_cum_wan", "actual_cum_wan"
    ):
        if plan_cum is not None:  # the whole plan, as the warning rule reads it
            plans[project_id][month] = plan_cum
        if actual_cum is not None and month <= last:  # the figures known by then
            actual[project_id] = (month, actual_cum)
    result = {}
    for project_id, stage, annual in projects.values_list("pk", "stage", "annual_plan_wan"):
        p = pace_due(stage >= Stage.STARTED, annual, actual.get(project_id), last, plans.get(project_id, {}))
        if p is not None:
            result[project_id] = p
    return result
