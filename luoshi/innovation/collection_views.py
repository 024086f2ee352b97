"""Collecting the data: the registry (企业库) and its import, each department's sheet for a year with a
preview before anything is stored, the conflicts between sources for the office to settle, and the queue of
enterprises' corrections with their evidence."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.innovation import actions, collection, queries, table
from luoshi.innovation.choices import DEPARTMENTS, CorrectionStatus, LabelKind, Source
from luoshi.innovation.exports import template_workbook
from luoshi.innovation.forms import CorrectionForm, FiguresForm, FileForm, ReviewForm, SettleForm
from luoshi.innovation.models import Correction, Enterprise, Field, Upload
from luoshi.innovation.views import XLSX
from luoshi.lib.downloads import attachment
from luoshi.lib.messages import flash_form_errors
from luoshi.org.queries import Access, visible_parks
from luoshi.org.zones import ZoneRequest, open_to, zone_view
from luoshi.sheets.guard import MAX_ROWS, checked_upload
from luoshi.sheets.problems import Problem, has_errors
from luoshi.sheets.uploads import drop_stash, load_stash, stash_upload

PREVIEW_ROWS = 20


def _read(data: bytes, filename: str) -> tuple[table.Table | None, list[Problem]]:
    try:
        return table.read(data, filename, max_bytes=settings.LUOSHI_MAX_UPLOAD_BYTES, max_rows=MAX_ROWS), []
    except table.TableError as e:
        return None, [e.problem]


@require_safe
@zone_view
def enterprise_list(request: ZoneRequest, access: Access) -> HttpResponse:
    found = queries.enterprises(access).select_related("park").prefetch_related("labels")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        found = found.filter(name__icontains=q) | found.filter(credit_code=q.upper())
    context = {
        "nav": "innovation", "enterprises": found.order_by("name")[:200], "total": found.count(), "q": q,
        "is_office": queries.is_office(access), "form": FileForm(), "label_kinds": LabelKind.choices,
    }  # fmt: skip
    return render(request, "innovation/enterprise_list.html", context)


def _registry(
    access: Access, data: bytes, filename: str
) -> tuple[list[collection.RegistryRow], list[Problem]]:
    found, problems = _read(data, filename)
    if found is None:
        return [], problems
    parks = {p.name: p.pk for p in visible_parks(access)}
    return collection.read_registry(found, parks)


@zone_view
def registry_import(request: ZoneRequest, access: Access) -> HttpResponse:
    """Upload → every problem by row and column, or a preview → confirm; nothing is stored before that."""
    queries.check_office(access)
    if request.method == "POST" and request.POST.get("token"):
        stash = load_stash(access, request.POST["token"])
        rows, problems = _registry(access, stash.data, stash.filename)
        if has_errors(problems):
            messages.error(request, _("文件已变化，请重新上传"))
            return redirect("innovation:registry_import", access.zone.code)
        added, changed = actions.register(access.zone, rows, request.user)
        drop_stash(stash.token)
        record(Event.IMPORT, request=request, object_type="innovation.registry", detail={"rows": len(rows)})
        messages.success(
            request,
            _("企业库已导入：新增 %(added)d 家，更新 %(changed)d 家") % {"added": added, "changed": changed},
        )
        return redirect("innovation:enterprises", access.zone.code)
    form = FileForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"nav": "innovation", "form": form}
    if request.method == "POST" and form.is_valid():
        upload = checked_upload(form.cleaned_data["file"])
        rows, problems = _registry(access, upload.read(), upload.name or "")
        upload.seek(0)
        context.update(problems=problems, rows=rows[:PREVIEW_ROWS], total=len(rows))
        if not has_errors(problems):
            context["token"] = stash_upload(access, upload, 0, "registry")
    return render(request, "innovation/registry_import.html", context)


def _catalogue(access: Access) -> list[collection.DataField]:
    return [collection.DataField(f.pk, f.column, f.unit, f.is_flag) for f in queries.fields(access.zone.pk)]


def _figures(
    access: Access, data: bytes, filename: str
) -> tuple[list[collection.FigureRow], list[Problem], list[str]]:
    found, problems = _read(data, filename)
    if found is None:
        return [], problems, []
    known = dict(Enterprise.objects.filter(zone=access.zone).values_list("credit_code", "pk"))
    return collection.read_figures(found, _catalogue(access), known)


@zone_view
def collection_page(request: ZoneRequest, access: Access) -> HttpResponse:
    """The year's data: a department's sheet in (preview, then confirm), the uploads so far, and the figures on
    which sources disagree, each with a choice of whose counts."""
    if not queries.uploads_figures(access):
        raise Http404
    year_text = request.GET.get("year") or request.POST.get("year", "")
    year = int(year_text) if year_text.isdigit() else timezone.localdate().year - 1
    form = FiguresForm(request.POST or None, request.FILES or None, initial={"year": year})
    context: dict[str, Any] = {
        "nav": "innovation",
        "form": form,
        "year": year,
        "is_office": queries.is_office(access),
        "sources": [(s.value, s.label) for s in DEPARTMENTS],
    }
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile = checked_upload(form.cleaned_data["file"])
        rows, problems, found_fields = _figures(access, upload.read(), upload.name or "")
        upload.seek(0)
        year, source = form.cleaned_data["year"], form.cleaned_data["source"]
        context.update(
            problems=problems, rows=rows[:PREVIEW_ROWS], total=len(rows), found_fields=found_fields, year=year
        )
        context["source_label"] = Source(source).label
        if not has_errors(problems) and rows:
            # The stash keeps the year and, in its title, the department the sheet comes from.
            context["token"] = stash_upload(access, upload, year, source)
    context["uploads"] = Upload.objects.filter(zone=access.zone, year=year).select_related("uploaded_by")[:30]
    if queries.is_office(access):
        context["conflicts"] = _conflicts(access, year)
    return render(request, "innovation/collection.html", context)


def _conflicts(access: Access, year: int) -> list[dict[str, Any]]:
    found = queries.conflicts(access.zone.pk, year)[:200]
    enterprises = Enterprise.objects.in_bulk([e for e, _f, _fig in found])
    fields = Field.objects.in_bulk([f for _e, f, _fig in found])
    return [
        {"enterprise": enterprises[e], "field": fields[f], "figure": fig,
         "sources": [(s, Source(s).label, v) for s, v in fig.sources.items()]}
        for e, f, fig in found
    ]  # fmt: skip


@require_POST
@zone_view
def collection_confirm(request: ZoneRequest, access: Access) -> HttpResponse:
    if not queries.uploads_figures(access):
        raise Http404
    stash = load_stash(access, request.POST.get("token", ""))
    rows, problems, _fields = _figures(access, stash.data, stash.filename)
    if has_errors(problems) or stash.title not in Source.values:
        messages.error(request, _("文件已变化，请重新上传"))
        return redirect("innovation:collection", access.zone.code)
    saved = actions.collect(
        access.zone, stash.year, stash.title, stash.filename, rows, request.user, timezone.now()
    )
    drop_stash(stash.token)
    record(Event.IMPORT, request=request, obj=saved, detail={"rows": saved.rows, "source": saved.source})
    messages.success(
        request,
        _("已导入%(source)s数据：%(rows)d 家企业，新增 %(added)d 项，更新 %(changed)d 项")
        % {
            "source": saved.get_source_display(),
            "rows": saved.rows,
            "added": saved.values_added,
            "changed": saved.values_changed,
        },
    )
    return redirect(f"{_url(access, 'innovation:collection')}?year={saved.year}")


def _url(access: Access, name: str) -> str:
    return reverse(name, args=[access.zone.code])


@require_POST
@zone_view
def settle(request: ZoneRequest, access: Access) -> HttpResponse:
    queries.check_office(access)
    form = SettleForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    enterprise = queries.get_enterprise(access, data["enterprise"])
    field = Field.objects.filter(zone=access.zone, pk=data["field"]).first()
    if field is None:
        raise Http404
    try:
        actions.settle(
            enterprise, data["year"], field, data["source"], data["note"], request.user, timezone.now()
        )
        messages.success(request, _("已确定%(name)s的“%(field)s”采用%(source)s数据") % {
            "name": enterprise.name, "field": field.column, "source": Source(data["source"]).label,
        })  # fmt: skip
    except actions.Refused as refused:
        messages.error(request, str(refused))
    return redirect(f"{_url(access, 'innovation:collection')}?year={data['year']}#conflicts")


@require_POST
@zone_view
@open_to("enterprise")
def correct(request: ZoneRequest, access: Access, enterprise_id: int) -> HttpResponse:
    """The enterprise sends its own figure with evidence; it counts once the office verifies it."""
    enterprise = queries.own_enterprise(access)
    if enterprise.pk != enterprise_id:
        raise Http404
    year_text = request.POST.get("year", "")
    year = int(year_text) if year_text.isdigit() else timezone.localdate().year - 1
    form = CorrectionForm(request.POST, request.FILES, enterprise=enterprise, year=year)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.submit_correction(
                enterprise,
                year,
                data["field"],
                data["value"],
                data["reason"],
                data["evidence"],
                request.user,
                timezone.now(),
            )
            messages.success(request, _("更正已提交，经督查室核实后计入积分"))
        except actions.Refused as refused:
            messages.error(request, str(refused))
    else:
        flash_form_errors(request, form)
    return redirect(f"{_url(access, 'innovation:my_enterprise')}?year={year}")


@require_safe
@zone_view
def corrections(request: ZoneRequest, access: Access) -> HttpResponse:
    pending = list(queries.pending_corrections(access))
    for year in {c.year for c in pending}:  # the figures each correction would replace, a year at a time
        current = queries.figures(access.zone.pk, year, [c.enterprise_id for c in pending if c.year == year])
        for c in pending:
            if c.year == year:
                c.current = current.get((c.enterprise_id, c.field_id))  # type: ignore[attr-defined]
    done = (
        Correction.objects.filter(zone=access.zone)
        .exclude(status=CorrectionStatus.PENDING)
        .select_related("enterprise", "field")[:30]
    )
    context = {"nav": "innovation", "pending": pending, "done": done, "form": ReviewForm()}
    return render(request, "innovation/corrections.html", context)


@require_POST
@zone_view
def review(request: ZoneRequest, access: Access, correction_id: int) -> HttpResponse:
    correction = queries.pending_corrections(access).filter(pk=correction_id).first()
    if correction is None:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_correction(
                correction,
                form.cleaned_data["accept"],
                form.cleaned_data["note"],
                request.user,
                timezone.now(),
            )
            messages.success(request, _("已处理%(name)s的更正") % {"name": correction.enterprise.name})
        except actions.Refused as refused:
            messages.error(request, str(refused))
    return redirect("innovation:corrections", access.zone.code)


@require_safe
@zone_view
@open_to("enterprise")
def evidence(request: ZoneRequest, access: Access, correction_id: int) -> FileResponse:
    """A correction's evidence, for the office and for the enterprise that sent it."""
    if access.audience == "enterprise":
        found = Correction.objects.filter(enterprise=queries.own_enterprise(access), pk=correction_id).first()
    else:
        queries.check_office(access)
        found = Correction.objects.filter(zone=access.zone, pk=correction_id).first()
    if found is None:
        raise Http404
    path = actions.evidence_folder(found.zone_id) / found.evidence_stored
    if not path.is_file():
        raise Http404
    record(Event.DOWNLOAD, request=request, obj=found, detail={"name": found.evidence_name})
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=found.evidence_name, content_type=found.evidence_type
    )


@require_safe
@zone_view
def template(request: ZoneRequest, access: Access) -> HttpResponse:
    """An empty workbook with the headings an import reads: the registry's, or one department's fields."""
    source = request.GET.get("source", "")
    if source == "registry":
        queries.check_office(access)
        headings = [table.CODE_LABEL, *collection.REGISTRY_COLUMNS]
        title, note = _("企业库导入模板"), _("资质写法：高新技术企业（2023-2025）；专精特新（2024起）")
    elif source in Source.values and source != Source.ENTERPRISE and queries.uploads_figures(access):
        fields = [f for f in queries.fields(access.zone.pk) if f.source == source]
        headings = [
            table.CODE_LABEL,
            "企业名称",
            *(f"{f.column}（{f.unit}）" if f.unit in collection.MONEY else f.column for f in fields),
        ]
        title = _("%(source)s部门数据模板") % {"source": Source(source).label}
        note = _("金额单位按表头；是/否项填写“是”或“否”")
    else:
        raise Http404
    return attachment(template_workbook(title, headings, note), XLSX, f"{title}.xlsx")
