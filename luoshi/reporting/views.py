from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.lib.messages import flash_form_errors
from luoshi.lib.workdays import package_days
from luoshi.lib.zones import ZoneRequest, zone_view
from luoshi.org.queries import Access
from luoshi.plans.models import PlanItem
from luoshi.plans.queries import get_item, get_plan_for_edit
from luoshi.reporting import actions, queries
from luoshi.reporting.actions import ReportRefused
from luoshi.reporting.choices import ReportStatus
from luoshi.reporting.forms import (
    CalendarDayForm,
    CycleForm,
    ReportForm,
    ResolveForm,
    ReturnForm,
    TrajectoryForm,
    unit_choices,
)
from luoshi.reporting.models import CalendarDay, Cycle, Period, Report


@dataclass
class Card:
    """One item's report form on the filling page."""

    period: Period
    item: PlanItem
    report: Report | None
    form: ReportForm
    error: str = ""

    @property
    def editable(self) -> bool:
        return self.report is None or self.report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def handed_in(self) -> bool:
        return self.report is not None and not self.editable


def _card(period: Period, item: PlanItem, form: ReportForm | None = None, error: str = "") -> Card:
    report = queries.latest_reports(PlanItem.objects.filter(pk=item.pk), period).get(item.pk)
    return Card(period, item, report, form or ReportForm(item=item, report=report), error)


@zone_view
def fill(request: ZoneRequest, access: Access) -> HttpResponse:
    """This period's reports for the user's unit: every due item in one page."""
    now = timezone.now()
    sections = []
    choices = unit_choices(access.zone.pk)
    for period in queries.open_periods(access, now):
        items = queries.due_items(period).filter(lead_unit_id__in=access.unit_ids).select_related("lead_unit")
        items = items.prefetch_related("targets", "milestones").order_by("path")
        latest = queries.latest_reports(items, period)
        cards = [
            Card(
                period,
                item,
                latest.get(item.pk),
                ReportForm(item=item, report=latest.get(item.pk), unit_choices=choices),
            )
            for item in items
        ]
        if cards:
            sections.append({"period": period, "cards": cards, "done": sum(card.handed_in for card in cards)})
    return render(request, "reporting/fill.html", {"sections": sections, "now": now, "nav": "reports"})


@require_POST
@zone_view
def save(request: ZoneRequest, access: Access, period_id: int, item_id: int) -> HttpResponse:
    period = queries.get_period(access, period_id)
    item = queries.get_item_to_report(access, item_id)
    report = queries.latest_reports(PlanItem.objects.filter(pk=item.pk), period).get(item.pk)
    form: ReportForm | None = ReportForm(request.POST, request.FILES, item=item, report=report)
    error = ""
    if form is not None and form.is_valid():
        now = timezone.now()
        try:
            report = actions.save_report(item, period, form.to_input(), request.user, now)
            if form.cleaned_data.get("evidence"):
                actions.attach_evidence(report, form.cleaned_data["evidence"], request.user)
            if request.POST.get("submit"):
                actions.submit_report(report, request.user, now)
            form = None
        except ReportRefused as refused:
            error = str(refused)
    card = _card(period, item, form, error)
    if request.htmx:
        return render(request, "reporting/fill.html#card", {"card": card})
    if error:
        messages.error(request, error)
    return redirect("reporting:fill", access.zone.code)


@zone_view
def detail(request: ZoneRequest, access: Access, report_id: int) -> HttpResponse:
    report = queries.get_report(access, report_id)
    context = {
        "report": report,
        "values": report.values.select_related("target"),
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


@zone_view
def review(request: ZoneRequest, access: Access, period_id: int | None = None) -> HttpResponse:
    """The supervision office's view of a period: who reported, who is late, what waits for review."""
    if not (queries.can_review(access) or access.zone_wide):
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
        "rows": rows,
        "counts": counts,
        "reviewable": queries.reviewable_statuses(access),
        "can_review": queries.can_review(access),
        "overdue": now > period.due_at,
        "nav": "review",
    }
    return render(request, "reporting/review.html", context)


@zone_view
def evidence(request: ZoneRequest, access: Access, evidence_id: int) -> FileResponse:
    item = queries.get_evidence(access, evidence_id)
    path = actions.evidence_path(item)
    if not path.exists():
        raise Http404
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


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
    if not access.is_admin:
        raise Http404
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove.isdigit():
            entry = CalendarDay.objects.filter(pk=int(remove)).first()
            if entry:
                actions.remove_calendar_day(entry, request.user)
            return redirect("reporting:calendar", access.zone.code, year)
        if form.is_valid():
            data = form.cleaned_data
            actions.set_calendar_day(data["date"], data["is_workday"], data["name"], request.user)
            messages.success(request, _("已保存"))
            return redirect("reporting:calendar", access.zone.code, data["date"].year)
        flash_form_errors(request, form)
    context = {
        "year": year,
        "package": package_days(year),
        "entries": CalendarDay.objects.filter(date__year=year),
        "form": form,
        "nav": "reports",
    }
    return render(request, "reporting/calendar.html", context)


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
        if not access.edits_plans:
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
            return redirect("plans:item_detail", access.zone.code, item.pk)
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
        "can_edit": access.edits_plans,
    }
    return render(request, "reporting/item_progress.html", context)
