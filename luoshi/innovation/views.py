"""The year's ranking (创新积分排行) and an enterprise's explained points, which the enterprise's own account sees
about itself."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.innovation import actions, explain, queries, ranking
from luoshi.innovation.choices import Industry, LabelKind
from luoshi.innovation.exports import ranking_workbook
from luoshi.innovation.forms import CorrectionForm
from luoshi.innovation.framework import parse
from luoshi.innovation.models import Field, Run, Score
from luoshi.lib.downloads import attachment
from luoshi.org.queries import Access, visible_parks
from luoshi.org.zones import ZoneRequest, open_to, zone_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: ZoneRequest) -> ranking.Filters:
    park, top = request.GET.get("park", ""), request.GET.get("top", "")
    return ranking.Filters(
        stage=request.GET.get("stage", "")[:40],
        tier=request.GET.get("tier", "")[:12],
        industry=request.GET.get("industry", "")[:1],
        park=int(park) if park.isdigit() else None,
        label=request.GET.get("label", "")[:20],
        q=request.GET.get("q", "").strip()[:100],
        top=int(top) if top.isdigit() and 0 < int(top) < 1_000_000 else None,
    )


def _run(request: ZoneRequest, access: Access) -> Run | None:
    year = request.GET.get("year", "")
    return queries.latest_run(access.zone.pk, int(year) if year.isdigit() else None)


@require_safe
@zone_view
def ranking_page(request: ZoneRequest, access: Access) -> HttpResponse:
    """The newest run of the year: summary, tier charts by stage and industry, the filtered ranking a page at a
    time, and the enterprises that moved most since last year."""
    queries.check_reader(access)
    run = _run(request, access)
    context: dict[str, object] = {"nav": "innovation", "run": run, "is_office": queries.is_office(access)}
    if run is not None:
        rules = parse(run.version.text)
        filters = _filters(request)
        found = ranking.scores(run, filters)
        number = request.GET.get("page", "1")
        page = int(number) if number.isdigit() else 1
        total = found.count()
        up, down = ranking.movers(run)
        rows = ranking.page(found, page)
        context.update(
            rules=rules, filters=filters, rows=rows, total=total, page=page,
            pages=max((total + ranking.PAGE - 1) // ranking.PAGE, 1), chart=ranking.charts(run, rules, found),
            up=up, down=down, years=queries.years_scored(access.zone.pk), stages=rules.stages,
            industries=Industry.choices, labels=LabelKind.choices, parks=visible_parks(access),
            query=request.GET.urlencode(), tops=(10, 50, 100, 500),
        )  # fmt: skip
    return render(request, "innovation/ranking.html", context)


@require_safe
@zone_view
def ranking_export(request: ZoneRequest, access: Access) -> HttpResponse:
    queries.check_reader(access)
    run = _run(request, access)
    if run is None:
        messages.error(request, _("还没有计分结果"))
        return redirect("innovation:ranking", access.zone.code)
    filters = _filters(request)
    found = (
        ranking.scores(run, filters).order_by("rank", "enterprise__name").select_related("enterprise__park")
    )
    content = ranking_workbook(run, parse(run.version.text), list(found))
    record(Event.EXPORT, request=request, obj=run, detail={"what": "innovation_ranking", "rows": len(found)})
    return attachment(content, XLSX, _("%(year)d年企业创新积分排行.xlsx") % {"year": run.year})


@require_safe
@zone_view
@open_to("enterprise")
def my_enterprise(request: ZoneRequest, access: Access) -> HttpResponse:
    return redirect("innovation:enterprise", access.zone.code, queries.own_enterprise(access).pk)


def _explanation(score: Score) -> dict[str, object]:
    rules = parse(score.run.version.text)
    units = dict(Field.objects.filter(zone_id=score.zone_id).values_list("column", "unit"))
    lines = explain.lines(rules, score.stage, score.detail, units)
    # The best value of the stage, which a percentile rank measures against, kept with the run.
    stage_best = score.run.summary.get("best", {}).get(score.stage, {})
    best = {code: value for code, value in stage_best.items() if value is not None}
    steps = explain.steps(rules, score.stage, score.detail, score.inputs, score.bonus, best, units)
    stage = next(s for s in rules.stages if s.code == score.stage)
    in_stage = Score.objects.filter(run=score.run, stage=score.stage, rank__isnull=False).count()
    return {
        "rules": rules, "lines": lines, "steps": steps[:6], "stage": stage, "in_stage": in_stage,
        "full_marks": rules.full_marks(score.stage),
        "chart": {
            "names": [line.name for line in lines if not line.is_bonus],
            "points": [round(line.points, 2) for line in lines if not line.is_bonus],
            "full": [line.full for line in lines if not line.is_bonus],
        },
    }  # fmt: skip


@require_safe
@zone_view
@open_to("enterprise")
def enterprise_detail(request: ZoneRequest, access: Access, enterprise_id: int) -> HttpResponse:
    """Points per indicator against the stage's full marks, rank and tier in the zone and the stage, the trend
    over years and what would raise the points most; the year's data with its sources; corrections, consent
    and, for the office, the enterprise's account."""
    enterprise = queries.get_enterprise(access, enterprise_id)
    scores = queries.current_scores(enterprise)
    year_text = request.GET.get("year", "")
    score = next((s for s in scores if str(s.run.year) == year_text), scores[0] if scores else None)
    year = score.run.year if score else timezone.localdate().year - 1
    context: dict[str, object] = {
        "nav": "innovation", "enterprise": enterprise, "score": score, "scores": scores, "year": year,
        "is_self": access.audience == "enterprise", "is_office": queries.is_office(access),
        "labels": enterprise.labels.all(), "data": queries.enterprise_data(enterprise, year),
        "corrections": enterprise.corrections.select_related("field").order_by("-submitted_at")[:20],
        "consent": enterprise.consents.filter(revoked_at__isnull=True).first(),
        "trend": {"years": [s.run.year for s in reversed(scores)], "points": [round(s.points, 2) for s in reversed(scores)]},
        "correction_form": CorrectionForm(enterprise=enterprise, year=year),
        "confirmed": enterprise.confirmations.filter(year=year).first(),
        "account": queries.enterprise_account(enterprise) if queries.is_office(access) else None,
        "history": queries.enterprise_history(enterprise) if access.audience == "staff" else [],
    }  # fmt: skip
    if score is not None:
        context.update(_explanation(score))
    return render(request, "innovation/enterprise_detail.html", context)


