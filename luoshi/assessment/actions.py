"""Writes for the indicator library and its values; each atomic and recorded (django-simple-history)."""

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.assessment import scoring
from luoshi.assessment.choices import VersionStatus
from luoshi.assessment.errors import describe
from luoshi.assessment.importing import ValueRow
from luoshi.assessment.models import (
    Indicator,
    IndicatorValue,
    Scheme,
    SchemeVersion,
    ScoreResult,
    ScoreRun,
)
from luoshi.assessment.queries import previous_ranks, value_table
from luoshi.composite.errors import CompositeError
from luoshi.lib.history import Actor, apply_changes, changed_by
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


class ScoringRefused(Exception):
    """A scheme or run the rules do not allow; the message says what and where, in the user's language."""


@transaction.atomic
def create_scheme(zone: Zone, name: str, kind: str, description: str, user: Actor) -> Scheme:
    if Scheme.objects.filter(zone=zone, name=name).exists():
        raise ScoringRefused(_("已有名为“%(name)s”的考核方案") % {"name": name})
    scheme = Scheme(zone=zone, name=name, kind=kind, description=description)
    changed_by(scheme, user)
    scheme.save()
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
    library = dict(Indicator.objects.filter(zone=zone).values_list("code", "direction"))
    codes = [r["iCode"] for r in version.structure if r.get("Level") == "1"]
    codes += [i["indicator"] for i in version.adjustments]
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
