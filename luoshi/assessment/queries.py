"""Reads for the indicator library. Everyone in the zone reads the library; values are the zone's figures for
zone-wide roles and their own unit's for unit roles; the library is kept by admins and the supervision office."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.http import Http404

from luoshi.assessment import facts
from luoshi.assessment.benchmarking import Described
from luoshi.assessment.choices import SchemeKind, VersionStatus
from luoshi.assessment.models import (
    Benchmark,
    Indicator,
    IndicatorValue,
    Scheme,
    SchemeVersion,
    ScoreResult,
    ScoreRun,
)
from luoshi.org.models import Unit, Zone
from luoshi.org.queries import Access
from luoshi.plans.choices import SIGN


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


@dataclass
class SheetRow:
    unit: Unit
    facts: list[Decimal | None]  # in the order of facts.FACTS
    evaluation: Decimal | None


def evaluation_sheet(access: Access, period: str) -> list[SheetRow]:
    """The units with execution facts or an evaluation for the period, with both: what the office evaluates from."""
    check_editor(access)
    codes = [*facts.CODES, facts.OFFICE]
    values = IndicatorValue.objects.filter(
        zone=access.zone, indicator__code__in=codes, period=period, unit__isnull=False
    ).values_list("unit_id", "indicator__code", "value")
    found: dict[int, dict[str, Decimal]] = {}
    for unit_id, code, value in values:
        found.setdefault(unit_id, {})[code] = value
    units = Unit.objects.filter(zone=access.zone, pk__in=found).order_by("position", "id")
    return [
        SheetRow(u, [found[u.pk].get(c) for c in facts.CODES], found[u.pk].get(facts.OFFICE)) for u in units
    ]


def get_result(access: Access, run_id: int, unit_id: int) -> ScoreResult:
    run = get_run(access, run_id)
    try:
        return run.results.select_related("unit").get(unit_id=unit_id)
    except ScoreResult.DoesNotExist:
        raise Http404 from None


def unit_trend(access: Access, result: ScoreResult) -> list[tuple[str, float, int]]:
    """The unit's (period, score, rank) in its scheme's runs the reader can see: the latest run of each period,
    published ones first (a draft rescoring does not replace what was announced)."""
    runs = visible_runs(access).filter(version__scheme_id=result.run.version.scheme_id)
    rows = (
        ScoreResult.objects.filter(run__in=runs, unit_id=result.unit_id)
        .order_by("run__period", "run__published_at", "run__created_at")
        .values_list("run__period", "score", "rank", "run__published_at")
    )
    latest: dict[str, tuple[float, int, bool]] = {}
    for period, score, rank, published in rows:
        if period in latest and latest[period][2] and published is None:
            continue
        latest[period] = (score, rank, published is not None)
    return [(period, score, rank) for period, (score, rank, _p) in latest.items()]


def latest_published_run(access: Access, scheme: Scheme) -> ScoreRun:
    run = visible_runs(access).filter(version__scheme=scheme, published_at__isnull=False).first()
    if run is None:
        raise Http404
    return run


def get_evaluation_scheme(access: Access, scheme_id: int) -> Scheme:
    """A zone-evaluation scheme (高新区综合评价), the kind national benchmark tables belong to."""
    scheme = get_scheme(access, scheme_id)
    if scheme.kind != SchemeKind.ZONE_EVALUATION:
        raise Http404
    return scheme


def latest_published_version(scheme: Scheme) -> SchemeVersion | None:
    return scheme.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def visible_benchmarks(access: Access) -> QuerySet[Benchmark]:
    """Benchmarks are the zone's business like its schemes: zone-wide roles see them all."""
    if not access.zone_wide:
        return Benchmark.objects.none()
    return Benchmark.objects.filter(zone=access.zone).select_related("scheme", "version", "uploaded_by")


def get_benchmark(access: Access, benchmark_id: int) -> Benchmark:
    try:
        return visible_benchmarks(access).get(pk=benchmark_id)
    except Benchmark.DoesNotExist:
        raise Http404 from None


def described_indicators(version: SchemeVersion) -> dict[str, Described]:
    """The version's indicators in its order, as the library describes them (name, unit of measure, direction);
    the name as the scheme writes it for one the library has lost."""
    codes = [r["iCode"] for r in version.structure if r.get("Level") == "1"]
    written = {r["iCode"]: r.get("iName") or r["iCode"] for r in version.structure}
    rows = Indicator.objects.filter(zone_id=version.zone_id, code__in=codes).values_list(
        "code", "name", "unit_of_measure", "direction"
    )
    library = {code: Described(name, uom, SIGN[direction]) for code, name, uom, direction in rows}
    return {code: library.get(code) or Described(written[code]) for code in codes}


def library_directions(access: Access) -> dict[str, int]:
    """Each library indicator's direction as the engine reads it (1: more is better, −1: less is better)."""
    rows = visible_indicators(access).values_list("code", "direction")
    return {code: SIGN[direction] for code, direction in rows}
