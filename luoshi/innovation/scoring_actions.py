"""Writes for frameworks, scoring runs and bank lists. A framework version is checked by the same code as
`luoshi points` and never changes once published; a run keeps every input it scored with its source."""

import json
import math
from datetime import date, datetime
from decimal import Decimal
from statistics import median

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.assessment.actions import put_zone_figures
from luoshi.innovation import queries, scoring
from luoshi.innovation.actions import Refused, fingerprint
from luoshi.innovation.choices import VersionStatus
from luoshi.innovation.framework import Framework as Rules
from luoshi.innovation.framework import FrameworkError, parse
from luoshi.innovation.models import (
    BankList,
    Enterprise,
    Entry,
    Field,
    Framework,
    FrameworkVersion,
    Institution,
    Run,
    Score,
    Share,
)
from luoshi.lib.history import Actor, changed_by
from luoshi.org.models import Zone
from luoshi.plans.choices import Direction

PREVIOUS = "_上年"  # a column "研发费用_上年" falls back to last year's 研发费用
SOURCE = "创新积分"
ZONE_INDICATORS = [
    {
        "code": "INNOV_A_SHARE", "name": "创新积分A档企业占比", "unit_of_measure": "%",
        "direction": Direction.INCREASE, "frequency": "yearly",
        "description": "参评企业（不含一票否决）中评为A档的比例，取该年度最新一次创新积分计分。",
    },
    {
        "code": "INNOV_MEDIAN", "name": "企业创新积分中位数", "unit_of_measure": "分",
        "direction": Direction.INCREASE, "frequency": "yearly",
        "description": "参评企业（不含一票否决）创新积分的中位数，取该年度最新一次创新积分计分。",
    },
]  # fmt: skip


def check(text: str) -> Rules:
    try:
        return parse(text)
    except FrameworkError as e:
        raise Refused("；".join(p.message for p in e.problems)) from None


@transaction.atomic
def create_framework(
    zone: Zone, name: str, text: str, user: Actor, now: datetime, is_sample: bool = False
) -> FrameworkVersion:
    check(text)
    if Framework.objects.filter(zone=zone, name=name).exists():
        raise Refused(_("已有名为“%(name)s”的积分框架") % {"name": name})
    framework = Framework.objects.create(zone=zone, name=name, is_sample=is_sample, created_at=now)
    return _version(framework, 1, text, user, now)


def _version(framework: Framework, number: int, text: str, user: Actor, now: datetime) -> FrameworkVersion:
    version = FrameworkVersion(
        zone_id=framework.zone_id,
        framework=framework,
        number=number,
        text=text,
        created_by=user,
        created_at=now,
    )
    changed_by(version, user)
    version.save()
    return version


@transaction.atomic
def save_draft(version: FrameworkVersion, text: str, user: Actor) -> FrameworkVersion:
    current = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != VersionStatus.DRAFT:
        raise Refused(_("已发布的版本不能修改，请新建版本"))
    check(text)
    if current.text != text:
        current.text = text
        changed_by(current, user)
        current.save(update_fields=["text"])
    return current


@transaction.atomic
def publish(version: FrameworkVersion, user: Actor, now: datetime) -> FrameworkVersion:
    current = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != VersionStatus.DRAFT:
        raise Refused(_("这个版本已经发布"))
    check(current.text)
    current.status, current.published_by, current.published_at = VersionStatus.PUBLISHED, user, now
    changed_by(current, user)
    current.save(update_fields=["status", "published_by", "published_at"])
    return current


@transaction.atomic
def new_draft(framework: Framework, user: Actor, now: datetime) -> FrameworkVersion:
    """The draft to edit: the open one, or a copy of the newest version."""
    Framework.objects.select_for_update().get(pk=framework.pk)
    newest = framework.versions.order_by("-number").first()
    if newest is not None and newest.status == VersionStatus.DRAFT:
        return newest
    number = newest.number + 1 if newest else 1
    return _version(framework, number, newest.text if newest else "", user, now)


