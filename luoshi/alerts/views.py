from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from luoshi.alerts import actions, queries, triage
from luoshi.alerts.choices import Level, RuleCode
from luoshi.alerts.forms import AcknowledgeForm, DismissForm, NoteForm, RuleForm, threshold_rows
from luoshi.alerts.models import Warning
from luoshi.alerts.rules import DEFAULTS
from luoshi.alerts.triage import TriageStep
from luoshi.lib.htmx import render_page
from luoshi.org.queries import Access, visible_units
from luoshi.org.zones import ZoneRequest, zone_view

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

PAGE_SIZE = 50


def _filters(access: Access, request: HttpRequest) -> queries.WarningFilters:
    unit_id = request.GET.get("unit", "")
    state = request.GET.get("state", "open")
    return queries.WarningFilters(
        level=request.GET.get("level", "") if request.GET.get("level") in Level.values else "",
        rule=request.GET.get("rule", "") if request.GET.get("rule") in RuleCode.values else "",
        unit=visible_units(access).filter(pk=int(unit_id)).first() if unit_id.isdigit() else None,
        state=state if state in queries.STATES else "open",
    )


@require_safe
@zone_view
def warning_list(request: ZoneRequest, access: Access) -> HttpResponse:
    filters = _filters(access, request)
    page = Paginator(queries.filtered_warnings(access, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queries.warning_counts(access, filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "counts": counts,
        "chart": counts.chart_data(),
        "query": query.urlencode(),
        "units": visible_units(access).only("id", "name") if access.zone_wide else [],
        "levels": Level.choices,
        "rules": RuleCode.choices,
        "nav": "warnings",
    }
    return render_page(request, "alerts/warning_list.html", context, partial="results")


def _detail(
    request: ZoneRequest,
    access: Access,
    warning: Warning,
    form: AcknowledgeForm | None = None,
    triage_forms: dict[str, Form] | None = None,
) -> HttpResponse:
    can_ack = queries.can_acknowledge(access, warning)
    if can_ack and form is None:
        form = AcknowledgeForm(
            initial={"explanation": warning.explanation, "rectification": warning.rectification}
        )
    can_triage = queries.can_triage(access) and warning.is_open
    context = {
        "warning": warning,
        "events": queries.warning_events(warning),
        "form": form if can_ack else None,
        "orders": queries.warning_orders(access, warning),
        "can_issue": queries.can_issue_orders(access) and warning.is_open,
        "triage": {"note": NoteForm(), "dismiss": DismissForm()} | (triage_forms or {})
        if can_triage
        else None,
        "nav": "warnings",
    }
    return render(request, "alerts/warning_detail.html", context)


@require_safe
@zone_view
def warning_detail(request: ZoneRequest, access: Access, warning_id: int) -> HttpResponse:
    return _detail(request, access, queries.get_warning(access, warning_id))


@require_POST
@zone_view
def warning_acknowledge(request: ZoneRequest, access: Access, warning_id: int) -> HttpResponse:
    warning = queries.get_warning_to_acknowledge(access, warning_id)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _detail(request, access, warning, form)
    try:
        actions.acknowledge_warning(
            warning,
            form.cleaned_data["explanation"],
            form.cleaned_data["rectification"],
            request.user,
            timezone.now(),
        )
    except actions.AcknowledgeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("情况说明和整改措施已提交"))
    return redirect("alerts:warning_detail", access.zone.code, warning.pk)


# The office's two triage steps: the form, the write and what to say when it is done.
TRIAGE_STEPS: dict[str, tuple[type[Form], TriageStep, "StrOrPromise"]] = {
    "note": (NoteForm, triage.note_warning, gettext_lazy("备注已记入预警记录")),
    "dismiss": (DismissForm, triage.dismiss_warning, gettext_lazy("预警已核销")),
}


def _triage(request: ZoneRequest, access: Access, warning_id: int, step: str) -> HttpResponse:
    """Take the step, then go back where the office triaged from (the workbench) or to the warning; a bad form
    is shown again on the warning's page."""
    warning = queries.get_warning_to_triage(access, warning_id)
    form_class, write, done = TRIAGE_STEPS[step]
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, access, warning, triage_forms={step: form})
    try:
        write(warning, form.cleaned_data["text"], request.user, timezone.now())
    except triage.TriageRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, str(done))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return redirect(target)
    return redirect("alerts:warning_detail", access.zone.code, warning.pk)


@require_POST
@zone_view
def warning_note(request: ZoneRequest, access: Access, warning_id: int) -> HttpResponse:
    return _triage(request, access, warning_id, "note")


@require_POST
@zone_view
def warning_dismiss(request: ZoneRequest, access: Access, warning_id: int) -> HttpResponse:
    return _triage(request, access, warning_id, "dismiss")


@require_safe
@zone_view
def rule_list(request: ZoneRequest, access: Access) -> HttpResponse:
    actions.ensure_rules([access.zone.pk])
    rules = queries.zone_rules(access)
    rows = [
        (rule, DEFAULTS[rule.code].source, threshold_rows(rule)) for rule in rules if rule.code in DEFAULTS
    ]
    return render(request, "alerts/rule_list.html", {"rows": rows, "nav": "warnings"})


@zone_view
def rule_edit(request: ZoneRequest, access: Access, rule_id: int) -> HttpResponse:
    rule = queries.get_rule_for_edit(access, rule_id)
    form = RuleForm(rule, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.update_rule(rule, form.cleaned_data["enabled"], form.thresholds(), request.user)
        messages.success(
            request, _("规则“%(rule)s”已保存，下次检查时生效") % {"rule": rule.get_code_display()}
        )
        return redirect("alerts:rule_list", access.zone.code)
    context = {"rule": rule, "source": DEFAULTS[rule.code].source, "form": form, "nav": "warnings"}
    return render(request, "alerts/rule_form.html", context)
