"""The year's ranking as the lists page reads it: one run's scores filtered by stage, tier, industry, park,
label and name, a page of them at a time; the counts the charts draw (by stage and tier, by industry); and
the year-over-year movers against the previous year's newest run. Sized for 20,000 enterprises: counts are
aggregated by the database, and only the page's rows are loaded whole."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from luoshi.innovation.choices import Industry
from luoshi.innovation.framework import Framework as Rules
from luoshi.innovation.models import Label, Run, Score

PAGE = 50
TIERS = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Filters:
    stage: str = ""
    tier: str = ""
    industry: str = ""
    park: int | None = None
    label: str = ""
    q: str = ""
    top: int | None = None  # only the first N of the zone

    def any(self) -> bool:
        return any((self.stage, self.tier, self.industry, self.park, self.label, self.q, self.top))


def scores(run: Run, filters: Filters) -> QuerySet[Score]:
    found = Score.objects.filter(run=run)
    if filters.stage:
        found = found.filter(stage=filters.stage)
    if filters.tier:
        found = found.filter(tier=filters.tier)
    if filters.industry:
        found = found.filter(enterprise__industry=filters.industry)
    if filters.park:
        found = found.filter(enterprise__park_id=filters.park)
    if filters.label:
        year = run.year
        valid = Label.objects.filter(
            Q(last_year__isnull=True) | Q(last_year__gte=year), kind=filters.label, first_year__lte=year
        )
        found = found.filter(enterprise_id__in=valid.values("enterprise_id"))
    if filters.top:
        found = found.filter(rank__lte=filters.top)
    if filters.q:
        found = found.filter(
            Q(enterprise__name__icontains=filters.q) | Q(enterprise__credit_code=filters.q.upper())
        )
    return found


def page(found: QuerySet[Score], number: int) -> list[Score]:
    """Rank order, vetoed last; the page's rows with their enterprise and park."""
    start = (max(number, 1) - 1) * PAGE
    ordered = found.order_by(F("rank").asc(nulls_last=True), "enterprise__name").select_related(
        "enterprise__park"
    )
    return list(
        ordered.only(
            "stage", "core", "bonus", "penalty", "points", "rank", "stage_rank", "tier", "missing", "rise",
            "enterprise__name", "enterprise__credit_code", "enterprise__industry", "enterprise__park__name",
        )[start : start + PAGE]
    )  # fmt: skip


def charts(run: Run, rules: Rules, found: QuerySet[Score]) -> dict[str, Any]:
    """Tiers by stage (stacked bars) and enterprises by industry and tier."""
    by_stage = Counter(
        {(s, t): n for s, t, n in found.values_list("stage", "tier").annotate(n=Count("id")).order_by()}
    )
    by_industry = Counter(
        {
            (i, t): n
            for i, t, n in found.values_list("enterprise__industry", "tier")
            .annotate(n=Count("id"))
            .order_by()
        }
    )
    industries = sorted({i for i, _t in by_industry}, key=lambda i: -sum(by_industry[(i, t)] for t in TIERS))
    names = dict(Industry.choices)
    return {
        "stages": [s.name for s in rules.stages],
        "industries": [str(names.get(i, _("未填写"))) for i in industries],
        "tiers": list(TIERS),
        "by_stage": [[by_stage[(s.code, t)] for s in rules.stages] for t in TIERS],
        "by_industry": [[by_industry[(i, t)] for i in industries] for t in TIERS],
    }


@dataclass
class Mover:
    enterprise_id: int
    name: str
    rank: int
    before: int

    @property
    def change(self) -> int:
        return self.before - self.rank


def movers(run: Run, shown: int = 8) -> tuple[list[Mover], list[Mover]]:
    """The enterprises that rose and fell most since last year's run (Score.rise, indexed)."""
    rows = Score.objects.filter(run=run, rank__isnull=False).values_list(
        "enterprise_id", "enterprise__name", "rank", "rise"
    )
    up = rows.filter(rise__gt=0).order_by("-rise", "rank")[:shown]
    down = rows.filter(rise__lt=0).order_by("rise", "rank")[:shown]
    return _movers(up), _movers(down)


def _movers(rows: Iterable[tuple[int, str, int | None, int | None]]) -> list[Mover]:
    return [
        Mover(e, name, rank, rank + rise)
        for e, name, rank, rise in rows
        if rank is not None and rise is not None
    ]
