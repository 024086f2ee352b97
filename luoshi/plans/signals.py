"""Signals on the plan tree: each item's progress against its planned pace and its worst open warning, rolled up
the tree (a parent shows the worst of its subtree and the share of its subtree's open leaf items behind pace).

Plans sits below reporting and alerts, which know progress and warnings, and must not import them. They
register a Provider here in their AppConfig.ready (reporting.signals, alerts.signals): a provider adds
annotations correlated on the item (OuterRef("pk")) to the ONE statement that reads the tree's items, and
reads its facts back from each row. Whatever the number of providers or of items, the signals cost one query.

The roll-up is one pass over the items in reverse path order (plans.models.PlanItem: a child's path extends
its parent's by one SEGMENT, so every child comes before its parent): each item adds its subtree's figures to
its parent's."""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from luoshi.org.queries import Access
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import Plan, PlanItem
from luoshi.plans.queries import PlanSummary, visible_items

# Warning levels, least to most severe; the tree shows yellow and red (blue only reminds).
LEVEL_RANK = {"": 0, "blue": 1, "yellow": 2, "red": 3}
SHOWN_LEVELS = ("yellow", "red")
CLOSED = (ItemStatus.DONE, ItemStatus.CANCELLED)


@dataclass(frozen=True)
class Context:
    """What a provider knows when it annotates and reads: the reader, the day, and the plan's year."""

    access: Access
    today: date
    year: int


@dataclass(frozen=True)
class Part:
    """One provider's facts about one item; None or "" where it says nothing."""

    progress: Decimal | None = None  # latest reported progress, %
    planned: Decimal | None = None  # planned progress on the day, %
    level: str = ""  # the worst open warning on the item itself
    reason: str = ""
    behind: bool | None = None  # behind pace: an open pace warning


@dataclass(frozen=True)
class Provider:
    """`annotate` returns expressions correlated on the item row (OuterRef("pk")); `read` turns the row's values
    of those annotations (keys without the provider's prefix) into a Part."""

    name: str
    annotate: Callable[[Context], Mapping[str, Any]]
    read: Callable[[Mapping[str, Any], "ItemFacts", Context], Part]
    rolls_up: bool = True  # False: its facts (progress, planned) show on the rows only, read for those alone


@dataclass(frozen=True)
class ItemFacts:
    """What plans itself knows of an item, for providers that need it (dates, status)."""

    pk: int
    path: str
    title: str
    status: str
    start_date: date | None
    due_date: date | None
    leaf: bool
    lead_unit_name: str | None


@dataclass
class Signal:
    """An item's own signals and its subtree's roll-up (the item included)."""

    progress: Decimal | None = None
    planned: Decimal | None = None
    level: str = ""
    reason: str = ""
    worst_level: str = ""  # of the subtree
    worst_reason: str = ""
    worst_title: str = ""  # the item the worst warning is on ("" when on this item)
    leaves: int = 0  # open leaf items of the subtree
    behind: int = 0  # of which behind pace (not overdue)
    overdue: int = 0  # of which past their deadline
    parts: list[Part] = field(default_factory=list, repr=False)

    @property
    def gap(self) -> Decimal | None:
        """Progress minus planned, in percentage points (negative: behind the plan)."""
        if self.progress is None or self.planned is None:
            return None
        return self.progress - self.planned

    @property
    def behind_share(self) -> float | None:
        return 100 * self.behind / self.leaves if self.leaves else None

    @property
    def dot(self) -> str:
        """The level of the dot the tree shows: the subtree's worst, red or yellow only."""
        return self.worst_level if self.worst_level in SHOWN_LEVELS else ""

    @property
    def tooltip(self) -> str:
        if not self.dot:
            return ""
        return f"{self.worst_title}：{self.worst_reason}" if self.worst_title else self.worst_reason


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add or replace (by name, so a second `ready` changes nothing) a provider of signals."""
    _providers[provider.name] = provider


def registered() -> list[Provider]:
    return list(_providers.values())


def _merge(signal: Signal, part: Part) -> None:
    if part.progress is not None:
        signal.progress = part.progress
    if part.planned is not None:
        signal.planned = part.planned
    if LEVEL_RANK.get(part.level, 0) > LEVEL_RANK.get(signal.level, 0):
        signal.level, signal.reason = part.level, part.reason
    signal.parts.append(part)


# A provider with its annotations' keys: (the row's key, the provider's own key).
Keyed = list[tuple[Provider, list[tuple[str, str]]]]


def _own(facts: ItemFacts, row: Mapping[str, Any], keyed: Keyed, context: Context, shown: bool) -> Signal:
    signal = Signal()
    for provider, keys in keyed:
        if not (shown or provider.rolls_up):
            continue
        _merge(signal, provider.read({own: row[key] for key, own in keys}, facts, context))
    signal.worst_level, signal.worst_reason = signal.level, signal.reason
    if facts.leaf and facts.status not in CLOSED:
        signal.leaves = 1
        late = facts.due_date is not None and facts.due_date < context.today
        signal.overdue = int(late)
        signal.behind = int(not late and any(p.behind for p in signal.parts))
    return signal


def _roll_up(facts: Iterable[ItemFacts], signals: dict[int, Signal]) -> None:
    by_path = {f.path: f for f in facts}
    for path in sorted(by_path, reverse=True):  # children before their parents
        parent = by_path.get(path[: -PlanItem.SEGMENT])
        if parent is None:
            continue
        child, up = signals[by_path[path].pk], signals[parent.pk]
        up.leaves += child.leaves
        up.behind += child.behind
        up.overdue += child.overdue
        if LEVEL_RANK.get(child.worst_level, 0) > LEVEL_RANK.get(up.worst_level, 0):
            up.worst_level, up.worst_reason = child.worst_level, child.worst_reason
            up.worst_title = child.worst_title or by_path[path].title


def scope(access: Access, plan: Plan, under: str = "") -> QuerySet[PlanItem]:
    """The items the rows of one subtree loaded on demand roll up: the reader's, under the path `under`."""
    return visible_items(access).filter(plan=plan, path__startswith=under)


