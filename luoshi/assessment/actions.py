"""Writes for the indicator library and its values; each atomic and recorded (django-simple-history)."""

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.assessment import benchmarking, facts, scoring
from luoshi.assessment.benchmark_import import BenchmarkTable
from luoshi.assessment.choices import Frequency, SchemeKind, VersionStatus
from luoshi.assessment.errors import describe
from luoshi.assessment.importing import ValueRow
from luoshi.assessment.models import (
    Benchmark,
    Indicator,
    IndicatorValue,
    Scheme,
    SchemeVersion,
    ScoreResult,
    ScoreRun,
)
from luoshi.assessment.queries import described_indicators, previous_ranks, value_table
from luoshi.composite.errors import CompositeError
from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.lib.periods import parse_period
from luoshi.org.models import Zone
from luoshi.plans.choices import SIGN

INDICATOR_FIELDS = (
    "code",
    "name",
    "unit_of_measure",
    "direction",
    "frequency",
    "source_unit",
    "alert_threshold",
    "excellence_threshold",
    "description",
)


# Called with a zone id and the indicators whose values were just written, by apps above assessment (goals: a
# plan target that takes its actual value from an indicator follows it).
AFTER_VALUES: list[Callable[[int, set[int]], None]] = []


def _tell(zone_id: int, indicator_ids: set[int]) -> None:
    for listener in AFTER_VALUES:
        listener(zone_id, indicator_ids)


@transaction.atomic
def save_indicator(
    zone: Zone, values: dict[str, Any], user: Actor, indicator: Indicator | None = None
) -> Indicator:
    """Create an indicator, or change the fields of one that really change."""
    if indicator is not None:
        # The stored row, not the caller's copy (a bound ModelForm has already set its fields).
        stored = Indicator.objects.select_for_update().order_by().get(pk=indicator.pk)
        apply_changes(stored, INDICATOR_FIELDS, values, user)
        return stored
    indicator = Indicator(zone=zone, **{f: values[f] for f in INDICATOR_FIELDS if f in values})
    changed_by(indicator, user)
    indicator.save()
    return indicator


@transaction.atomic
def import_values(zone: Zone, rows: Sequence[ValueRow], user: Actor, now: datetime) -> tuple[int, int]:
    """Write checked rows (importing.read_values): new values are added, changed ones replaced and marked
    unverified again, unchanged ones left alone. Returns (added, changed)."""
    existing = {
        (v.indicator_id, v.unit_id, v.period): v
        # Of the value rows only, unordered: the default ordering joins the nullable unit, which PostgreSQL
        # will not lock through.
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .filter(
            zone=zone, indicator_id__in={r.indicator_id for r in rows}, period__in={r.period for r in rows}
        )
        .order_by()
    }
    added = changed = 0
    for row in rows:
        current = existing.get((row.indicator_id, row.unit_id, row.period))
        if current is not None and (current.value, current.source) == (row.value, row.source):
            continue
        value = current or IndicatorValue(
            zone=zone, indicator_id=row.indicator_id, unit_id=row.unit_id, period=row.period
        )
        _store(value, row.period_end, row.value, row.source, user, now, verified=False)
        if current is None:
            added += 1
        else:
            changed += 1
    _tell(zone.pk, {r.indicator_id for r in rows})
    return added, changed


@transaction.atomic
def verify_value(value: IndicatorValue, user: Actor, now: datetime) -> IndicatorValue:
    value.verified, value.verified_by, value.verified_at = True, user, now
    changed_by(value, user)
    value.save(update_fields=["verified", "verified_by", "verified_at"])
    _tell(value.zone_id, {value.indicator_id})
    return value


@transaction.atomic
def add_reserved_indicators(zone: Zone, user: Actor) -> dict[str, Indicator]:
    """The indicators of the execution facts and of the office's evaluation, added to the library if absent
    (their names and thresholds may then be edited like any other). Returns them by code."""
    reserved = [*facts.FACTS, facts.EVALUATION]
    library = {i.code: i for i in Indicator.objects.filter(zone=zone, code__in=[f.code for f in reserved])}
    for fact in reserved:
        if fact.code not in library:
            library[fact.code] = save_indicator(
                zone,
                {
                    "code": fact.code, "name": str(fact.name), "unit_of_measure": str(fact.unit_of_measure),
                    "direction": fact.direction, "frequency": Frequency.QUARTERLY,
                    "description": str(fact.description),
                },
                user,
            )  # fmt: skip
    return library


