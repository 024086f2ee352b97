from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.assessment import actions, benchmarking, queries, scoring
from luoshi.assessment.benchmark_import import read_benchmark, seal, unseal
from luoshi.assessment.choices import SchemeKind
from luoshi.assessment.errors import describe
from luoshi.assessment.facts import FACTS
from luoshi.assessment.forms import (
    BenchmarkUploadForm,
    EvaluationForm,
    GapForm,
    IndicatorForm,
    RunForm,
    SchemeForm,
    ValuesUploadForm,
    VersionForm,
)
from luoshi.assessment.gap_export import gap_workbook
from luoshi.assessment.importing import Problem, read_values
from luoshi.assessment.models import Benchmark, Indicator, Scheme, SchemeVersion, ScoreResult, ScoreRun
from luoshi.assessment.scoring import (
    DEFAULT_PIPELINE,
    UNIT_QUARTERLY_ADJUSTMENTS,
    UNIT_QUARTERLY_PIPELINE,
    UNIT_QUARTERLY_STRUCTURE,
    adjustment_line,
    contest_text,
    pipeline_text,
    sectors,
)
from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.composite.errors import CompositeError
from luoshi.lib.files import sniff
from luoshi.lib.htmx import render_page
from luoshi.lib.periods import parse_period, quarter_label
from luoshi.lib.zones import ZoneRequest, zone_view
from luoshi.org.queries import Access

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


@zone_view
def scheme_list(request: ZoneRequest, access: Access) -> HttpResponse:
    """Schemes and runs for zone-wide roles; for a unit, the published results it can see itself in."""
    form = SchemeForm(request.POST or None)
    if request.method == "POST":
        queries.check_editor(access)
        if form.is_valid():
            try:
                scheme = actions.create_scheme(
                    access.zone, form.cleaned_data["name"], form.cleaned_data["kind"],
                    form.cleaned_data["description"], request.user,
                )  # fmt: skip
            except actions.ScoringRefused as refused:
                form.add_error("name", str(refused))
            else:
                return redirect("assessment:scheme_detail", access.zone.code, scheme.pk)
    context = {
        "schemes": queries.visible_schemes(access).prefetch_related("versions"),
        "runs": queries.visible_runs(access)[:20],
        "form": form,
        "can_edit": queries.can_edit(access),
        "nav": "assessment",
    }
    return render(request, "assessment/scheme_list.html", context)


def _scheme_page(
    request: ZoneRequest, access: Access, scheme: Scheme, version_form: VersionForm, run_form: RunForm
) -> HttpResponse:
    runs = list(queries.visible_runs(access).filter(version__scheme=scheme))
    context = {
        "scheme": scheme,
        "versions": scheme.versions.all(),
        "runs": runs,
        "has_published": any(r.published_at for r in runs),
        "version_form": version_form,
        "run_form": run_form,
        "can_edit": queries.can_edit(access),
        "nav": "assessment",
    }
    return render(request, "assessment/scheme_detail.html", context)


def _draft_initial(scheme: Scheme) -> dict[str, Any]:
    """A new version starts from the latest one."""
    latest = scheme.versions.order_by("-number").first()
    if latest is None and scheme.kind == SchemeKind.UNIT_QUARTERLY:
        return {
            "structure": UNIT_QUARTERLY_STRUCTURE,
            "pipeline": UNIT_QUARTERLY_PIPELINE,
            "adjustments": UNIT_QUARTERLY_ADJUSTMENTS,
        }
    if latest is None:
        return {"pipeline": DEFAULT_PIPELINE}
    columns = ("iCode", "iName", "Level", "Parent", "Weight", "Direction")
    lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in latest.structure]
    return {
        "structure": "\n".join(lines),
        "pipeline": pipeline_text(latest.pipeline),
        "adjustments": "\n".join(adjustment_line(a) for a in latest.adjustments),
        "contest": contest_text(latest.contest),
    }