def _columns(rules: Rules, catalogue: dict[str, Field]) -> dict[str, tuple[Field, int]]:
    """Each column the framework reads → the catalogue field and the year offset to read it at: a "…_上年"
    column not in the catalogue is last year's figure of its base column."""
    out = {}
    for column in [*rules.number_columns(), *rules.flag_columns()]:
        if column in catalogue:
            out[column] = (catalogue[column], 0)
        elif column.endswith(PREVIOUS) and column.removesuffix(PREVIOUS) in catalogue:
            out[column] = (catalogue[column.removesuffix(PREVIOUS)], -1)
        else:
            raise Refused(
                _("积分框架用到的数据项“%(column)s”不在数据目录中，请先在数据目录中添加") % {"column": column}
            )
    return out


@transaction.atomic
def score_year(zone: Zone, year: int, version: FrameworkVersion, user: Actor, now: datetime) -> Run:
    """Score every enterprise in the registry for `year` with a published version, from the figures that count
    (settled, else the field's own department), and keep each input with its source."""
    if version.status != VersionStatus.PUBLISHED:
        raise Refused(_("只有已发布的积分框架版本可以计分"))
    rules = check(version.text)
    columns = _columns(rules, {f.column: f for f in Field.objects.filter(zone=zone)})
    enterprises = list(Enterprise.objects.filter(zone=zone).order_by("pk"))
    if not enterprises:
        raise Refused(_("企业库中还没有企业"))
    ids = [e.pk for e in enterprises]
    years = {0: queries.figures(zone.pk, year, ids), -1: queries.figures(zone.pk, year - 1, ids)}
    inputs: list[dict[str, list[object]]] = [{} for _e in enterprises]
    numbers, flags = {}, {}
    for column, (field, offset) in columns.items():
        values = np.full(len(enterprises), np.nan)
        for i, e in enumerate(enterprises):
            figure = years[offset].get((e.pk, field.pk))
            if figure is not None:
                values[i] = float(figure.value)
                inputs[i][column] = [float(figure.value), figure.source]
        if column in rules.flag_columns():
            flags[column] = values == 1
        else:
            numbers[column] = values
    founded = np.array([e.founded.year for e in enterprises])
    result = scoring.score(rules, founded, numbers, flags, year)
    run = Run.objects.create(
        zone=zone, year=year, version=version, enterprises=len(enterprises), created_by=user, created_at=now,
        fingerprint=fingerprint([version.text, str(year), json.dumps(inputs, sort_keys=True)]),
        summary=_summary(rules, result),
    )  # fmt: skip
    scores = _scores(run, rules, enterprises, result, inputs)
    before = Run.objects.filter(zone=zone, year=year - 1).order_by("-created_at").first()
    if before is not None:
        ranks = dict(before.scores.filter(rank__isnull=False).values_list("enterprise_id", "rank"))
        for score in scores:
            previous = ranks.get(score.enterprise_id)
            score.rise = previous - score.rank if previous and score.rank else None
    Score.objects.bulk_create(scores, batch_size=2000)
    _zone_figures(zone, year, run, user, now)
    return run


def _scores(
    run: Run,
    rules: Rules,
    enterprises: list[Enterprise],
    result: scoring.Result,
    inputs: list[dict[str, list[object]]],
) -> list[Score]:
    measures = rules.indicators + rules.bonuses
    missing = scoring.missing(rules, result)
    out = []
    for i, enterprise in enumerate(enterprises):
        stage = rules.stages[int(result.stage[i])].code
        detail = {}
        for k, m in enumerate(measures):
            fraction = result.fractions[i, k]
            full = m.weights.get(stage, 0.0) if k < len(rules.indicators) else m.points
            detail[m.code] = [
                _number(result.values[i, k]),
                _number(fraction),
                0.0 if fraction != fraction else round(full * fraction, 6),
            ]
        out.append(
            Score(
                zone_id=run.zone_id,
                run=run,
                enterprise=enterprise,
                stage=stage,
                core=float(result.core[i]),
                bonus=float(result.bonus[i]),
                penalty=float(result.penalty[i]),
                points=float(result.points[i]),
                rank=None if result.veto[i] else int(result.rank[i]),
                stage_rank=None if result.veto[i] else int(result.stage_rank[i]),
                tier=str(result.tier[i]),
                missing=missing[i][:500],
                detail=detail,
                inputs=inputs[i],
            )  # fmt: skip
        )
    return out


