"""Frameworks as versioned data — created from a shipped sample or a TOML file, drafts edited and checked by
the same code as `luoshi points`, published versions frozen — and the scoring runs of a year."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.innovation import framework_form, queries, scoring_actions
from luoshi.innovation.actions import Refused
from luoshi.innovation.choices import VersionStatus
from luoshi.innovation.forms import DraftForm, FrameworkForm, ScoreForm
from luoshi.innovation.framework import FrameworkError, parse, samples
from luoshi.innovation.models import Framework
from luoshi.lib.htmx import render_page
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view


@zone_view
def framework_list(request: ZoneRequest, access: Access) -> HttpResponse:
    """Every framework with its versions; the office adds one from a sample or from its own TOML."""
    frameworks = queries.frameworks(access)
    form = FrameworkForm(request.POST or None)
    if request.method == "POST":
        queries.check_office(access)
        sample = samples().get(request.POST.get("sample", ""))
        if sample is not None:
            form = FrameworkForm({"name": parse(sample).name, "text": sample})
        if form.is_valid():
            try:
                version = scoring_actions.create_framework(
                    access.zone, form.cleaned_data["name"], form.cleaned_data["text"], request.user, timezone.now(),
                    is_sample=sample is not None,
                )  # fmt: skip
                messages.success(request, _("已新建积分框架（草稿）"))
                return redirect("innovation:framework", access.zone.code, version.pk)
            except Refused as refused:
                form.add_error(None, str(refused))
    context = {
        "nav": "innovation",
        "frameworks": frameworks,
        "form": form,
        "samples": samples(),
        "is_office": queries.is_office(access),
    }
    return render(request, "innovation/framework_list.html", context)


def _checked(text: str) -> dict[str, Any]:
    """The structure of a framework text as the page shows it, or its problems."""
    try:
        rules = parse(text)
    except FrameworkError as e:
        return {"problems": e.problems}
    sums = {s.code: rules.full_marks(s.code) for s in rules.stages}
    return {"rules": rules, "sums": sums, "problems": []}


@zone_view
def framework_detail(request: ZoneRequest, access: Access, version_id: int) -> HttpResponse:
    """A version: its structure (groups, indicators, weights by stage with their sums, methods, bonus, penalties,
    tiers) and, for a draft, the TOML to edit — checked as it is typed (htmx) and saved only when valid."""
    version = queries.get_version(access, version_id)
    editable = version.status == VersionStatus.DRAFT and queries.is_office(access)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("mode") == "form":  # the form's rows, as the TOML they stand for
        data["text"] = framework_form.toml(data)
    form = DraftForm(data, initial={"text": version.text})
    text = version.text
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            text = form.cleaned_data["text"]
            if request.POST.get("check") != "1":
                try:
                    scoring_actions.save_draft(version, text, request.user)
                    messages.success(request, _("草稿已保存"))
                    return redirect("innovation:framework", access.zone.code, version.pk)
                except Refused:
                    pass  # the problems are shown below, from the same check
    context = {
        "nav": "innovation", "version": version, "editable": editable, "form": form, **_checked(text),
        "versions": version.framework.versions.all(), "is_office": queries.is_office(access),
        "f": (rows := framework_form.rows(text)), "mode": request.POST.get("mode", "form"),
        "stage_codes": [s["code"] for s in rows["stages"] if s["code"]],
    }  # fmt: skip
    return render_page(request, "innovation/framework_detail.html", context, partial="structure")


@require_POST
@zone_view
def framework_publish(request: ZoneRequest, access: Access, version_id: int) -> HttpResponse:
    queries.check_office(access)
    version = queries.get_version(access, version_id)
    try:
        scoring_actions.publish(version, request.user, timezone.now())
        messages.success(
            request, _("已发布第 %(n)d 版：此后不能再修改，修改请新建版本") % {"n": version.number}
        )
    except Refused as refused:
        messages.error(request, str(refused))
    return redirect("innovation:framework", access.zone.code, version.pk)


@require_POST
@zone_view
def framework_new_version(request: ZoneRequest, access: Access, version_id: int) -> HttpResponse:
    queries.check_office(access)
    framework: Framework = queries.get_version(access, version_id).framework
    draft = scoring_actions.new_draft(framework, request.user, timezone.now())
    return redirect("innovation:framework", access.zone.code, draft.pk)


@zone_view
def run_list(request: ZoneRequest, access: Access) -> HttpResponse:
    """The scoring runs; the office scores a year with a published version."""
    versions = queries.published_versions(access)
    form = ScoreForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        queries.check_office(access)
        if form.is_valid():
            version = versions.filter(pk=form.cleaned_data["version"]).first()
            if version is None:
                form.add_error("version", _("请选择已发布的积分框架版本"))
            else:
                try:
                    run = scoring_actions.score_year(
                        access.zone, form.cleaned_data["year"], version, request.user, timezone.now()
                    )
                    messages.success(
                        request,
                        _("已完成%(year)d年度计分：%(n)d 家企业") % {"year": run.year, "n": run.enterprises},
                    )
                    return redirect(
                        f"{reverse('innovation:ranking', args=[access.zone.code])}?year={run.year}"
                    )
                except Refused as refused:
                    form.add_error(None, str(refused))
    context = {
        "nav": "innovation",
        "runs": queries.runs(access)[:50],
        "versions": versions,
        "form": form,
        "is_office": queries.is_office(access),
    }
    return render(request, "innovation/run_list.html", context)


@require_safe
@zone_view
def run_detail(request: ZoneRequest, access: Access, run_id: int) -> HttpResponse:
    run = queries.get_run(access, run_id)
    same = (
        queries.runs(access)
        .filter(year=run.year, version=run.version, fingerprint=run.fingerprint)
        .exclude(pk=run.pk)
    )
    context = {"nav": "innovation", "run": run, "same_inputs": list(same[:5]), "version": run.version}
    return render(request, "innovation/run_detail.html", context)