@transaction.atomic
def collect_facts(zone: Zone, period: str, user: Actor, now: datetime) -> int:
    """Compute the execution facts (assessment.facts) for a period and store them as verified values of their
    reserved indicators, which are added to the library the first time. Values that can no longer be measured
    are removed. Returns how many values were written, changed or removed."""
    label, period_end = parse_period(period)
    library = add_reserved_indicators(zone, user)
    wanted = {
        (code, unit_id): None if value is None else Decimal(str(round(value, 4)))
        for unit_id, values in facts.execution_facts(zone, label, now).items()
        for code, value in values.items()
    }
    indicators = {code: library[code] for code in facts.CODES}
    return _put_values(
        zone, indicators, label, period_end, wanted, facts.SOURCE, user, now, rest_removed=True
    )


@transaction.atomic
def put_zone_figures(
    zone: Zone,
    definitions: Sequence[dict[str, Any]],
    period: str,
    figures: dict[str, Decimal],
    source: str,
    user: Actor,
    now: datetime,
) -> int:
    """Figures another part of Luoshi computes for the zone as a whole (the innovation points' share of tier A
    enterprises, their median points): each indicator added to the library from its definition the first time
    (then edited like any other), its value for the period stored as verified. Returns how many changed."""
    label, period_end = parse_period(period)
    library = {
        i.code: i for i in Indicator.objects.filter(zone=zone, code__in=[d["code"] for d in definitions])
    }
    for definition in definitions:
        if definition["code"] not in library:
            library[definition["code"]] = save_indicator(zone, definition, user)
    existing = {
        v.indicator_id: v
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .filter(zone=zone, indicator__in=library.values(), period=label, unit__isnull=True)
        .order_by()
    }
    changed = 0
    for code, figure in figures.items():
        indicator = library[code]
        current = existing.get(indicator.pk)
        if current is not None and (current.value, current.source) == (figure, source):
            continue
        value = current or IndicatorValue(zone=zone, indicator=indicator, period=label)
        _store(value, period_end, figure, source, user, now, verified=True)
        changed += 1
    _tell(zone.pk, {library[code].pk for code in figures})
    return changed


@transaction.atomic
def enter_evaluations(
    zone: Zone, period: str, marks: dict[int, Decimal | None], user: Actor, now: datetime
) -> int:
    """The supervision office's evaluation of units for a period (0–20 points each, None clears a mark), stored
    as verified values of the reserved OFFICE_EVAL indicator. Returns how many marks changed."""
    label, period_end = parse_period(period)
    for mark in marks.values():
        if mark is not None and not 0 <= mark <= facts.EVALUATION_MAX:
            raise ValueError(mark)  # the form has checked; a caller that did not gets no partial write
    indicators = {facts.OFFICE: add_reserved_indicators(zone, user)[facts.OFFICE]}
    wanted = {(facts.OFFICE, unit_id): mark for unit_id, mark in marks.items()}
    return _put_values(zone, indicators, label, period_end, wanted, facts.EVALUATION_SOURCE, user, now)


def _put_values(
    zone: Zone,
    indicators: dict[str, Indicator],
    label: str,
    period_end: date,
    wanted: dict[tuple[str, int], Decimal | None],
    source: str,
    user: Actor,
    now: datetime,
    rest_removed: bool = False,
) -> int:
    """Verified values the system computes or the office itself enters: each (code, unit) of `wanted` set to
    its figure, or removed for None; with `rest_removed`, the period's other values of these indicators are
    removed too. Returns how many values changed."""
    codes = {i.pk: code for code, i in indicators.items()}
    rows = IndicatorValue.objects.select_for_update(of=("self",)).filter(
        zone=zone, indicator_id__in=codes, period=label, unit__isnull=False
    )
    if not rest_removed:
        rows = rows.filter(unit_id__in={unit_id for _code, unit_id in wanted})
    existing = {
        (codes[v.indicator_id], cast(int, v.unit_id)): v
        for v in rows.order_by()  # unit values only
    }
    if rest_removed:
        wanted = {**dict.fromkeys(existing), **wanted}
    changed = 0
    for (code, unit_id), figure in wanted.items():
        current = existing.get((code, unit_id))
        if figure is None:
            if current is not None:
                changed_by(current, user)
                current.delete()
                changed += 1
            continue
        if current is not None and (current.value, current.source) == (figure, source):
            continue
        value = current or IndicatorValue(
            zone=zone, indicator=indicators[code], unit_id=unit_id, period=label
        )
        _store(value, period_end, figure, source, user, now, verified=True)  # nothing for anyone to check
        changed += 1
    _tell(zone.pk, set(codes))
    return changed


