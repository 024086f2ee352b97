"""Reads for the indicator library. Everyone in the zone reads the library; values are the zone's figures for
zone-wide roles and their own unit's for unit roles; the library is kept by admins and the supervision office."""

from django.db.models import Count, QuerySet
from django.http import Http404

from luoshi.assessment.models import Indicator, IndicatorValue, Scheme, SchemeVersion, ScoreResult, ScoreRun
from luoshi.org.models import Zone
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


def value_table(zone: Zone, codes: list[str], period: str) -> dict[int, dict[str, float | None]]:
    """Each unit with any of these indicators' values for the period → code → value (None where missing)."""
    table: dict[int, dict[str, float | None]] = {}
    rows = IndicatorValue.objects.filter(
        zone=zone, indicator__code__in=codes, period=period, unit__isnull=False
    ).values_list("unit_id", "indicator__code", "value")
    for unit_id, code, value in rows:
        table.setdefault(unit_id, dict.fromkeys(codes))[code] = float(value)
    return table


def visible_schemes(access: Access) -> QuerySet[Scheme]:
    """Assessments are the zone's business: zone-wide roles see them all."""
    if not access.zone_wide:
        return Scheme.objects.none()
    return Scheme.objects.filter(zone=access.zone)


def get_scheme(access: Access, scheme_id: int) -> Scheme:
    try:
        return visible_schemes(access).get(pk=scheme_id)
    except Scheme.DoesNotExist:
        raise Http404 from None


def get_version_to_publish(access: Access, version_id: int) -> SchemeVersion:
    check_editor(access)
    try:
        return SchemeVersion.objects.select_related("scheme").get(zone=access.zone, pk=version_id)
    except SchemeVersion.DoesNotExist:
        raise Http404 from None


def visible_runs(access: Access) -> QuerySet[ScoreRun]:
    """Zone-wide roles see every run; units see published runs only (their place among the others)."""
    runs = ScoreRun.objects.filter(zone=access.zone).select_related("version__scheme", "created_by")
    return runs if access.zone_wide else runs.filter(published_at__isnull=False)


def get_run(access: Access, run_id: int) -> ScoreRun:
    try:
        return visible_runs(access).get(pk=run_id)
    except ScoreRun.DoesNotExist:
        raise Http404 from None


def run_results(run: ScoreRun) -> QuerySet[ScoreResult]:
    return run.results.select_related("unit").order_by("rank", "unit__position")


def previous_ranks(run: ScoreRun) -> dict[int, int]:
    """Each unit's rank in the scheme's latest earlier published run of another period (for the trend)."""
    earlier = (
        ScoreRun.objects.filter(version__scheme_id=run.version.scheme_id, published_at__isnull=False)
        .exclude(period=run.period)
        .filter(period__lt=run.period)
        .order_by("-period", "-created_at")
        .first()
    )
    if earlier is None:
        return {}
    return dict(earlier.results.values_list("unit_id", "rank"))