@require_POST
@zone_view
@open_to("enterprise")
def enterprise_confirm(request: ZoneRequest, access: Access, enterprise_id: int) -> HttpResponse:
    enterprise = queries.own_enterprise(access)
    if enterprise.pk != enterprise_id:
        raise Http404
    year = request.POST.get("year", "")
    if year.isdigit():
        actions.confirm(enterprise, int(year), request.user, timezone.now())
        messages.success(request, _("已确认%(year)s年度数据") % {"year": year})
    return redirect("innovation:enterprise", access.zone.code, enterprise.pk)


@require_POST
@zone_view
@open_to("enterprise")
def enterprise_consent(request: ZoneRequest, access: Access, enterprise_id: int) -> HttpResponse:
    """The enterprise grants or withdraws its consent to being recommended to financial institutions."""
    enterprise = queries.own_enterprise(access)
    if enterprise.pk != enterprise_id:
        raise Http404
    now = timezone.now()
    if request.POST.get("grant") == "1":
        consent = actions.grant_consent(enterprise, request.user, now)
        messages.success(request, _("已同意向金融机构推荐"))
    else:
        actions.revoke_consent(enterprise, request.user, now)
        consent = None
        messages.success(request, _("已撤回同意：贵企业不再出现在任何推荐名单中"))
    record(Event.CONSENT, request=request, obj=enterprise, detail={"granted": consent is not None})
    return redirect("innovation:enterprise", access.zone.code, enterprise.pk)
