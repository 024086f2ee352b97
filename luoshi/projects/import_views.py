"""The ledger import in the browser: upload → preview (projects, problems, unknown units) → confirm."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.org.choices import UnitType
from luoshi.org.queries import Access, visible_units
from luoshi.org.resolving import CREATE_PREFIX, MAP_PREFIX
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.projects.actions.imports import import_ledger
from luoshi.projects.importing import preview_ledger
from luoshi.projects.ledger import parse_ledger
from luoshi.projects.queries import edits_ledger
from luoshi.sheets.forms import ImportUploadForm
from luoshi.sheets.preview import answers_from
from luoshi.sheets.uploads import drop_stash, load_stash, stash_upload

PREVIEW_ROWS = 1000  # enough to check a ledger by eye; the counts above the table cover the rest


class LedgerUploadForm(ImportUploadForm):
    """The shared upload form and checks (size, empty file, year), in the ledger's words."""

    file = forms.FileField(
        label=gettext_lazy("台账文件"), help_text=gettext_lazy("Excel 文件（.xlsx），不超过 20 MB")
    )
    year = forms.IntegerField(label=gettext_lazy("台账年度"), min_value=2000, max_value=2100)


@zone_view
def import_upload(request: ZoneRequest, access: Access) -> HttpResponse:
    if not edits_ledger(access):
        raise Http404
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = stash_upload(access, form.cleaned_data["file"], form.cleaned_data["year"], "")
        return redirect("projects:import_preview", access.zone.code, token)
    return render(request, "projects/import_upload.html", {"form": form, "zone": access.zone})


@zone_view
def import_preview(request: ZoneRequest, access: Access, token: str) -> HttpResponse:
    if not edits_ledger(access):
        raise Http404
    stash = load_stash(access, token)
    resolutions = answers_from(request.POST) if request.method == "POST" else {}
    parsed = parse_ledger(stash.data, stash.filename, stash.year)
    preview = preview_ledger(access.zone, parsed, stash.year, resolutions, source_name=stash.filename)
    if request.method == "POST" and request.POST.get("commit") and not preview.has_errors:
        with transaction.atomic():
            projects = import_ledger(preview, request.user)
            detail = {
                "file": stash.filename,
                "year": preview.year,
                "added": len(projects) - preview.n_updated,
                "updated": preview.n_updated,
            }
            record(Event.IMPORT, request=request, object_type="projects.Ledger", detail=detail)
        drop_stash(token)
        messages.success(
            request,
            _("已导入%(year)d年重点项目台账：新增 %(added)d 个，更新 %(updated)d 个")
            % {
                "year": preview.year,
                "added": len(projects) - preview.n_updated,
                "updated": preview.n_updated,
            },
        )
        return redirect("projects:ledger", access.zone.code)
    context = {
        "zone": access.zone,
        "stash": stash,
        "preview": preview,
        "rows": preview.projects[:PREVIEW_ROWS],
        "more": max(len(preview.projects) - PREVIEW_ROWS, 0),
        "n_errors": preview.n_errors,
        "n_warnings": preview.n_warnings,
        "n_added": len(preview.projects) - preview.n_updated,
        "units": visible_units(access).only("id", "name"),
        "unit_types": UnitType.choices,
        "map_prefix": MAP_PREFIX,
        "create_prefix": CREATE_PREFIX,
        "money": "yi" if request.GET.get("money") == "yi" else "wan",
    }
    return render(request, "projects/import_preview.html", context)
