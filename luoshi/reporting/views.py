from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.lib.messages import flash_form_errors
from luoshi.lib.workdays import package_days
from luoshi.org.queries import Access, can_manage_zone
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.plans.queries import get_item, get_plan_for_edit
from luoshi.reporting import actions, calendars, queries, review_queries
from luoshi.reporting.actions import ReportRefused
from luoshi.reporting.choices import ReportStatus
from luoshi.reporting.evidence import evidence_path, served_name
from luoshi.reporting.forms import (
    CalendarDayForm,
    CycleForm,
    ResolveForm,
    ReturnForm,
    TrajectoryForm,
)
from luoshi.reporting.models import CalendarDay, Cycle, Report


@require_safe
@zone_view
def detail(request: ZoneRequest, access: Access, report_id: int) -> HttpResponse:
    report = queries.get_report(access, report_id)
    [line] = review_queries.review_lines([report])
    context = {
        "report": report,
        "line": review_queries.with_values(line),
        "milestones": report.milestones_reached.select_related("milestone"),
        "problems": report.problems.select_related("asked_unit"),
        "evidence": report.evidence.all(),
        "versions": Report.objects.filter(item=report.item, period=report.period).order_by("version"),
        "history": report.history.select_related("history_user").order_by("-history_date")[:30],
        "can_approve": queries.can_approve(access, report) and report.status == ReportStatus.SUBMITTED,
        "can_review": queries.can_review(access),
        "can_accept": report.status in queries.reviewable_statuses(access),
        "can_correct": queries.can_fill(access, report.item) and report.status == ReportStatus.ACCEPTED,
        "return_form": ReturnForm(),
        "in_queue": review_queries.can_open_approvals(access),
        "nav": "reports",
    }
    return render(request, "reporting/detail.html", context)


@require_POST
@zone_view
def transition(request: ZoneRequest, access: Access, report_id: int, verb: str) -> HttpResponse:
    report = queries.get_report(access, report_id)
    now = timezone.now()
    try:
        if verb == "submit" and queries.can_fill(access, report.item):
            actions.submit_report(report, request.user, now)
        elif verb == "approve" and queries.can_approve(access, report):
            actions.approve_report(report, request.user, now)
        elif verb == "accept" and queries.can_review(access):
            actions.accept_report(report, request.user, now)
        elif verb == "return" and (queries.can_review(access) or queries.can_approve(access, report)):
            actions.return_report(report, request.POST.get("reason", ""), request.user, now)
        elif verb == "correct" and queries.can_fill(access, report.item):
            correction = actions.correct_report(report, request.user)
            messages.success(request, _("已建立更正版本，请在填报页修改后提交"))
            return redirect("reporting:detail", access.zone.code, correction.pk)
        else:
            raise Http404
        messages.success(request, _("已更新报告状态"))
    except ReportRefused as refused:
        messages.error(request, str(refused))
    back = request.POST.get("next", "")
    if back.startswith(f"/z/{access.zone.code}/"):
        return redirect(back)
    return redirect("reporting:detail", access.zone.code, report.pk)


@require_safe
@zone_view
def review(request: ZoneRequest, access: Access, period_id: int | None = None) -> HttpResponse:
    """The supervision office's view of a period: who reported, who is late, what waits for review."""
    if not queries.can_see_review(access):
        raise Http404
    now = timezone.now()
    periods = list(queries.reviewable_periods(access, now))
    if period_id is None:
        if not periods:
            return render(request, "reporting/review.html", {"periods": [], "nav": "review"})
        period = next((p for p in periods if p.due_at <= now), periods[0])
    else:
        period = queries.get_period(access, period_id)
    rows = queries.period_rows(period)
    counts = {
        "due": len(rows),
        "handed_in": sum(
            1 for r in rows if r.report and r.report.status in ("submitted", "approved", "accepted")
        ),
        "late": sum(1 for r in rows if r.report and r.report.late),
        "missing": sum(1 for r in rows if not r.report or r.report.status in ("draft", "returned")),
    }
    context = {
        "period": period,
        "periods": periods,
        "rows": review_queries.period_lines(period, rows),
        "counts": counts,
        "queue": review_queries.can_open_approvals(access),
        "reviewable": queries.reviewable_statuses(access),
        "can_review": queries.can_review(access),
        "overdue": now > period.due_at,
        "nav": "review",
    }
    return render(request, "reporting/review.html", context)


@require_safe
@zone_view
def evidence(request: ZoneRequest, access: Access, evidence_id: int) -> FileResponse:
    """A report's file, named and typed by what its bytes are; every download is recorded."""
    item = queries.get_evidence(access, evidence_id)
    path = evidence_path(item)
    if not path.exists():
        raise Http404
    name = served_name(item)
    record(Event.DOWNLOAD, request=request, obj=item, detail={"report": item.report_id, "name": name})
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name, content_type=item.content_type)