def _store(
    value: IndicatorValue,
    period_end: date,
    figure: Decimal,
    source: str,
    user: Actor,
    now: datetime,
    verified: bool,
) -> None:
    value.period_end, value.value, value.source = period_end, figure, source
    value.entered_by, value.entered_at = user, now
    value.verified, value.verified_by, value.verified_at = (
        (True, user, now) if verified else (False, None, None)
    )
    changed_by(value, user)
    value.save()


class ScoringRefused(Exception):
    """A scheme or run the rules do not allow; the message says what and where, in the user's language."""


@transaction.atomic
def create_scheme(zone: Zone, name: str, kind: str, description: str, user: Actor) -> Scheme:
    if Scheme.objects.filter(zone=zone, name=name).exists():
        raise ScoringRefused(_("已有名为“%(name)s”的考核方案") % {"name": name})
    scheme = Scheme(zone=zone, name=name, kind=kind, description=description)
    changed_by(scheme, user)
    scheme.save()
    if kind == SchemeKind.UNIT_QUARTERLY:
        add_reserved_indicators(zone, user)  # so the default version (scoring.UNIT_QUARTERLY_*) can be saved
    return scheme


@transaction.atomic
def add_version(
    scheme: Scheme,
    structure: str,
    steps: str,
    adjustments: list[dict[str, Any]],
    note: str,
    user: Actor,
    now: datetime,
    contest: str = "",
) -> SchemeVersion:
    """A new draft version from the hierarchy (CSV in iMeta columns) and the pipeline (TOML), checked by the
    engine and against the zone's indicator library before anything is stored."""
    library = dict(Indicator.objects.filter(zone=scheme.zone).values_list("code", "direction"))
    try:
        rows = scoring.parse_structure(structure)
        tree = scoring.tree_for(rows, _directions(library))
        config = scoring.parse_pipeline(steps)
        items = scoring.check_adjustments(adjustments)
        rules = scoring.parse_contest(contest)
    except CompositeError as e:
        raise ScoringRefused(describe(e)) from None
    for code in [*tree.indicators, *(i["indicator"] for i in items)]:
        if code not in library:
            raise ScoringRefused(_("指标“%(code)s”不在指标库中") % {"code": code})
    last = scheme.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return SchemeVersion.objects.create(
        zone=scheme.zone, scheme=scheme, number=last + 1, structure=rows, pipeline=config,
        adjustments=items, contest=rules, note=note, created_by=user, created_at=now,
    )  # fmt: skip


@transaction.atomic
def publish_version(version: SchemeVersion, user: Actor, now: datetime) -> SchemeVersion:
    current = SchemeVersion.objects.select_for_update(of=("self",)).order_by().get(pk=version.pk)
    if current.status == VersionStatus.PUBLISHED:
        raise ScoringRefused(_("这个版本已经发布"))
    current.status, current.published_at = VersionStatus.PUBLISHED, now
    current.save(update_fields=["status", "published_at"])
    return current


def _directions(library: dict[str, str]) -> dict[str, int]:
    return {code: SIGN[direction] for code, direction in library.items()}


