from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.alerts import actions, queries
from luoshi.alerts.choices import Level, RuleCode
from luoshi.alerts.forms import AcknowledgeForm, RuleForm, threshold_rows
from luoshi.alerts.models import Warning
from luoshi.alerts.rules import DEFAULTS
from luoshi.lib.htmx import render_page
from luoshi.org.queries import Access, visible_units
from luoshi.org.zones import ZoneRequest, zone_view

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
    request: ZoneRequest, access: Access, warning: Warning, form: AcknowledgeForm | None
) -> HttpResponse:
    can_ack = queries.can_acknowledge(access, warning)
    if can_ack and form is None:
        form = AcknowledgeForm(
            initial={"explanation": warning.explanation, "rectification": warning.rectification}
        )
    context = {
        "warning": warning,
        "events": queries.warning_events(warning),
        "form": form if can_ack else None,
        "orders": queries.warning_orders(access, warning),
        "can_issue": queries.can_issue_orders(access),
        "nav": "warnings",
    }
    return render(request, "alerts/warning_detail.html", context)


@require_safe
@zone_view
def warning_detail(request: ZoneRequest, access: Access, warning_id: int) -> HttpResponse:
    return _detail(request, access, queries.get_warning(access, warning_id), None)


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
