"""The ledger list and its Excel export, the project page, and the forms that edit a project and report its
progress."""

from decimal import Decimal
from typing import Any, cast
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.lib.htmx import render_page
from luoshi.lib.messages import flash_form_errors
from luoshi.org.queries import Access, visible_parks, visible_units
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.projects import queries
from luoshi.projects.actions import ProjectError
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.actions import investment as investment_actions
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.actions import photos as photo_actions
from luoshi.projects.actions import stages as stage_actions
from luoshi.projects.choices import Approval, BlockerStatus, Category, Stage
from luoshi.projects.export import export_ledger_xlsx
from luoshi.projects.forms import (
    ApprovalsForm,
    BlockerForm,
    ClearBlockerForm,
    InvestmentForm,
    MonthlyPlanForm,
    PhotoForm,
    ProjectForm,
    StageDatesForm,
)
from luoshi.projects.listing import (
    filtered_projects,
    ledger_ids,
    ledger_leaders,
    ledger_projects,
    ledger_rows,
    ledger_totals,
    page_projects,
    read_filters,
)
from luoshi.projects.models import InvestmentMonth, Project
from luoshi.projects.pace import pace, planned_to

PAGE_SIZE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _money(params: QueryDict) -> str:
    """The money unit picked: 万元 (wan) or 亿元 (yi)."""
    return "yi" if params.get("money") == "yi" else "wan"


