"""Writes for the indicator library and its values; each atomic and recorded (django-simple-history)."""

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

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
from luoshi.plans.choices import Direction

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


@transaction.atomic
def save_indicator(zone: Zone, values: dict, user: Actor, indicator: Indicator | None = None) -> Indicator:
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
        value.period_end, value.value, value.source = row.period_end, row.value, row.source
        value.entered_by, value.entered_at = user, now
        value.verified, value.verified_by, value.verified_at = False, None, None
        changed_by(value, user)
        value.save()
        if current is None:
            added += 1
        else:
            changed += 1
    return added, changed


@transaction.atomic
def verify_value(value: IndicatorValue, user: Actor, now: datetime) -> IndicatorValue:
    value.verified, value.verified_by, value.verified_at = True, user, now
    changed_by(value, user)
    value.save(update_fields=["verified", "verified_by", "verified_at"])
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
    are removed. Returns how many values were written or changed."""
    label, period_end = parse_period(period)
    library = add_reserved_indicators(zone, user)
    found = facts.execution_facts(zone, label, now)
    ids = {library[code].pk: code for code in facts.CODES}
    existing = {
        (ids[v.indicator_id], v.unit_id): v
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .filter(zone=zone, indicator_id__in=ids, period=label, unit__isnull=False)
        .order_by()
    }
    written = 0
    for unit_id, values in found.items():
        for code, value in values.items():
            current = existing.pop((code, unit_id), None)
            if value is None:
                if current is not None:
                    existing[(code, unit_id)] = current  # removed below
                continue
            figure = Decimal(str(round(value, 4)))
            if current is not None and (current.value, current.source) == (figure, facts.SOURCE):
                continue
            row = current or IndicatorValue(zone=zone, indicator=library[code], unit_id=unit_id, period=label)
            row.period_end, row.value, row.source = period_end, figure, facts.SOURCE
            row.entered_by, row.entered_at = user, now
            row.verified, row.verified_by, row.verified_at = True, user, now  # computed, nothing to check
            changed_by(row, user)
            row.save()
            written += 1
    for stale in existing.values():
        changed_by(stale, user)
        stale.delete()
    return written


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
    indicator = add_reserved_indicators(zone, user)[facts.OFFICE]
    existing = {
        v.unit_id: v
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .filter(indicator=indicator, period=label, unit_id__in=marks)
        .order_by()
    }
    changed = 0
    for unit_id, mark in marks.items():
        current = existing.get(unit_id)
        if mark is None:
            if current is not None:
                changed_by(current, user)
                current.delete()
                changed += 1
            continue
        if current is not None and current.value == mark:
            continue
        row = current or IndicatorValue(zone=zone, indicator=indicator, unit_id=unit_id, period=label)
        row.period_end, row.value, row.source = period_end, mark, facts.EVALUATION_SOURCE
        row.entered_by, row.entered_at = user, now
        row.verified, row.verified_by, row.verified_at = True, user, now  # the office's own judgement
        changed_by(row, user)
        row.save()
        changed += 1
    return changed


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
    adjustments: list[dict],
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
    return {code: -1 if direction == Direction.DECREASE else 1 for code, direction in library.items()}


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