@require_safe
@zone_view
def scheme_detail(request: ZoneRequest, access: Access, scheme_id: int) -> HttpResponse:
    scheme = queries.get_scheme(access, scheme_id)
    return _scheme_page(request, access, scheme, VersionForm(initial=_draft_initial(scheme)), RunForm(scheme))


@require_POST
@zone_view
def version_create(request: ZoneRequest, access: Access, scheme_id: int) -> HttpResponse:
    queries.check_editor(access)
    scheme = queries.get_scheme(access, scheme_id)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            version = actions.add_version(
                scheme, form.cleaned_data["structure"], form.cleaned_data["pipeline"],
                form.cleaned_data["adjustments"], form.cleaned_data["note"], request.user, timezone.now(),
                form.cleaned_data["contest"],
            )  # fmt: skip
        except actions.ScoringRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已保存第%(n)d版（草稿），发布后可用于计分") % {"n": version.number})
            return redirect("assessment:scheme_detail", access.zone.code, scheme.pk)
    return _scheme_page(request, access, scheme, form, RunForm(scheme))


@require_POST
@zone_view
def version_publish(request: ZoneRequest, access: Access, version_id: int) -> HttpResponse:
    version = queries.get_version_to_publish(access, version_id)
    try:
        actions.publish_version(version, request.user, timezone.now())
    except actions.ScoringRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("第%(n)d版已发布") % {"n": version.number})
    return redirect("assessment:scheme_detail", access.zone.code, version.scheme_id)


@require_POST
@zone_view
def run_create(request: ZoneRequest, access: Access, scheme_id: int) -> HttpResponse:
    queries.check_editor(access)
    scheme = queries.get_scheme(access, scheme_id)
    form = RunForm(scheme, request.POST)
    if form.is_valid():
        try:
            run = actions.score(
                form.cleaned_data["version"], form.cleaned_data["period"], request.user, timezone.now(),
                form.cleaned_data["replications"],
            )  # fmt: skip
        except actions.ScoringRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("assessment:run_detail", access.zone.code, run.pk)
    return _scheme_page(request, access, scheme, VersionForm(initial=_draft_initial(scheme)), form)


@require_safe
@zone_view
def run_detail(request: ZoneRequest, access: Access, run_id: int) -> HttpResponse:
    run = queries.get_run(access, run_id)
    results = list(queries.run_results(run))
    children = sectors(run.version.structure)
    rows = [
        {
            "result": r,
            "change": r.previous_rank - r.rank if r.previous_rank else None,
            "children": [(r.scores.get(c), r.stars.get(c)) for c in children],
        }
        for r in results
    ]
    context = {
        **_board(run, results, children, intervals=bool(run.uncertainty)),
        "rows": rows,
        "can_edit": queries.can_edit(access),
        "nav": "assessment",
    }
    return render(request, "assessment/run_detail.html", context)


def _board(run: ScoreRun, results: list[ScoreResult], children: list[str], intervals: bool) -> dict[str, Any]:
    """What the results page and the large screen both show: the sectors' names, the honour roll (each flag
    with its units) and the chart of scores, with the rank intervals if asked."""
    honours: dict[str, list[str]] = {}
    for r in results:
        for flag in r.flags:
            honours.setdefault(flag, []).append(r.unit.name)
    chart = {
        "units": [r.unit.name for r in results],
        "scores": [round(r.score, 2) for r in results],
        "intervals": [[r.rank_q05, r.rank_median, r.rank_q95] for r in results] if intervals else [],
        "ranks": [r.rank for r in results],
        "labels": {"score": _("得分"), "interval": _("排名区间"), "rank": _("排名")},
    }
    names = _names(run)
    return {"run": run, "children": [names[c] for c in children], "honours": honours, "chart": chart}


@require_POST
@zone_view
def run_publish(request: ZoneRequest, access: Access, run_id: int) -> HttpResponse:
    queries.check_editor(access)
    run = queries.get_run(access, run_id)
    actions.publish_run(run, request.user, timezone.now())
    messages.success(request, _("结果已发布，各单位可以查看"))
    return redirect("assessment:run_detail", access.zone.code, run.pk)


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


