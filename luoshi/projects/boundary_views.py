"""The admin's upload of the outlines the battle map is drawn on: the zone's, or one park's (一区多园). Files
as GIS desks and public sources publish them: a FeatureCollection, a bare array of Features (DataV district
files), self-intersecting rings repaired and said so."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.org.models import Park
from luoshi.org.queries import Access, can_manage_zone, visible_parks
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.projects import geo
from luoshi.projects.actions import ProjectError
from luoshi.projects.actions import boundary as boundary_actions
from luoshi.projects.models import Boundary, ParkBoundary
from luoshi.projects.queries import zone_boundary


class BoundaryForm(forms.Form):
    park = forms.ModelChoiceField(
        label=gettext_lazy("边界范围"),
        queryset=Park.objects.none(),
        required=False,
        empty_label=gettext_lazy("整个园区（总边界）"),
        help_text=gettext_lazy("选择分园时，上传的是该分园的轮廓，作战图上标注分园名称"),
    )
    name = forms.CharField(
        label=gettext_lazy("名称"), max_length=100, required=False, help_text=gettext_lazy("总边界的名称")
    )
    file = forms.FileField(
        label=gettext_lazy("边界文件"),
        help_text=gettext_lazy(
            "GeoJSON（.geojson / .json），WGS84 经纬度坐标，不超过 5 MB；也接受 DataV 行政区划文件（要素数组）"
        ),
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["park"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = visible_parks(access)
        if not field.queryset.exists():
            del self.fields["park"]

    def clean_file(self) -> Any:
        """The file's JSON; what it holds is the action's to check."""
        upload = self.cleaned_data["file"]
        if upload.size > geo.MAX_BYTES:
            raise forms.ValidationError(
                _("文件大小为 %(size).1f MB，超过 5 MB 上限") % {"size": upload.size / 1024 / 1024}
            )
        try:
            return geo.load_geojson(upload.read())
        except geo.BoundaryError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("park") and not (data.get("name") or "").strip() and "name" not in self.errors:
            self.add_error("name", _("请填写总边界的名称"))
        return data


def _simplified(outline: Boundary | ParkBoundary) -> str:
    return _("边界原有 %(before)d 个顶点，超过 %(limit)d 个上限，已简化为 %(after)d 个顶点后保存") % {
        "before": outline.source_vertices,
        "limit": geo.MAX_VERTICES,
        "after": outline.vertices,
    }


def _save(access: Access, form: BoundaryForm, request: ZoneRequest) -> Boundary | ParkBoundary:
    park = form.cleaned_data.get("park")
    if park is not None:
        outline: Boundary | ParkBoundary = boundary_actions.set_park_boundary(
            park, form.cleaned_data["file"], request.user
        )
        messages.success(request, _("已更新分园“%(name)s”的边界") % {"name": park.name})
    else:
        name = form.cleaned_data["name"].strip()
        outline = boundary_actions.set_boundary(access.zone, name, form.cleaned_data["file"], request.user)
        messages.success(request, _("已更新园区边界“%(name)s”") % {"name": name})
    return outline


@zone_view
def boundary_upload(request: ZoneRequest, access: Access) -> HttpResponse:
    if not can_manage_zone(access):
        raise Http404
    boundary = zone_boundary(access)
    initial = {"name": boundary.name if boundary else _("%(zone)s边界") % {"zone": access.zone.name}}
    form = BoundaryForm(request.POST or None, request.FILES or None, initial=initial, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            outline = _save(access, form, request)
        except ProjectError as error:
            form.add_error("file", str(error))
        else:
            if outline.source_vertices:
                messages.info(request, _simplified(outline))
            for repair in outline.repairs:
                messages.warning(request, geo.Repair.from_json(repair).describe())
            return redirect("projects:map", access.zone.code)
    parks = ParkBoundary.objects.filter(zone=access.zone).select_related("park").order_by("park__position")
    context = {
        "form": form,
        "boundary": boundary,
        "repairs": [geo.Repair.from_json(r).describe() for r in boundary.repairs] if boundary else [],
        "park_outlines": list(parks),
        "max_features": geo.MAX_FEATURES,
        "max_vertices": geo.MAX_VERTICES,
        "tab": "map",
        "nav": "projects",
    }
    return render(request, "projects/boundary_form.html", context)
