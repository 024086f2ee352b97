"""A zone-evaluation scheme's benchmark tables (对标数据): upload with preview and confirmation, the gap
analysis towards a target rank, and its Excel export."""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.assessment import actions, benchmarking, queries
from luoshi.assessment.benchmark_import import read_benchmark, seal, unseal
from luoshi.assessment.errors import describe
from luoshi.assessment.forms import BenchmarkUploadForm, GapForm
from luoshi.assessment.gap_export import gap_workbook
from luoshi.assessment.models import Benchmark, Scheme, SchemeVersion
from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.composite.errors import CompositeError
from luoshi.lib.htmx import render_page
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.sheets.problems import Problem, error


@zone_view
def benchmark_list(request: ZoneRequest, access: Access, scheme_id: int) -> HttpResponse:
    """A zone-evaluation scheme's benchmark tables (对标数据). Editors upload one: every problem is listed by row
    and column, or the page previews where we stand and asks to confirm; nothing is stored before that."""
    scheme = queries.get_evaluation_scheme(access, scheme_id)
    version = queries.latest_published_version(scheme)
    form = BenchmarkUploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    preview, token = None, ""
    if request.method == "POST":
        queries.check_editor(access)
        if version is not None and form.is_valid():
            problems, preview, token = _benchmark_preview(access, scheme, version, form.cleaned_data)
    context = {
        "scheme": scheme, "version": version, "form": form, "problems": problems, "preview": preview,
        "token": token, "benchmarks": queries.visible_benchmarks(access).filter(scheme=scheme),
        "columns": queries.described_indicators(version) if version and queries.can_edit(access) else {},
        "can_edit": queries.can_edit(access), "nav": "assessment",
    }  # fmt: skip
    return render(request, "assessment/benchmark_list.html", context)


def _benchmark_preview(
    access: Access, scheme: Scheme, version: SchemeVersion, data: dict[str, Any]
) -> tuple[list[Problem], benchmarking.Preview | None, str]:
    library = queries.described_indicators(version)
    names = {code: d.name for code, d in library.items()}
    table, problems = read_benchmark(data["file"].read(), names, data["own_name"])
    if table is None:
        return problems, None, ""
    try:
        found = benchmarking.preview(version.structure, version.pipeline, library, table.rows, table.own)
    except CompositeError as e:
        return [error(describe(e), 0, "")], None, ""
    fields = {
        "scheme": scheme.pk,
        "version": version.pk,
        **{k: data[k] for k in ("period", "name", "source")},
    }
    return [], found, seal(access, table, fields)


@require_POST
@zone_view
def benchmark_import(request: ZoneRequest, access: Access, scheme_id: int) -> HttpResponse:
    """The confirmation of a previewed upload: the checked table comes back signed and is stored."""
    queries.check_editor(access)
    scheme = queries.get_evaluation_scheme(access, scheme_id)
    sealed = unseal(access, request.POST.get("token", ""))
    version = scheme.versions.filter(pk=sealed[1]["version"]).first() if sealed else None
    if sealed is None or sealed[1]["scheme"] != scheme.pk or version is None:
        messages.error(request, _("预览已过期或无效，请重新上传文件"))
        return redirect("assessment:benchmark_list", access.zone.code, scheme.pk)
    table, fields = sealed
    try:
        with transaction.atomic():
            benchmark = actions.import_benchmark(scheme, version, fields, table, request.user, timezone.now())
            record(Event.IMPORT, request=request, obj=benchmark, detail={"zones": len(table.rows)})
    except actions.ScoringRefused as refused:
        messages.error(request, str(refused))
        return redirect("assessment:benchmark_list", access.zone.code, scheme.pk)
    messages.success(request, _("已导入对标数据：%(n)d 个高新区") % {"n": len(table.rows)})
    return redirect("assessment:benchmark_gap", access.zone.code, benchmark.pk)


def _gap(benchmark: Benchmark, form: GapForm) -> tuple[benchmarking.GapPage | None, str]:
    """The analysis for the form's target rank (the default, 10, when none is asked), or what stops it."""
    if form.is_bound and not form.is_valid():
        return None, ""  # the form shows why
    target = form.cleaned_data["target"] if form.is_bound else form.fields["target"].initial
    library = queries.described_indicators(benchmark.version)
    version, rows, own = benchmark.version, benchmark.rows, benchmark.own_name
    try:
        return benchmarking.analyse(version.structure, version.pipeline, library, rows, own, target), ""
    except CompositeError as e:
        return None, describe(e)


@require_safe
@zone_view
def benchmark_gap(request: ZoneRequest, access: Access, benchmark_id: int) -> HttpResponse:
    """Our score and rank, the score that reaches the target rank, and which indicators move us most; htmx
    asks for the analysis alone when the target changes."""
    benchmark = queries.get_benchmark(access, benchmark_id)
    form = GapForm(request.GET if "target" in request.GET else None)
    page, error = _gap(benchmark, form)
    context = {"benchmark": benchmark, "form": form, "page": page, "error": error, "nav": "assessment"}
    return render_page(request, "assessment/benchmark_gap.html", context, partial="gap")


@require_safe
@zone_view
def benchmark_export(request: ZoneRequest, access: Access, benchmark_id: int) -> HttpResponse:
    benchmark = queries.get_benchmark(access, benchmark_id)
    page, error = _gap(benchmark, GapForm(request.GET if "target" in request.GET else None))
    if page is None:
        messages.error(request, error or _("目标名次应为正整数"))
        return redirect("assessment:benchmark_gap", access.zone.code, benchmark.pk)
    content = gap_workbook(benchmark, page)
    record(
        Event.EXPORT, request=request, obj=benchmark, detail={"format": "xlsx", "target": page.found.target}
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{benchmark.period}-{benchmark.name}-{_('差距分析')}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