def _names(run: ScoreRun) -> dict[str, str]:
    return {r["iCode"]: r.get("iName") or r["iCode"] for r in run.version.structure}


@require_safe
@zone_view
def result_detail(request: ZoneRequest, access: Access, run_id: int, unit_id: int) -> HttpResponse:
    """How one unit's score is made: each part's weight and contribution, where it ranks best and worst among
    the indicators, and its trend over the scheme's periods."""
    result = queries.get_result(access, run_id, unit_id)
    run = result.run
    names = _names(run)
    indicators = [r["iCode"] for r in run.version.structure if r.get("Level") == "1"]
    ranked = sorted((result.ranks[c], c) for c in indicators if result.ranks.get(c) is not None)
    parts = [
        {"name": names.get(code, code), "weight": weight, "value": value, "part": part}
        for code, weight, value, part in result.contributions
    ]
    trend = queries.unit_trend(access, result)
    chart = {
        "parts": [p["name"] for p in parts],
        "contributions": [None if p["part"] is None else round(p["part"], 2) for p in parts],
        "periods": [t[0] for t in trend],
        "scores": [round(t[1], 2) for t in trend],
        "ranks": [t[2] for t in trend],
        "labels": {"part": _("贡献"), "score": _("得分"), "rank": _("排名")},
    }
    context = {
        "run": run,
        "result": result,
        "parts": parts,
        "strongest": [(names.get(c, c), int(r)) for r, c in ranked[:3]],
        "weakest": [(names.get(c, c), int(r)) for r, c in reversed(ranked[-3:])] if len(ranked) > 3 else [],
        "n": run.results.count(),
        "chart": chart,
        "nav": "assessment",
    }
    return render(request, "assessment/result_detail.html", context)


def _screen(request: ZoneRequest, run: ScoreRun) -> HttpResponse:
    results = list(queries.run_results(run))
    children = sectors(run.version.structure)
    context = {
        **_board(run, results, children, intervals=False),
        "rows": [(r, [(r.scores.get(c), r.stars.get(c)) for c in children]) for r in results],
    }
    return render(request, "assessment/screen.html", context)


@require_safe
@zone_view
def run_screen(request: ZoneRequest, access: Access, run_id: int) -> HttpResponse:
    """A run for the large screen: honour roll, stars and the ranking chart, legible from across the room."""
    return _screen(request, queries.get_run(access, run_id))


@require_safe
@zone_view
def scheme_screen(request: ZoneRequest, access: Access, scheme_id: int) -> HttpResponse:
    """The scheme's latest published results, for a screen left on: it follows each new publication."""
    return _screen(request, queries.latest_published_run(access, queries.get_scheme(access, scheme_id)))


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
        return [Problem(0, "", describe(e))], None, ""
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


@require_safe
@zone_view
def run_sensitivity(request: ZoneRequest, access: Access, run_id: int) -> HttpResponse:
    """Which uncertain choice moves the ranking most: Sobol first-order and total indices, computed from the
    run's stored parameters and figures (a second or so)."""
    run = queries.get_run(access, run_id)
    directions = run.params.get("directions") or queries.library_directions(access)  # runs stored before them
    names = {
        "weights": _("权重（±25%）"),
        "normalisation": _("标准化方法"),
        "aggregation": _("汇总方法"),
        "imputation": _("插补方法"),
    }
    context: dict[str, Any] = {"run": run, "nav": "assessment", "rows": [], "error": None}
    try:
        found = scoring.sensitivity(run.params, directions)
    except CompositeError as e:
        context["error"] = describe(e)
    else:
        context["runs"] = found.runs
        context["rows"] = [
            (names[f], found.first[k], found.first_conf[k], found.total[k], found.total_conf[k])
            for k, f in enumerate(found.factors)
        ]
    return render(request, "assessment/run_sensitivity.html", context)
