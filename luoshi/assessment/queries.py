"""Reads for the indicator library. Everyone in the zone reads the library; values are the zone's figures for
zone-wide roles and their own unit's for unit roles; the library is kept by admins and the supervision office."""

from django.db.models import Count, QuerySet
from django.http import Http404

from luoshi.assessment.models import Indicator, IndicatorValue
from luoshi.org.queries import Access


def visible_indicators(access: Access) -> QuerySet[Indicator]:
    return Indicator.objects.filter(zone=access.zone).select_related("source_unit")


def library(access: Access) -> QuerySet[Indicator]:
    return visible_indicators(access).annotate(value_count=Count("values"))


def check_editor(access: Access) -> None:
    """Only admins and the supervision office keep the library and its values; for others the pages do not exist."""
    if not access.edits_plans:
        raise Http404


def get_indicator_for_edit(access: Access, indicator_id: int) -> Indicator:
    check_editor(access)
    try:
        return visible_indicators(access).get(pk=indicator_id)
    except Indicator.DoesNotExist:
        raise Http404 from None


def visible_values(access: Access) -> QuerySet[IndicatorValue]:
    values = IndicatorValue.objects.filter(zone=access.zone).select_related("indicator", "unit", "entered_by")
    return values if access.zone_wide else values.filter(unit_id__in=access.unit_ids)


def get_value_to_verify(access: Access, value_id: int) -> IndicatorValue:
    check_editor(access)
    try:
        return visible_values(access).get(pk=value_id)
    except IndicatorValue.DoesNotExist:
        raise Http404 from None


def can_edit(access: Access) -> bool:
    return access.edits_plans