@dataclass
class TreeReading:
    """The signals of every item read, and what plans itself read of them (for the page's overview)."""

    signals: dict[int, Signal]
    facts: list[ItemFacts]

    def rows(self, rows: list[PlanItem]) -> list[tuple[PlanItem, Signal]]:
        """The tree's rows paired with their signals (an empty Signal where none was read)."""
        return [(row, self.signals.get(row.pk) or Signal()) for row in rows]

    def summary(self, today: date) -> PlanSummary:
        """The plan page's overview of the items read: plans.queries.plan_summary's counts, from the same rows
        (so the page spends no statement of its own on them)."""
        by_status: dict[str, int] = defaultdict(int)
        units: dict[str, dict[str, Any]] = {}
        overdue = 0
        for fact in self.facts:
            by_status[fact.status] += 1
            late = fact.due_date is not None and fact.due_date < today and fact.status not in CLOSED
            overdue += late
            if fact.lead_unit_name is None:
                continue
            entry = units.setdefault(
                fact.lead_unit_name, {"name": fact.lead_unit_name, "done": 0, "open": 0, "overdue": 0}
            )
            if fact.status == ItemStatus.DONE:
                entry["done"] += 1
            elif fact.status != ItemStatus.CANCELLED:
                entry["overdue" if late else "open"] += 1
        ranked = sorted(units.values(), key=lambda u: (-u["overdue"], -(u["open"] + u["done"]), u["name"]))
        return PlanSummary(total=len(self.facts), by_status=dict(by_status), overdue=overdue, units=ranked)


BASE = ("pk", "path", "title", "status", "start_date", "due_date", "leaf", "lead_unit__name")


def read_tree(
    items: QuerySet[PlanItem], context: Context, shown: Collection[int] | None = None
) -> TreeReading:
    """Every item's signals, rolled up within `items`: one statement. With `shown` (the rows a page renders),
    the facts that do not roll up are read for those rows only."""
    annotations: dict[str, Any] = {}
    keyed: Keyed = []
    for provider in _providers.values():
        own = provider.annotate(context)
        keyed.append((provider, [(f"{provider.name}_{k}", k) for k in own]))
        annotations |= {f"{provider.name}_{k}": v for k, v in own.items()}
    children = PlanItem.objects.filter(parent=OuterRef("pk"))
    rows = items.annotate(leaf=~Exists(children), **annotations).order_by().values(*BASE, *annotations)
    facts: list[ItemFacts] = []
    signals: dict[int, Signal] = {}
    for row in rows:
        fact = ItemFacts(*(row[k] for k in BASE))
        facts.append(fact)
        signals[fact.pk] = _own(fact, row, keyed, context, shown is None or fact.pk in shown)
    _roll_up(facts, signals)
    return TreeReading(signals, facts)


def signals_for(items: QuerySet[PlanItem], context: Context) -> dict[int, Signal]:
    """Every item's signals, rolled up within `items`: one statement."""
    return read_tree(items, context).signals
