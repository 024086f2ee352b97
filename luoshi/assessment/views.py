"""The indicator library and its values (list, workbook import, verification), and the quarterly evaluation
with the execution facts behind it. Schemes and runs are in scheme_views, benchmarks in benchmark_views."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.assessment import actions, queries
from luoshi.assessment.facts import FACTS
from luoshi.assessment.forms import EvaluationForm, IndicatorForm, ValuesUploadForm
from luoshi.assessment.importing import read_values
from luoshi.assessment.models import Indicator
from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.lib.files import sniff
from luoshi.lib.periods import parse_period, quarter_label
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.sheets.problems import Problem

PAGE_SIZE = 100


@require_safe
@zone_view
def indicator_list(request: ZoneRequest, access: Access) -> HttpResponse:
    context = {
        "indicators": queries.library(access),
        "can_edit": queries.can_edit(access),
        "nav": "indicators",
    }
    return render(request, "assessment/indicator_list.html", context)


def _edit(request: ZoneRequest, access: Access, indicator: Indicator | None) -> HttpResponse:
    form = IndicatorForm(access.zone, request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_indicator(access.zone, form.cleaned_data, request.user, indicator)
        messages.success(request, _("指标“%(name)s”已保存") % {"name": saved.name})
        return redirect("assessment:indicator_list", access.zone.code)
    return render(
        request, "assessment/indicator_form.html", {"form": form, "indicator": indicator, "nav": "indicators"}
    )


@zone_view
def indicator_new(request: ZoneRequest, access: Access) -> HttpResponse:
    queries.check_editor(access)
    return _edit(request, access, None)


@zone_view
def indicator_edit(request: ZoneRequest, access: Access, indicator_id: int) -> HttpResponse:
    return _edit(request, access, queries.get_indicator_for_edit(access, indicator_id))


@require_safe
@zone_view
def value_list(request: ZoneRequest, access: Access) -> HttpResponse:
    values = queries.visible_values(access)
    indicator = request.GET.get("indicator", "")
    period = request.GET.get("period", "").strip()
    if indicator.isdigit():
        values = values.filter(indicator_id=int(indicator))
    if period:
        values = values.filter(period=period)
    context = {
        "page": Paginator(values, PAGE_SIZE).get_page(request.GET.get("page")),
        "indicators": queries.visible_indicators(access).select_related(None).only("id", "code", "name"),
        "indicator": indicator,
        "period": period,
        "can_edit": queries.can_edit(access),
        "nav": "indicators",
    }
    return render(request, "assessment/value_list.html", context)


@zone_view
def value_import(request: ZoneRequest, access: Access) -> HttpResponse:
    """Upload a workbook: any problem is listed with its row and column and nothing is written; otherwise
    every row is written at once."""
    queries.check_editor(access)
    form = ValuesUploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        if sniff(data) != "xlsx":
            form.add_error("file", _("文件不是 Excel 工作簿（.xlsx）；旧版 .xls 请另存为 .xlsx"))
        else:
            rows, problems = read_values(data, access.zone)
            if not problems:
                with transaction.atomic():
                    added, changed = actions.import_values(access.zone, rows, request.user, timezone.now())
                    counts = {"rows": len(rows), "added": added, "changed": changed}
                    detail = {"file": form.cleaned_data["file"].name, **counts}
                    record(
                        Event.IMPORT, request=request, object_type="assessment.IndicatorValue", detail=detail
                    )
                messages.success(
                    request,
                    _("已导入 %(rows)d 行：新增 %(added)d 个数值，更新 %(changed)d 个")
                    % {"rows": len(rows), "added": added, "changed": changed},
                )
                return redirect("assessment:value_list", access.zone.code)
    context = {"form": form, "problems": problems, "nav": "indicators"}
    return render(request, "assessment/value_import.html", context)


@require_POST
@zone_view
def value_verify(request: ZoneRequest, access: Access, value_id: int) -> HttpResponse:
    value = queries.get_value_to_verify(access, value_id)
    actions.verify_value(value, request.user, timezone.now())
    messages.success(request, _("已核实 %(value)s") % {"value": value})
    return redirect(request.POST.get("next") or "assessment:value_list", access.zone.code)


def _period_asked(request: ZoneRequest) -> str:
    """The period in the query string, else the current quarter."""
    try:
        return parse_period(request.GET.get("period", ""))[0]
    except ValueError:
        return quarter_label(timezone.localdate())


@zone_view
def evaluation(request: ZoneRequest, access: Access) -> HttpResponse:
    """The quarterly unit assessment's inputs for a period: the execution facts Luoshi computed per unit, and the
    supervision office's evaluation, entered here."""
    period = _period_asked(request)
    rows = queries.evaluation_sheet(access, period)
    form = EvaluationForm(rows, request.POST or None)
    if request.method == "POST" and form.is_valid():
        n = actions.enter_evaluations(access.zone, period, form.marks(), request.user, timezone.now())
        messages.success(request, _("已保存督查室评价：%(n)d 个单位有变动") % {"n": n})
        return redirect(f"{reverse('assessment:evaluation', args=[access.zone.code])}?period={period}")
    context = {
        "period": period,
        "rows": [(row, form[f"u{row.unit.pk}"]) for row in rows],
        "form": form,
        "facts": FACTS,
        "nav": "assessment",
    }
    return render(request, "assessment/evaluation.html", context)


@require_POST
@zone_view
def facts_collect(request: ZoneRequest, access: Access) -> HttpResponse:
    queries.check_editor(access)
    period = _period_asked(request)
    n = actions.collect_facts(access.zone, period, request.user, timezone.now())
    messages.success(
        request, _("已重新计算%(period)s的执行数据：%(n)d 个数值有变动") % {"period": period, "n": n}
    )
    return redirect(f"{reverse('assessment:evaluation', args=[access.zone.code])}?period={period}")
