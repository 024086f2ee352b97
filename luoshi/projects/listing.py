"""The ledger list (重点项目台账) as the page and the Excel export show it: the year's projects under the
filters, each major project followed by its sub-projects, with the open blockers, the worst open warning and
the year-to-date pace; and the 合计 of the filtered set. Reads go through the access helpers of queries.py."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.alerts.choices import Level
from luoshi.alerts.queries import SEVERITY, visible_warnings
from luoshi.org.models import Park, Unit
from luoshi.org.queries import Access
from luoshi.projects.choices import BlockerStatus, Category, Stage
from luoshi.projects.models import Blocker, Project
from luoshi.projects.pace import Pace, pace
from luoshi.projects.queries import monthly_plans, visible_projects

# "Lagging" on the ledger: an open yellow or red warning on the project, whichever rule raised it.
LAGGING_LEVELS = (Level.YELLOW, Level.RED)
ZERO = Decimal(0)


@dataclass
class LedgerFilters:
    year: int
    stage: int | None = None
    category: str = ""
    park: Park | None = None
    unit: Unit | None = None
    leader: str = ""
    lagging: bool = False
    search: str = ""
    blocked: bool = False  # with an open blocker
    blocker_unit: Unit | None = None  # with an open blocker asked of this unit

    @property
    def active(self) -> bool:
        return bool(
            self.stage
            or self.category
            or self.park
            or self.unit
            or self.leader
            or self.lagging
            or self.search
            or self.blocked
            or self.blocker_unit
        )


def _year(raw: str, years: list[int]) -> int:
    """The year asked for, else the current one when it has projects, else the latest with any."""
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    current = timezone.localdate().year
    return current if current in years or not years else years[0]


def read_filters(params: QueryDict, years: list[int], parks: list[Park], units: list[Unit]) -> LedgerFilters:
    """The filters from the query string; the park and unit are picked from the zone's lists the page shows
    anyway, so a foreign or unknown one is ignored without a query."""
    stage = params.get("stage", "")
    return LedgerFilters(
        year=_year(params.get("year", ""), years),
        stage=int(stage) if stage.isdigit() and int(stage) in Stage.values else None,
        category=params.get("category", "") if params.get("category") in Category.values else "",
        park=next((p for p in parks if str(p.pk) == params.get("park")), None),
        unit=next((u for u in units if str(u.pk) == params.get("unit")), None),
        leader=params.get("leader", "").strip()[:50],
        lagging=params.get("lagging") == "1",
        search=params.get("q", "").strip()[:100],
        blocked=params.get("blocked") == "1",
        blocker_unit=next((u for u in units if str(u.pk) == params.get("blocker_unit")), None),
    )


def filtered_projects(access: Access, filters: LedgerFilters) -> QuerySet[Project]:
    projects = visible_projects(access).filter(year=filters.year)
    if filters.stage:
        projects = projects.filter(stage=filters.stage)
    if filters.category:
        projects = projects.filter(category=filters.category)
    if filters.park:
        projects = projects.filter(park=filters.park)
    if filters.unit:
        projects = projects.filter(lead_unit=filters.unit)
    if filters.leader:
        projects = projects.filter(leader=filters.leader)
    if filters.search:
        projects = projects.filter(Q(name__icontains=filters.search) | Q(owner__icontains=filters.search))
    if filters.lagging:
        lagging = visible_warnings(access).filter(
            project=OuterRef("pk"), resolved_at__isnull=True, level__in=LAGGING_LEVELS
        )
        projects = projects.filter(Exists(lagging))
    if filters.blocked or filters.blocker_unit:
        blockers = Blocker.objects.filter(project=OuterRef("pk"), status=BlockerStatus.OPEN)
        if filters.blocker_unit:
            blockers = blockers.filter(unit=filters.blocker_unit)
        projects = projects.filter(Exists(blockers))
    return projects


LEDGER_ORDER = (
    Coalesce("parent__position", "position"),
    Coalesce("parent_id", "id"),
    F("parent_id").asc(nulls_first=True),
    "position",
    "id",
)


def ledger_ids(access: Access, filters: LedgerFilters) -> QuerySet[Project, int]:
    """The filtered projects' ids in ledger order: each major project followed by its sub-projects. Cheap to
    count and to slice into pages; the page's rows are then read by `with_status`."""
    return filtered_projects(access, filters).order_by(*LEDGER_ORDER).values_list("pk", flat=True)


