"""Assessment schemes, their versions and scoring runs: the results page, one unit's breakdown, the large
screen and the sensitivity of a run's ranking."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.assessment import actions, queries, scoring
from luoshi.assessment.choices import SchemeKind
from luoshi.assessment.errors import describe
from luoshi.assessment.forms import RunForm, SchemeForm, VersionForm
from luoshi.assessment.models import Scheme, ScoreResult, ScoreRun
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
from luoshi.composite.errors import CompositeError
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view


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


SCREEN_ROWS = 15  # units in one column of the big screen's table


def _screen(request: ZoneRequest, run: ScoreRun) -> HttpResponse:
    results = list(queries.run_results(run))
    children = sectors(run.version.structure)
    rows = [(r, [(r.scores.get(c), r.stars.get(c)) for c in children]) for r in results]
    # More units than one column of a 1080-pixel screen holds: two halves side by side.
    middle = (len(rows) + 1) // 2 if len(rows) > SCREEN_ROWS else len(rows)
    halves = [part for part in (rows[:middle], rows[middle:]) if part]
    context = {**_board(run, results, children, intervals=False), "rows": rows, "halves": halves}
    context["chart"]["big"] = True
    # Beside the honour roll (or instead of it, in a plain quarterly assessment): the first and last three.
    context["leaders"] = results[:3]
    context["trailers"] = results[3:][-3:]
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