def _number(value: float) -> float | None:
    if value != value:
        return None
    return value if math.isfinite(value) else None


def _summary(rules: Rules, result: scoring.Result) -> dict[str, object]:
    eligible = ~result.veto
    points = [float(p) for p in result.points[eligible]]
    tiers = {t: int((result.tier == t).sum()) for t in ("A", "B", "C", "D", scoring.INELIGIBLE)}
    return {
        "tiers": tiers,
        "stages": {s.code: int((result.stage == i).sum()) for i, s in enumerate(rules.stages)},
        "eligible": len(points),
        "median": round(median(points), 4) if points else None,
        "a_share": round(tiers["A"] / len(points) * 100, 2) if points else None,
        "best": _best(rules, result),
    }


def _best(rules: Rules, result: scoring.Result) -> dict[str, dict[str, float | None]]:
    """Each stage's best value of each percentile-ranked item: what an enterprise's page says to reach."""
    measures = list(enumerate(rules.indicators + rules.bonuses))
    best: dict[str, dict[str, float | None]] = {}
    for i, stage in enumerate(rules.stages):
        values = result.values[result.stage == i]
        best[stage.code] = {
            m.code: _number(float(np.nanmax(values[:, k])))
            for k, m in measures
            if m.method == "prank" and len(values) and not np.isnan(values[:, k]).all()
        }
    return best


def _zone_figures(zone: Zone, year: int, run: Run, user: Actor, now: datetime) -> None:
    """The zone's share of tier-A enterprises and their median points, as indicator values of the year."""
    summary = run.summary
    figures = {}
    if summary["a_share"] is not None:
        figures["INNOV_A_SHARE"] = Decimal(str(summary["a_share"]))
    if summary["median"] is not None:
        figures["INNOV_MEDIAN"] = Decimal(str(summary["median"]))
    if figures:
        put_zone_figures(zone, ZONE_INDICATORS, str(year), figures, SOURCE, user, now)


@transaction.atomic
def create_bank_list(
    run: Run, name: str, dated: date, note: str, score_ids: list[int], user: Actor, now: datetime
) -> BankList:
    """A named, dated selection of a run's enterprises in the given order; only consenting enterprises and
    never a vetoed one may be on it."""
    scores = {s.pk: s for s in Score.objects.filter(run=run, pk__in=score_ids)}
    allowed = queries.consenting(run.zone_id)
    chosen = [scores[i] for i in score_ids if i in scores]
    refused = [s for s in chosen if s.enterprise_id not in allowed or s.rank is None]
    if refused:
        raise Refused(
            _("有 %(n)d 家企业未同意向金融机构推荐或已被一票否决，不能列入名单") % {"n": len(refused)}
        )
    if not chosen:
        raise Refused(_("名单中至少需要一家企业"))
    bank_list = BankList(
        zone_id=run.zone_id, run=run, name=name, dated=dated, note=note, created_by=user, created_at=now
    )
    changed_by(bank_list, user)
    bank_list.save()
    Entry.objects.bulk_create(
        Entry(zone_id=run.zone_id, bank_list=bank_list, score=s, position=n) for n, s in enumerate(chosen, 1)
    )
    return bank_list


def share(bank_list: BankList, institution: Institution, user: Actor, now: datetime) -> Share:
    found, _created = Share.objects.get_or_create(
        bank_list=bank_list, institution=institution,
        defaults={"zone_id": bank_list.zone_id, "shared_by": user, "shared_at": now},
    )  # fmt: skip
    return found