def with_status(access: Access, projects: QuerySet[Project]) -> QuerySet[Project]:
    """Each project with `n_blockers` (open) and `worst_level` (of its open warnings, None without any), in the
    same query. A project's blockers are counted whoever they are asked of: whoever sees the project sees how
    many problems hold it up."""
    open_warnings = visible_warnings(access).filter(project=OuterRef("pk"), resolved_at__isnull=True)
    open_blockers = (
        Blocker.objects.filter(project=OuterRef("pk"), status=BlockerStatus.OPEN)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return projects.select_related("lead_unit", "parent").annotate(
        n_blockers=Coalesce(Subquery(open_blockers, output_field=IntegerField()), 0),
        worst_level=Subquery(open_warnings.order_by(SEVERITY).values("level")[:1]),
    )


def page_projects(access: Access, ids: QuerySet[Project, int]) -> list[Project]:
    """One page of the ledger: `ids` is a slice of `ledger_ids`, read as a subquery of the same statement."""
    projects = visible_projects(access).filter(pk__in=ids)
    return list(with_status(access, projects).order_by(*LEDGER_ORDER))


def ledger_projects(access: Access, filters: LedgerFilters) -> QuerySet[Project]:
    """All the filtered projects in ledger order with their status, for the export."""
    return with_status(access, filtered_projects(access, filters)).order_by(*LEDGER_ORDER)


def month_span(month: int) -> str:
    """January to the end of `month`, as the statistics write it: 1月, 1-2月 … 1-12月."""
    return gettext("1月") if month == 1 else gettext("1-%(m)d月") % {"m": month}


@dataclass(frozen=True)
class LedgerRow:
    project: Project
    pace: Pace | None  # None until an actual figure is reported
    orphan: bool  # a sub-project listed without its major project (filtered out, or on another page)
    # Labels in the reader's language, translated once per list rather than once per row.
    category: str
    stage: str
    level: str  # of the worst open warning, "" without any
    done_to: str  # 1-10月: the months the completed figure covers

    @property
    def completion(self) -> float | None:
        """Share of the annual plan done, in percent."""
        annual = self.project.annual_plan_wan
        return 100 * float(self.project.completed_wan / annual) if annual > 0 else None


def ledger_rows(
    projects: Sequence[Project], among: Iterable[int] | QuerySet[Project, Any]
) -> list[LedgerRow]:
    """The projects with their pace against the monthly plan. `among` names the projects whose monthly plans
    to read: the ids of a page, or the filtered queryset's ids for an export of thousands."""
    plans = monthly_plans(among)
    listed = {p.pk for p in projects}
    categories = {value: str(label) for value, label in Category.choices}
    stages = {value: str(label) for value, label in Stage.choices}
    levels = {value: str(label) for value, label in Level.choices}
    spans = {month: month_span(month) for month in range(1, 13)}
    return [
        LedgerRow(
            p,
            pace(p.completed_month, p.annual_plan_wan, p.completed_wan, plans.get(p.pk, {}))
            if p.completed_month
            else None,
            orphan=p.parent_id is not None and p.parent_id not in listed,
            category=categories.get(p.category, p.category),
            stage=stages.get(p.stage, ""),
            level=levels.get(getattr(p, "worst_level", None) or "", ""),
            done_to=spans.get(p.completed_month or 0, ""),
        )
        for p in projects
    ]


@dataclass(frozen=True)
class LedgerTotals:
    total_wan: Decimal
    annual_wan: Decimal
    completed_wan: Decimal

    @property
    def completion(self) -> float | None:
        return 100 * float(self.completed_wan / self.annual_wan) if self.annual_wan > 0 else None


def ledger_totals(access: Access, filters: LedgerFilters) -> LedgerTotals:
    """合计 of the filtered set. A major project's figures already include its sub-projects, as in the offices'
    ledgers (其中：一期、二期), so a sub-project counts only when its major project is filtered out."""
    projects = filtered_projects(access, filters)
    if filters.active:
        counted = projects.filter(Q(parent__isnull=True) | ~Q(parent_id__in=projects.values("pk")))
    else:  # the whole year's ledger: every sub-project's major project is in it
        counted = projects.filter(parent__isnull=True)
    sums = counted.aggregate(
        total=Coalesce(Sum("total_investment_wan"), ZERO),
        annual=Coalesce(Sum("annual_plan_wan"), ZERO),
        completed=Coalesce(Sum("completed_wan"), ZERO),
    )
    return LedgerTotals(sums["total"], sums["annual"], sums["completed"])


def ledger_leaders(access: Access, year: int) -> list[str]:
    """The leaders in charge named in the year's ledger, for the filter."""
    projects = visible_projects(access).filter(year=year).exclude(leader="")
    return list(projects.order_by("leader").values_list("leader", flat=True).distinct())
