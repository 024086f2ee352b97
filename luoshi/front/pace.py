"""Where each plan item stands, in four kinds the home pages count and the item list shows (the same rules,
written once): done; overdue (past its deadline, not done or cancelled); behind (an open 进度滞后, 进度停滞 or
指标滞后 warning, not overdue); on pace (the other open items). Only the items that report count: the leaves of
the plan tree (a task is the sum of its measures). Cancelled items count nowhere."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from luoshi.alerts.choices import BEHIND_RULES
from luoshi.alerts.models import Warning
from luoshi.org.models import Unit
from luoshi.org.queries import Access
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import Plan, PlanItem
from luoshi.plans.queries import unit_items_q, visible_items

PACES = ("on_pace", "behind", "overdue", "done")
PACE_LABELS = {
    "on_pace": _("按序时推进"),
    "behind": _("进度滞后"),
    "overdue": _("逾期未完成"),
    "done": _("已完成"),
}
PACE_RULES = {
    "on_pace": _("未完成、未逾期、没有进度类预警的末级事项"),
    "behind": _("未逾期，但有未解除的“进度滞后”“进度停滞”或“指标滞后”预警"),
    "overdue": _("完成时限已过，状态不是已完成或已取消"),
    "done": _("状态为已完成"),
}


def _open() -> Q:
    return ~Q(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])


def behind_warning() -> Exists:
    """Whether the item (OuterRef pk) has an open pace warning."""
    return Exists(
        Warning.objects.filter(item=OuterRef("pk"), resolved_at__isnull=True, rule__in=BEHIND_RULES)
    )


def pace_q(pace: str, today: date) -> Q:
    """The condition for one kind (items annotated with `behind`, see `leaf_items`)."""
    overdue = _open() & Q(due_date__lt=today)
    not_overdue = _open() & (Q(due_date__isnull=True) | Q(due_date__gte=today))
    return {
        "done": Q(status=ItemStatus.DONE),
        "overdue": overdue,
        "behind": not_overdue & Q(behind=True),
        "on_pace": not_overdue & Q(behind=False),
    }[pace]


def leaf_items(access: Access) -> QuerySet[PlanItem]:
    """The reader's visible leaf items, each annotated `behind` (an open pace warning)."""
    children = PlanItem.objects.filter(parent=OuterRef("pk"))
    return visible_items(access).filter(~Exists(children)).annotate(behind=behind_warning())


@dataclass
class PaceCounts:
    on_pace: int = 0
    behind: int = 0
    overdue: int = 0
    done: int = 0

    @property
    def total(self) -> int:
        return self.on_pace + self.behind + self.overdue + self.done

    def share(self, pace: str) -> float:
        return 100 * getattr(self, pace) / self.total if self.total else 0.0


@dataclass
class PlanPace:
    plan_id: int
    title: str
    year: int
    counts: PaceCounts


def pace_by_plan(access: Access, today: date, units: frozenset[int] | None = None) -> list[PlanPace]:
    """Each plan's counts in one grouped query (issued or draft plans the reader sees), newest plans first."""
    items = leaf_items(access)
    if units:
        items = items.filter(unit_items_q(units))
    rows = (
        items.values("plan_id", "plan__title", "plan__year")
        .annotate(**{pace: Count("pk", filter=pace_q(pace, today)) for pace in PACES})
        .order_by("-plan__year", "plan_id")
    )
    return [
        PlanPace(
            row["plan_id"],
            row["plan__title"],
            row["plan__year"],
            PaceCounts(**{pace: row[pace] for pace in PACES}),
        )
        for row in rows
    ]


def total(plans: list[PlanPace]) -> PaceCounts:
    counts = PaceCounts()
    for plan in plans:
        for pace in PACES:
            setattr(counts, pace, getattr(counts, pace) + getattr(plan.counts, pace))
    return counts


@dataclass
class PaceFilters:
    pace: str = ""
    plan: Plan | None = None
    unit: Unit | None = None


def paced_items(access: Access, filters: PaceFilters, today: date) -> QuerySet[PlanItem]:
    """The list behind a count: the same rules as `pace_by_plan`."""
    items = leaf_items(access)
    if filters.pace in PACES:
        items = items.filter(pace_q(filters.pace, today))
    else:
        items = items.exclude(status=ItemStatus.CANCELLED)
    if filters.plan is not None:
        items = items.filter(plan=filters.plan)
    if filters.unit is not None:
        items = items.filter(unit_items_q([filters.unit.pk]))
    return items.select_related("plan", "lead_unit").order_by("plan_id", "due_date", "path")
