"""The office binds an item's target to an indicator on the item's page (the line of sight fragment), choosing
the one source of truth, and removes the binding."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.assessment.models import Indicator
from luoshi.goals import binding, queries
from luoshi.goals.actions import LinkRefused
from luoshi.goals.choices import BindingSource
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view


@require_POST
@zone_view
def bind_target(request: ZoneRequest, access: Access, target_id: int) -> HttpResponse:
    target = queries.get_target_for_edit(access, target_id)
    indicator_id, source = request.POST.get("indicator", ""), request.POST.get("source", "")
    indicator = (
        Indicator.objects.filter(zone=access.zone, pk=int(indicator_id)).first()
        if indicator_id.isdigit()
        else None
    )
    if indicator is None:
        messages.error(request, _("请选择要绑定的指标"))
    elif source not in BindingSource.values:
        messages.error(request, _("请选择实际值的来源"))
    else:
        try:
            binding.bind_target(target, indicator, source, request.user)
        except LinkRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("“%(target)s”已绑定指标“%(indicator)s”：%(source)s")
                % {
                    "target": target.indicator,
                    "indicator": indicator.name,
                    "source": BindingSource(source).label,
                },
            )
    return redirect("front:item_detail", access.zone.code, target.item_id)


@require_POST
@zone_view
def unbind_target(request: ZoneRequest, access: Access, binding_id: int) -> HttpResponse:
    found = queries.get_binding_for_edit(access, binding_id)
    item_id = found.target.item_id
    binding.unbind_target(found, request.user)
    messages.success(request, _("已取消绑定，实际值恢复由报送填写"))
    return redirect("front:item_detail", access.zone.code, item_id)