@zone_view
def cycles(request: ZoneRequest, access: Access, plan_id: int, cycle_id: int | None = None) -> HttpResponse:
    plan = get_plan_for_edit(access, plan_id)
    cycle = Cycle.objects.filter(plan=plan, pk=cycle_id).first() if cycle_id else None
    if cycle_id and cycle is None:
        raise Http404
    initial = {"starts_on": date(plan.year, 1, 1)}
    form = CycleForm(
        request.POST or None,
        instance=Cycle(zone=access.zone, plan=plan) if cycle is None else Cycle.objects.get(pk=cycle.pk),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        if cycle is None and Cycle.objects.filter(plan=plan, cadence=form.cleaned_data["cadence"]).exists():
            form.add_error("cadence", _("该计划已有这个周期"))
        else:
            saved = actions.save_cycle(plan, form.cleaned_data, request.user, cycle)
            added = actions.ensure_periods(saved, date(plan.year, 12, 31))
            messages.success(request, _("已保存报送周期，新生成 %(n)d 个报送期") % {"n": added})
            return redirect("reporting:cycles", access.zone.code, plan.pk)
    context = {
        "plan": plan,
        "cycles": Cycle.objects.filter(plan=plan),
        "form": form,
        "cycle": cycle,
        "nav": "plans",
    }
    return render(request, "reporting/cycles.html", context)


@zone_view
def calendar(request: ZoneRequest, access: Access, year: int) -> HttpResponse:
    """The zone admin's own days (a local holiday, an extra working day), over the national calendar shown
    read-only: they move this zone's deadlines only."""
    if not can_manage_zone(access):
        raise Http404
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove.isdigit():
            calendars.remove_zone_day(queries.get_zone_day_for_edit(access, int(remove)), request.user)
            messages.success(request, _("已删除"))
            return redirect("reporting:calendar", access.zone.code, year)
        if form.is_valid():
            data = form.cleaned_data
            calendars.set_zone_day(access.zone, data["date"], data["is_workday"], data["name"], request.user)
            messages.success(request, _("已保存，本园区此后的报送截止时间已按新日历调整"))
            return redirect("reporting:calendar", access.zone.code, data["date"].year)
        flash_form_errors(request, form)
    context = _calendar_context(year, form) | {"entries": queries.zone_days(access, year), "nav": "reports"}
    return render(request, "reporting/calendar.html", context)


@login_required
def national_calendar(request: HttpRequest, year: int) -> HttpResponse:
    """The national calendar's own entries, for years the chinesecalendar package does not know yet: the
    platform administrator's alone, since they move every zone's deadlines."""
    if not request.user.is_superuser:
        raise Http404
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove.isdigit():
            entry = get_object_or_404(CalendarDay, pk=int(remove))
            calendars.remove_national_day(entry, request.user)
            messages.success(request, _("已删除"))
            return redirect("platform_calendar", year)
        if form.is_valid():
            data = form.cleaned_data
            calendars.set_national_day(data["date"], data["is_workday"], data["name"], request.user)
            messages.success(request, _("已保存，各园区此后的报送截止时间已按新日历调整"))
            return redirect("platform_calendar", data["date"].year)
        flash_form_errors(request, form)
    return render(request, "reporting/calendar.html", _calendar_context(year, form) | {"platform": True})


def _calendar_context(year: int, form: CalendarDayForm) -> dict[str, Any]:
    return {
        "year": year,
        "package": package_days(year),
        "national": queries.national_days(year),
        "form": form,
    }


@require_safe
@zone_view
def problems(request: ZoneRequest, access: Access) -> HttpResponse:
    status = request.GET.get("status", "open")
    rows = queries.visible_problems(access).select_related("item", "asked_unit", "report__unit")
    if status in ("open", "resolved"):
        rows = rows.filter(status=status)
    return render(
        request,
        "reporting/problems.html",
        {"problems": rows[:300], "status": status, "form": ResolveForm(), "nav": "reports"},
    )


@require_POST
@zone_view
def resolve(request: ZoneRequest, access: Access, problem_id: int) -> HttpResponse:
    problem = queries.get_problem_to_resolve(access, problem_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        actions.resolve_problem(problem, form.cleaned_data["resolution"], request.user, timezone.now())
        messages.success(request, _("已标记为解决"))
    else:
        flash_form_errors(request, form)
    return redirect("reporting:problems", access.zone.code)


@zone_view
def item_progress(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    """The item page's progress panel (loaded into it by htmx): planned against reported, and the trajectory."""
    item = get_item(access, item_id)
    if request.method == "POST":
        if not queries.can_edit_trajectory(access):
            raise Http404
        remove = request.POST.get("remove", "")
        form = TrajectoryForm(request.POST)
        if remove.isdigit():
            point = item.trajectory.filter(pk=int(remove)).first()
            if point:
                actions.remove_trajectory_point(point)
        elif form.is_valid():
            actions.set_trajectory_point(item, form.cleaned_data["on"], form.cleaned_data["planned"])
        else:
            flash_form_errors(request, form)
        if not request.htmx:
            return redirect("front:item_detail", access.zone.code, item.pk)
    points = queries.item_progress(item)
    chart = {
        "periods": [p.period.label for p in points],
        "planned": [float(p.planned) for p in points],
        "actual": [float(p.actual) if p.actual is not None else None for p in points],
    }
    context = {
        "item": item,
        "points": points,
        "chart": chart,
        "trajectory": item.trajectory.all(),
        "form": TrajectoryForm(),
        "can_edit": queries.can_edit_trajectory(access),
    }
    return render(request, "reporting/item_progress.html", context)
