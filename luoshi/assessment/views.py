from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.assessment import actions, queries
from luoshi.assessment.forms import IndicatorForm, RunForm, SchemeForm, ValuesUploadForm, VersionForm
from luoshi.assessment.importing import Problem, read_values
from luoshi.assessment.models import Indicator, Scheme
from luoshi.assessment.scoring import DEFAULT_PIPELINE, contest_text, pipeline_text, sectors
from luoshi.lib.files import sniff
from luoshi.lib.zones import ZoneRequest, zone_view
from luoshi.org.queries import Access

PAGE_SIZE = 100


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
                added, changed = actions.import_values(access.zone, rows, request.user, timezone.now())
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
    context = {
        "scheme": scheme,
        "versions": scheme.versions.all(),
        "runs": queries.visible_runs(access).filter(version__scheme=scheme),
        "version_form": version_form,
        "run_form": run_form,
        "can_edit": queries.can_edit(access),
        "nav": "assessment",
    }
    return render(request, "assessment/scheme_detail.html", context)


def _draft_initial(scheme: Scheme) -> dict:
    """A new version starts from the latest one."""
    latest = scheme.versions.order_by("-number").first()
    if latest is None:
        return {"pipeline": DEFAULT_PIPELINE}
    columns = ("iCode", "iName", "Level", "Parent", "Weight", "Direction")
    lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in latest.structure]
    return {
        "structure": "\n".join(lines),
        "pipeline": pipeline_text(latest.pipeline),
        "adjustments": "\n".join(
            f"{a['indicator']},{a['kind']},{'' if a['cap'] is None else a['cap']}" for a in latest.adjustments
        ),
        "contest": contest_text(latest.contest),
    }


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


@zone_view
def run_detail(request: ZoneRequest, access: Access, run_id: int) -> HttpResponse:
    run = queries.get_run(access, run_id)
    results = list(queries.run_results(run))
    children = sectors(run.version.structure)
    names = {r["iCode"]: r.get("iName") or r["iCode"] for r in run.version.structure}
    rows = [
        {
            "result": r,
            "change": r.previous_rank - r.rank if r.previous_rank else None,
            "children": [(r.scores.get(c), r.stars.get(c)) for c in children],
        }
        for r in results
    ]
    chart = {
        "units": [r.unit.name for r in results],
        "scores": [round(r.score, 2) for r in results],
        "intervals": [[r.rank_q05, r.rank_median, r.rank_q95] for r in results] if run.uncertainty else [],
        "ranks": [r.rank for r in results],
        "labels": {"score": _("得分"), "interval": _("排名区间"), "rank": _("排名")},
    }
    honours: dict[str, list[str]] = {}
    for r in results:
        for flag in r.flags:
            honours.setdefault(flag, []).append(r.unit.name)
    context = {
        "run": run,
        "rows": rows,
        "honours": honours,
        "children": [names[c] for c in children],
        "chart": chart,
        "can_edit": queries.can_edit(access),
        "nav": "assessment",
    }
    return render(request, "assessment/run_detail.html", context)


@require_POST
@zone_view
def run_publish(request: ZoneRequest, access: Access, run_id: int) -> HttpResponse:
    queries.check_editor(access)
    run = queries.get_run(access, run_id)
    actions.publish_run(run, request.user, timezone.now())
    messages.success(request, _("结果已发布，各单位可以查看"))
    return redirect("assessment:run_detail", access.zone.code, run.pk)