@transaction.atomic
def score(
    version: SchemeVersion, period: str, user: Actor, now: datetime, replications: int = 0, seed: int = 0
) -> ScoreRun:
    """Score a published version for a period from the library's values, and store the run with everything it
    used (its hash identifies identical inputs)."""
    if version.status != VersionStatus.PUBLISHED:
        raise ScoringRefused(_("只有已发布的版本可以计分"))
    zone = version.zone
    codes = [r["iCode"] for r in version.structure if r.get("Level") == "1"]
    codes += [i["indicator"] for i in version.adjustments]
    if set(codes) & set(facts.CODES):
        collect_facts(zone, period, user, now)  # the facts as they stand when scored (stored with the run)
    library = dict(Indicator.objects.filter(zone=zone).values_list("code", "direction"))
    table = value_table(zone, codes, period)
    try:
        tree = scoring.tree_for(version.structure, _directions(library))
        scored = scoring.compute(tree, version.pipeline, version.adjustments, table, replications, seed)
    except CompositeError as e:
        raise ScoringRefused(describe(e)) from None
    params = {
        "scheme": version.scheme.name, "version": version.number, "period": period,
        "structure": version.structure, "pipeline": version.pipeline, "adjustments": version.adjustments,
        "replications": replications, "seed": seed,
        # As resolved from the library when scored, so a later change of an indicator's direction cannot
        # change what the run's figures say.
        "directions": dict(zip(tree.indicators, tree.directions().astype(int).tolist(), strict=True)),
        "data": {str(u): dict(figures) for u, figures in sorted(table.items())},
    }  # fmt: skip
    canonical = json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    run = ScoreRun.objects.create(
        zone=zone, version=version, period=period, params=params,
        params_hash=hashlib.sha256(canonical.encode()).hexdigest(), uncertainty=replications,
        created_by=user, created_at=now,
    )  # fmt: skip
    results = _results(run, scored)
    before = previous_ranks(run)
    sectors = scoring.sectors(version.structure)
    stars, flags = scoring.contest_outcome(
        {c: scored.code_ranks[:, scored.codes.index(c)].tolist() for c in sectors},
        [r.rank for r in results],
        [before.get(r.unit_id) for r in results],
        version.contest,
    )
    for result, won_stars, won_flags in zip(results, stars, flags, strict=True):
        result.previous_rank, result.stars, result.flags = before.get(result.unit_id), won_stars, won_flags
    ScoreResult.objects.bulk_create(results)
    return run


def _results(run: ScoreRun, scored: scoring.Scored) -> list[ScoreResult]:
    out = []
    for n, unit in enumerate(scored.units):
        interval = scored.interval
        out.append(
            ScoreResult(
                zone_id=run.zone_id, run=run, unit_id=unit,
                score=float(scored.final[n]), rank=int(scored.ranks[n]),
                scores={c: _json_number(scored.scores[n, k]) for k, c in enumerate(scored.codes)},
                ranks={c: _json_number(scored.code_ranks[n, k]) for k, c in enumerate(scored.codes)},
                adjustment=float(scored.adjustment[n]), contributions=scored.contributions[n],
                rank_median=float(interval[0][n]) if interval else None,
                rank_q05=float(interval[1][n]) if interval else None,
                rank_q95=float(interval[2][n]) if interval else None,
            )
        )  # fmt: skip
    return out


def _json_number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


@transaction.atomic
def publish_run(run: ScoreRun, user: Actor, now: datetime) -> ScoreRun:
    current = ScoreRun.objects.select_for_update().order_by().get(pk=run.pk)
    if current.published_at is None:
        current.published_at = now
        current.save(update_fields=["published_at"])
    return current


@transaction.atomic
def import_benchmark(
    scheme: Scheme,
    version: SchemeVersion,
    fields: dict[str, str],
    table: BenchmarkTable,
    user: Actor,
    now: datetime,
) -> Benchmark:
    """Store a checked benchmark table (benchmark_import.read_benchmark) once the engine has ranked it by the
    version's rules. `fields`: period, name and source. The same scheme, period and name again replace the
    table (its history keeps the earlier one)."""
    if version.scheme_id != scheme.pk or version.status != VersionStatus.PUBLISHED:
        raise ScoringRefused(_("只有已发布的版本可以用于对标"))
    try:
        library = described_indicators(version)
        benchmarking.preview(version.structure, version.pipeline, library, table.rows, table.own)
    except CompositeError as e:
        raise ScoringRefused(describe(e)) from None
    period, name = fields["period"], fields["name"]
    changes = {
        "version": version, "own_name": table.own, "rows": table.rows, "source": fields.get("source", ""),
        "uploaded_by": user, "uploaded_at": now,
    }  # fmt: skip
    current = Benchmark.objects.select_for_update().filter(scheme=scheme, period=period, name=name).first()
    if current is not None:
        apply_changes(current, list(changes), changes, user)
        return current
    benchmark = Benchmark(zone=scheme.zone, scheme=scheme, period=period, name=name, **changes)
    changed_by(benchmark, user)
    benchmark.save()
    return benchmark