@require_safe
@zone_view
def ledger(request: ZoneRequest, access: Access) -> HttpResponse:
    years = queries.ledger_years(access)
    parks, units = list(visible_parks(access)), list(visible_units(access).only("id", "name"))
    filters = read_filters(request.GET, years, parks, units)
    page = Paginator(ledger_ids(access, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's slice of the id queryset stays lazy: a subquery of the rows' statement.
    projects = page_projects(access, cast(QuerySet[Project, int], page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    query["year"] = str(filters.year)
    context = {
        "filters": filters,
        "page": page,
        "rows": ledger_rows(projects, [p.pk for p in projects]),
        "totals": ledger_totals(access, filters),
        "money": _money(request.GET),
        "query": query.urlencode(),
        "years": years,
        "stages": Stage.choices,
        "categories": Category.choices,
        "parks": parks,
        "units": units,
        "leaders": ledger_leaders(access, filters.year),
        "can_edit": queries.edits_ledger(access),
        "nav": "projects",
    }
    return render_page(request, "projects/ledger.html", context, partial="results")


@require_safe
@zone_view
def ledger_export(request: ZoneRequest, access: Access) -> HttpResponse:
    parks, units = list(visible_parks(access)), list(visible_units(access).only("id", "name"))
    filters = read_filters(request.GET, queries.ledger_years(access), parks, units)
    ids = filtered_projects(access, filters).values("pk")
    blockers = queries.visible_blockers(access).filter(project__in=ids, status=BlockerStatus.OPEN)
    rows = ledger_rows(list(ledger_projects(access, filters)), ids)
    workbook = export_ledger_xlsx(
        access.zone,
        filters.year,
        rows,
        ledger_totals(access, filters),
        list(blockers.order_by("id").values_list("project_id", "description")),
        _money(request.GET),
    )
    detail = {
        "format": "xlsx",
        "year": filters.year,
        "rows": len(rows),
        "query": request.GET.urlencode()[:500],
    }
    record(Event.EXPORT, request=request, object_type="projects.Ledger", detail=detail)
    response = HttpResponse(workbook, content_type=XLSX)
    filename = _("%(year)d年重点项目推进情况表.xlsx") % {"year": filters.year}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _investment_chart(project: Project, months: list[InvestmentMonth]) -> dict[str, Any]:
    """Cumulative plan and actual by month, and each month's own amounts, in 万元 for the chart and table.
    Without a monthly plan the plan to date is linear (pace.planned_to)."""
    plan_cum = {m.month: m.plan_cum_wan for m in months if m.plan_cum_wan is not None}
    actual_cum = {m.month: m.actual_cum_wan for m in months if m.actual_cum_wan is not None}
    last_actual = max(actual_cum, default=0)
    rows = []
    previous_plan, previous_actual = Decimal(0), Decimal(0)
    for month in range(1, 13):
        planned = planned_to(month, project.annual_plan_wan, plan_cum)
        actual = actual_cum.get(month)
        if actual is None and month < last_actual:
            actual = previous_actual  # a month not reported: nothing added
        rows.append(
            {
                "month": month,
                "plan_cum": float(round(planned, 2)),
                "plan_month": float(round(planned - previous_plan, 2)),
                "actual_cum": float(actual) if actual is not None else None,
                "actual_month": float(actual - previous_actual) if actual is not None else None,
            }
        )
        previous_plan, previous_actual = planned, actual if actual is not None else previous_actual
    return {
        "months": [_("%(m)d月") % {"m": month} for month in range(1, 13)],
        "rows": rows,
        "labels": {
            "plan_cum": _("计划累计"),
            "actual_cum": _("实际累计"),
            "plan_month": _("当月计划"),
            "actual_month": _("当月完成"),
        },
    }


@require_safe
@zone_view
def project_detail(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    project = queries.get_project(access, project_id)
    months = list(project.months.all())
    stage_rows = {row.stage: row for row in project.stage_dates.all()}
    approval_rows = {row.kind: row for row in project.approvals.all()}
    blockers = list(
        queries.visible_blockers(access).filter(project=project).select_related("unit", "project")
    )
    latest = project.completed_month
    plan_cum = {m.month: m.plan_cum_wan for m in months if m.plan_cum_wan is not None}
    context = {
        "project": project,
        "pace": pace(latest, project.annual_plan_wan, project.completed_wan, plan_cum) if latest else None,
        "stages": [(stage, stage_rows.get(stage)) for stage in Stage],
        "approvals": [(kind, approval_rows.get(kind)) for kind in Approval],
        "chart": _investment_chart(project, months),
        "warnings": queries.project_open_warnings(access, project),
        "blockers": [(b, queries.can_clear_blocker(access, b)) for b in blockers],
        "children": queries.visible_projects(access).filter(parent=project).select_related("lead_unit"),
        "photos": [(p, queries.can_delete_photo(access, p)) for p in project.photos.all()],
        "history": queries.project_history(project),
        "can_edit": queries.edits_ledger(access),
        "can_report": queries.reports_progress(access, project),
        "clear_form": ClearBlockerForm(),
        "photo_form": PhotoForm(),
        "money": _money(request.GET),
        "today": timezone.localdate(),
        "nav": "projects",
    }
    return render(request, "projects/project_detail.html", context)


def _year_param(request: ZoneRequest) -> int:
    raw = request.POST.get("year") or request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@zone_view
def project_create(request: ZoneRequest, access: Access) -> HttpResponse:
    if not queries.edits_ledger(access):
        raise Http404
    year = _year_param(request)
    form = ProjectForm(request.POST or None, access=access, year=year, instance=Project(zone=access.zone))
    if request.method == "POST" and form.is_valid():
        project = ledger_actions.add_project(access.zone, year, form.cleaned_data, request.user)
        messages.success(request, _("已新增项目“%(name)s”") % {"name": project.name})
        return redirect("projects:project_detail", access.zone.code, project.pk)
    return render(request, "projects/project_form.html", {"form": form, "year": year, "nav": "projects"})


@zone_view
def project_edit(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    project = queries.get_project_for_edit(access, project_id)
    copy = Project.objects.get(pk=project.pk)  # the form writes its input onto its instance
    form = ProjectForm(request.POST or None, access=access, year=project.year, instance=copy)
    if request.method == "POST" and form.is_valid():
        ledger_actions.update_project(project, form.cleaned_data, request.user)
        messages.success(request, _("已保存"))
        return redirect("projects:project_detail", access.zone.code, project.pk)
    context = {"form": form, "project": project, "year": project.year, "nav": "projects"}
    return render(request, "projects/project_form.html", context)


@require_POST
@zone_view
def project_delete(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    project = queries.get_project_for_edit(access, project_id)
    ledger_actions.delete_project(project, request.user)
    messages.success(request, _("已删除项目“%(name)s”") % {"name": project.name})
    return redirect(f"{reverse('projects:ledger', args=[access.zone.code])}?year={project.year}")


@zone_view
def project_investment(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    """The month's cumulative actual investment, and the monthly plan: two forms on one page."""
    project = queries.get_project_for_progress(access, project_id)
    months = list(project.months.all())
    posted = request.POST.get("form") if request.method == "POST" else None
    today = timezone.localdate()
    month = 12 if project.year < today.year else max(today.month - 1, 1)
    actual_form = InvestmentForm(request.POST if posted == "actual" else None, initial={"month": month})
    plan_form = MonthlyPlanForm(
        request.POST if posted == "plan" else None, current={m.month: m.plan_cum_wan for m in months}
    )
    try:
        if posted == "actual" and actual_form.is_valid():
            data = actual_form.cleaned_data
            investment_actions.record_investment(project, data["month"], data["actual_cum_wan"], request.user)
            messages.success(request, _("已保存1-%(m)d月累计完成投资") % {"m": data["month"]})
            return redirect("projects:project_detail", access.zone.code, project.pk)
        if posted == "plan" and plan_form.is_valid():
            investment_actions.set_monthly_plan(project, plan_form.plan(), request.user)
            messages.success(request, _("已保存月度计划"))
            return redirect("projects:project_detail", access.zone.code, project.pk)
    except ProjectError as refused:
        (actual_form if posted == "actual" else plan_form).add_error(None, str(refused))
    context = {
        "project": project,
        "actual_form": actual_form,
        "plan_form": plan_form,
        "chart": _investment_chart(project, months),
        "nav": "projects",
    }
    return render(request, "projects/project_investment.html", context)


@zone_view
def project_stages(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    project = queries.get_project_for_progress(access, project_id)
    current = {row.stage: row for row in project.stage_dates.all()}
    form = StageDatesForm(request.POST or None, current=current, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            stage_actions.set_stage_dates(project, form.dates(), request.user)
        except ProjectError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已保存阶段节点"))
            return redirect("projects:project_detail", access.zone.code, project.pk)
    context = {"project": project, "form": form, "nav": "projects"}
    return render(request, "projects/project_stages.html", context)


@zone_view
def project_approvals(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    project = queries.get_project_for_progress(access, project_id)
    current = {row.kind: row for row in project.approvals.all()}
    form = ApprovalsForm(request.POST or None, current=current, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        stage_actions.set_approvals(project, form.approvals(), request.user)
        messages.success(request, _("已保存前期手续"))
        return redirect("projects:project_detail", access.zone.code, project.pk)
    context = {"project": project, "form": form, "nav": "projects"}
    return render(request, "projects/project_approvals.html", context)


@zone_view
def blocker_create(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    project = queries.get_project_for_progress(access, project_id)
    today = timezone.localdate()
    form = BlockerForm(request.POST or None, access=access, today=today)
    if request.method == "POST" and form.is_valid():
        blocker_actions.raise_blocker(project, form.cleaned_data, today, request.user)
        messages.success(request, _("已登记问题"))
        return redirect("projects:project_detail", access.zone.code, project.pk)
    return render(
        request, "projects/blocker_form.html", {"project": project, "form": form, "nav": "projects"}
    )


@zone_view
def blocker_edit(request: ZoneRequest, access: Access, blocker_id: int) -> HttpResponse:
    blocker = queries.get_blocker_for_edit(access, blocker_id)
    initial = {name: getattr(blocker, name) for name in blocker_actions.BLOCKER_FIELDS}
    form = BlockerForm(request.POST or None, initial=initial, access=access, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        blocker_actions.update_blocker(blocker, form.cleaned_data, request.user)
        messages.success(request, _("已修改问题"))
        return redirect("projects:project_detail", access.zone.code, blocker.project_id)
    context = {"project": blocker.project, "form": form, "blocker": blocker, "nav": "projects"}
    return render(request, "projects/blocker_form.html", context)


@require_POST
@zone_view
def blocker_clear(request: ZoneRequest, access: Access, blocker_id: int) -> HttpResponse:
    blocker = queries.get_blocker_for_clear(access, blocker_id)
    form = ClearBlockerForm(request.POST)
    if form.is_valid():
        blocker_actions.clear_blocker(
            blocker, form.cleaned_data["resolution"], timezone.localdate(), request.user
        )
        messages.success(request, _("问题已销号"))
    else:
        flash_form_errors(request, form)
    return redirect("projects:project_detail", access.zone.code, blocker.project_id)


@require_POST
@zone_view
def blocker_reopen(request: ZoneRequest, access: Access, blocker_id: int) -> HttpResponse:
    if not queries.edits_ledger(access):
        raise Http404
    blocker = queries.get_blocker(access, blocker_id)
    blocker_actions.reopen_blocker(blocker, request.user)
    messages.success(request, _("问题已重新打开"))
    return redirect("projects:project_detail", access.zone.code, blocker.project_id)


@require_POST
@zone_view
def photo_add(request: ZoneRequest, access: Access, project_id: int) -> HttpResponse:
    project = queries.get_project_for_progress(access, project_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("projects:project_detail", access.zone.code, project.pk)
    data = form.cleaned_data
    try:
        photo_actions.add_photo(project, data["image"], data["caption"], data["taken_on"], request.user)
    except ProjectError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已上传照片"))
    return redirect("projects:project_detail", access.zone.code, project.pk)


@require_safe
@zone_view
def photo_file(request: ZoneRequest, access: Access, photo_id: int) -> FileResponse:
    """The original as uploaded, a download under its own name."""
    photo = queries.get_photo(access, photo_id)
    path = photo_actions.photo_path(photo)
    if not path.exists():
        raise Http404
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=photo.original_name, content_type=photo.content_type
    )


@require_safe
@zone_view
def photo_display(request: ZoneRequest, access: Access, photo_id: int) -> FileResponse:
    """The smaller copy the project page shows (the original for photos kept before copies were made)."""
    photo = queries.get_photo(access, photo_id)
    path = photo_actions.photo_path(photo, display=True)
    if not path.exists():
        raise Http404
    content_type = "image/jpeg" if photo.display_name else photo.content_type
    return FileResponse(open(path, "rb"), content_type=content_type)


@require_POST
@zone_view
def photo_delete(request: ZoneRequest, access: Access, photo_id: int) -> HttpResponse:
    photo = queries.get_photo_for_delete(access, photo_id)
    photo_actions.delete_photo(photo, request.user)
    messages.success(request, _("已删除照片"))
    return redirect("projects:project_detail", access.zone.code, photo.project_id)
