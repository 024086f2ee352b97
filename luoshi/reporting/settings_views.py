"""The zone admin's reporting settings page (报送设置): the unit head's approval step, and the way to the zone's
working-day calendar."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.org.queries import Access, can_manage_zone
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.reporting import queries, zone_settings
from luoshi.reporting.forms import ApprovalStepForm


@zone_view
def reporting_settings(request: ZoneRequest, access: Access) -> HttpResponse:
    if not can_manage_zone(access):
        raise Http404
    # An unticked box sends nothing: an empty POST is still a POST.
    data = request.POST if request.method == "POST" else None
    form = ApprovalStepForm(data, initial={"reports_need_approval": access.zone.reports_need_approval})
    if request.method == "POST" and form.is_valid():
        required = form.cleaned_data["reports_need_approval"]
        if zone_settings.set_approval_step(access.zone, required, request.user):
            messages.success(request, _("已开启单位负责人审核") if required else _("已关闭单位负责人审核"))
        else:
            messages.info(request, _("没有修改"))
        return redirect("reporting:settings", access.zone.code)
    context = {
        "form": form,
        "headless": list(queries.units_without_head(access.zone).values_list("name", flat=True)),
        "year": timezone.localdate().year,
        "nav": "review",
    }
    return render(request, "reporting/settings.html", context)
