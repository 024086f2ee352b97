"""The approvals queue (待我审核): the unit head approves the unit's submitted reports, many at once, and the
office accepts what reaches it; either returns one with a reason from the same page."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.reporting import actions, review_queries
from luoshi.reporting.actions import ReportRefused
from luoshi.reporting.forms import ReturnForm
from luoshi.reporting.models import Report

APPROVE, ACCEPT = "approve", "accept"


class ReasonForm(ReturnForm):
    """The return form of the queue's rows: the reason is required, and says so."""

    reason = forms.CharField(
        label=gettext_lazy("退回原因"),
        max_length=1000,
        error_messages={
            "required": gettext_lazy("请填写退回原因"),
            "max_length": gettext_lazy("退回原因不能超过%(limit_value)d个字（现有%(show_value)d个字）"),
        },
    )


def _allowed(access: Access) -> None:
    if not review_queries.can_open_approvals(access):
        raise Http404


def _context(access: Access, returning: int | None = None, form: ReasonForm | None = None) -> dict[str, Any]:
    """Both queues with their context; `returning` is the report whose return form came back with an error."""
    sections = []
    for verb, reports in (
        (APPROVE, review_queries.to_approve(access)),
        (ACCEPT, review_queries.to_accept(access)),
    ):
        if verb == APPROVE and not review_queries.approves_here(access):
            continue
        if verb == ACCEPT and not review_queries.can_review(access):
            continue
        lines = review_queries.review_lines(list(reports[:500]))
        sections.append({"verb": verb, "lines": lines, "behind": sum(1 for line in lines if line.behind)})
    return {
        "sections": sections,
        "returning": returning,
        "return_form": form or ReasonForm(),
        "unit_head_without_approval": review_queries.is_unit_head(access)
        and not review_queries.approves_here(access),
        "nav": "review",
    }


@require_safe
@zone_view
def approvals(request: ZoneRequest, access: Access) -> HttpResponse:
    _allowed(access)
    return render(request, "reporting/approvals.html", _context(access))


def _selected(request: ZoneRequest, access: Access, verb: str) -> list[Report] | str:
    """The ticked reports, all still waiting in the user's queue for `verb`, or why not."""
    raw = request.POST.getlist("report")
    if not raw:
        return _("请先勾选要处理的报告")
    if not all(value.isdigit() for value in raw):
        return _("所选报告无效，请刷新页面后重试")
    ids = {int(value) for value in raw}
    queue = review_queries.to_approve(access) if verb == APPROVE else review_queries.to_accept(access)
    reports = list(queue.filter(pk__in=ids))
    if len(reports) != len(ids):
        gone = len(ids) - len(reports)
        return ngettext(
            "有%(n)d份所选报告已不在待办中（可能已被他人处理），请刷新页面后重试",
            "有%(n)d份所选报告已不在待办中（可能已被他人处理），请刷新页面后重试",
            gone,
        ) % {"n": gone}
    return reports


@require_POST
@zone_view
def approve_many(request: ZoneRequest, access: Access, verb: str) -> HttpResponse:
    """批准所选 / 采纳所选: all the ticked reports in one transaction, or none."""
    _allowed(access)
    if verb not in (APPROVE, ACCEPT):
        raise Http404
    if not (review_queries.approves_here(access) if verb == APPROVE else review_queries.can_review(access)):
        raise Http404
    selected = _selected(request, access, verb)
    if isinstance(selected, str):
        messages.error(request, selected)
        return redirect("reporting:approvals", access.zone.code)
    step = actions.approve_reports if verb == APPROVE else actions.accept_reports
    try:
        done = step(selected, request.user, timezone.now())
    except ReportRefused as refused:
        messages.error(request, str(refused))
    else:
        text = _("已批准%(n)d份报告，已报督查室") if verb == APPROVE else _("已采纳%(n)d份报告")
        messages.success(request, text % {"n": len(done)})
    return redirect("reporting:approvals", access.zone.code)


@require_POST
@zone_view
def return_one(request: ZoneRequest, access: Access, report_id: int) -> HttpResponse:
    """退回 from the queue, with a reason: a missing reason shows the page again with the form's error."""
    _allowed(access)
    report = review_queries.get_queued(access, report_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        context = _context(access, returning=report.pk, form=form)
        return render(request, "reporting/approvals.html", context, status=400)
    try:
        actions.return_report(report, form.cleaned_data["reason"], request.user, timezone.now())
    except ReportRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已退回“%(title)s”，联络员会收到退回原因") % {"title": report.item.title})
    return redirect("reporting:approvals", access.zone.code)
