"""Reads of plans and items, always through the user's Access."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.org.choices import UNIT_ROLES
from luoshi.org.models import Unit
from luoshi.org.queries import Access
from luoshi.plans.choices import PlanStatus
from luoshi.plans.models import ItemCoUnit, Milestone, Plan, PlanItem, Target


def unit_items_q(unit_ids: frozenset[int] | set[int] | list[int]) -> Q:
    """Items where one of the units leads or co-operates: one query with a semi-join, no DISTINCT."""
    return Q(lead_unit_id__in=unit_ids) | Q(
        pk__in=ItemCoUnit.objects.filter(unit_id__in=unit_ids).values("item_id")
    )


def visible_items(access: Access) -> QuerySet[PlanItem]:
    items = PlanItem.objects.filter(zone=access.zone)
    if access.zone_wide:
        return items
    if not access.unit_ids:
        return items.none()
    return items.filter(unit_items_q(access.unit_ids), plan__status=PlanStatus.ISSUED)


def visible_plans(access: Access) -> QuerySet[Plan]:
    plans = Plan.objects.filter(zone=access.zone)
    if access.zone_wide:
        return plans
    return plans.filter(pk__in=visible_items(access).values("plan_id"))


def get_plan(access: Access, plan_id: int) -> Plan:
    try:
        return visible_plans(access).get(pk=plan_id)
    except Plan.DoesNotExist:
        raise Http404 from None


def get_plan_for_edit(access: Access, plan_id: int) -> Plan:
    if not access.edits_plans:
        raise Http404
    return get_plan(access, plan_id)


def get_item(access: Access, item_id: int) -> PlanItem:
    try:
        return visible_items(access).select_related("plan", "lead_unit", "parent").get(pk=item_id)
    except PlanItem.DoesNotExist:
        raise Http404 from None


def get_item_for_edit(access: Access, item_id: int) -> PlanItem:
    """Structure (titles, units, deadlines, targets) is the supervision office's to change."""
    if not access.edits_plans:
        raise Http404
    return get_item(access, item_id)


def get_item_for_update(access: Access, item_id: int) -> PlanItem:
    """Status and milestones: the office, or the lead and co-units themselves."""
    item = get_item(access, item_id)
    if not can_update_item(access, item):
        raise Http404
    return item


def get_target_for_edit(access: Access, target_id: int) -> Target:
    if not access.edits_plans:
        raise Http404
    try:
        return Target.objects.select_related("item").get(pk=target_id, item__in=visible_items(access))
    except Target.DoesNotExist:
        raise Http404 from None


def get_milestone_for_update(access: Access, milestone_id: int) -> Milestone:
    milestone = (
        Milestone.objects.filter(pk=milestone_id, item__in=visible_items(access))
        .select_related("item")
        .first()
    )
    if milestone is None or not can_update_item(access, milestone.item):
        raise Http404
    return milestone


def can_edit_plans(access: Access) -> bool:
    """Plans are the office's: zone-wide plan editors create, import, restructure and issue them."""
    return access.edits_plans


def can_delete_milestones(access: Access) -> bool:
    """Milestones are the office's commitments, which the MILESTONE warning rule checks: units tick them done,
    only the office (zone-wide plan editors) deletes them."""
    return access.edits_plans


def get_milestone_for_delete(access: Access, milestone_id: int) -> Milestone:
    if not can_delete_milestones(access):
        raise Http404
    return get_milestone_for_update(access, milestone_id)


def can_update_item(access: Access, item: PlanItem) -> bool:
    if access.edits_plans:
        return True
    if not access.roles & UNIT_ROLES or not access.unit_ids:
        return False
    if item.lead_unit_id in access.unit_ids:
        return True
    return ItemCoUnit.objects.filter(item=item, unit_id__in=access.unit_ids).exists()


@dataclass
class PlanFilters:
    unit: Unit | None = None
    status: str = ""
    search: str = ""
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.unit or self.status or self.search or self.overdue)


# The plan page shows at most this many rows at once; deeper levels load on demand, filtered lists page on.
PAGE_ROWS = 500
OPEN_STATUSES_EXCLUDED = ("done", "cancelled")


def _late(today: date) -> Q:
    return Q(due_date__lt=today) & ~Q(status__in=OPEN_STATUSES_EXCLUDED)


def filtered_items(access: Access, plan: Plan, filters: PlanFilters, today: date) -> QuerySet[PlanItem]:
    items = visible_items(access).filter(plan=plan)
    if filters.unit is not None:
        items = items.filter(unit_items_q([filters.unit.pk]))
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.search:
        items = items.filter(Q(title__icontains=filters.search) | Q(description__icontains=filters.search))
    if filters.overdue:
        items = items.filter(_late(today))
    return items


@dataclass
class TreePage:
    rows: list[PlanItem]  # in tree order, each with co_unit_list, level_label and has_children
    loaded_parents: set[int | None]  # rows whose children are on the page too
    more_from: int | None  # offset of the next page of a flat list, None when complete
    partial: bool  # some levels of the tree are left to load on demand


def _rows(items: QuerySet[PlanItem], plan: Plan, start: int = 0, stop: int | None = None) -> list[PlanItem]:
    children = PlanItem.objects.filter(parent=OuterRef("pk"))
    # has_children is declared on PlanItem for the rows this hands out; the plugin sees a redefinition.
    ordered = items.select_related("lead_unit").annotate(has_children=Exists(children))  # type: ignore[no-redef]
    rows: list[PlanItem] = list(ordered.order_by("path")[start:stop])
    # A page of rows asks for its own links; a whole large plan reads the plan's links (no huge IN list).
    return _with_co_units(rows, plan, ids=[r.pk for r in rows] if len(rows) <= 2 * PAGE_ROWS else None)


def tree_page(
    access: Access, plan: Plan, filters: PlanFilters, today: date, offset: int = 0, expand_all: bool = False
) -> TreePage:
    """The rows the plan page renders first. A zone-wide reader gets the tree down to the deepest level that
    keeps the page within PAGE_ROWS (levels below open on demand); a filtered or unit-scoped list is flat and
    pages on. Either way the page costs a fixed handful of queries and a bounded render."""
    items = filtered_items(access, plan, filters, today)
    flat = filters.active or not access.zone_wide
    if expand_all:
        rows = _rows(items, plan)
        return TreePage(rows, {r.parent_id for r in rows}, None, partial=False)
    if flat:
        rows = _rows(items, plan, offset, offset + PAGE_ROWS + 1)
        more = offset + PAGE_ROWS if len(rows) > PAGE_ROWS else None
        return TreePage(rows[:PAGE_ROWS], set(), more, partial=False)
    depth, shown = 1, 0
    for level, count in items.values_list("depth").annotate(n=Count("pk")).order_by("depth"):
        if level > 1 and shown + count > PAGE_ROWS:
            break
        depth, shown = level, shown + count
    rows = _rows(items.filter(depth__lte=depth), plan)
    loaded = {r.parent_id for r in rows}
    return TreePage(rows, loaded, None, partial=any(r.has_children and r.pk not in loaded for r in rows))


def tree_parent(access: Access, plan_id: int, item_id: int) -> PlanItem:
    """A row of a plan the reader sees, with its plan, for the tree's expand-on-demand (one query); a row of
    another plan or zone is not found. (A unit's people may open a task they do not see themselves.)"""
    try:
        return PlanItem.objects.select_related("plan").get(
            pk=item_id, plan_id=plan_id, plan__in=visible_plans(access)
        )
    except PlanItem.DoesNotExist:
        raise Http404 from None


def child_rows(access: Access, parent: PlanItem) -> list[PlanItem]:
    """One level under a row (tree_parent), filtered to the items the reader sees."""
    return _rows(visible_items(access).filter(plan_id=parent.plan_id, parent_id=parent.pk), parent.plan)


@dataclass
class PlanSummary:
    total: int
    by_status: dict[str, int]
    overdue: int
    units: list[
        dict[str, Any]
    ]  # per lead unit: name, and counts of done / open / overdue, most overdue first

    def chart_data(self) -> dict[str, list[str] | list[int]]:
        top = self.units[:15]
        return {
            "units": [u["name"] for u in top],
            "done": [u["done"] for u in top],
            "open": [u["open"] for u in top],
            "overdue": [u["overdue"] for u in top],
        }


def plan_summary(access: Access, plan: Plan, filters: PlanFilters, today: date) -> PlanSummary:
    """Counts for the plan page's overview: one grouped query over every visible (filtered) item."""
    groups = (
        filtered_items(access, plan, filters, today)
        .values_list("lead_unit__name", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=_late(today)))
        .order_by()
    )
    by_status: dict[str, int] = defaultdict(int)
    units: dict[str, dict[str, Any]] = {}
    total = overdue = 0
    for unit_name, status, n, late in groups:
        total += n
        overdue += late
        by_status[status] += n
        if unit_name is None:
            continue
        entry = units.setdefault(unit_name, {"name": unit_name, "done": 0, "open": 0, "overdue": 0})
        if status == "done":
            entry["done"] += n
        elif status != "cancelled":
            entry["overdue"] += late
            entry["open"] += n - late
    ranked = sorted(units.values(), key=lambda u: (-u["overdue"], -(u["open"] + u["done"]), u["name"]))
    return PlanSummary(total=total, by_status=dict(by_status), overdue=overdue, units=ranked)


def visible_plan_items(access: Access, plan: Plan) -> list[PlanItem]:
    """Every item of the plan the user may see, in tree order: for the Excel export."""
    rows = list(visible_items(access).filter(plan=plan).select_related("lead_unit").order_by("path"))
    return _with_co_units(rows, plan)


def all_plan_items(plan: Plan) -> list[PlanItem]:
    """Every item of the plan in tree order, for operators' commands (no user, no access scope)."""
    return _with_co_units(list(plan.items.select_related("lead_unit").order_by("path")), plan)


def _with_co_units(rows: list[PlanItem], plan: Plan, ids: list[int] | None = None) -> list[PlanItem]:
    """Attach `co_unit_list` and `level_label` to each row with one more query, whatever the plan's size.
    `ids` narrows the query to a page of rows; without it, the whole plan's links are read."""
    co = defaultdict(list)
    links = (
        ItemCoUnit.objects.filter(item_id__in=ids)
        if ids is not None
        else ItemCoUnit.objects.filter(item__plan=plan)
    )
    links = links.select_related("unit").only("item_id", "unit__name", "unit__id").order_by("position", "id")
    for link in links:
        co[link.item_id].append(link.unit)
    for row in rows:
        row.co_unit_list = co.get(row.pk, [])
        row.level_label = plan.level_name(row.depth)
    return rows


def item_detail(access: Access, item_id: int) -> PlanItem:
    item = get_item(access, item_id)
    return (
        PlanItem.objects.filter(pk=item.pk)
        .select_related("plan", "lead_unit", "parent")
        .prefetch_related(
            Prefetch("co_unit_links", queryset=ItemCoUnit.objects.select_related("unit")),
            Prefetch("targets", queryset=Target.objects.all()),
            Prefetch("milestones", queryset=Milestone.objects.all()),
        )
        .get()
    )


def ancestors(item: PlanItem) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(plan_id=item.plan_id, path__in=item.ancestor_paths()).order_by("path")


def subtree(item: PlanItem) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(plan_id=item.plan_id, path__startswith=item.path).order_by("path")


def children(access: Access, item: PlanItem) -> QuerySet[PlanItem]:
    return visible_items(access).filter(parent=item).select_related("lead_unit").order_by("path")


def move_choices(item: PlanItem) -> list[tuple[int, str]]:
    """Where an item may be moved, as (id, indented label): under any item of a higher level, or under one of
    its siblings (a demotion). Bounded by the levels above, so the list stays short on very large plans."""
    targets = (
        PlanItem.objects.filter(plan_id=item.plan_id)
        .filter(Q(depth__lt=item.depth) | Q(parent_id=item.parent_id, depth=item.depth))
        .exclude(pk=item.pk)
        .only("id", "code", "title", "depth", "path")
        .order_by("path")
    )
    return [(t.pk, "\u3000" * (t.depth - 1) + f"{t.code}{t.title}"[:60]) for t in targets]


def sibling_index(item: PlanItem) -> tuple[int, int]:
    """The item's index among its siblings, and how many siblings there are (itself included)."""
    siblings = PlanItem.objects.filter(plan_id=item.plan_id, parent_id=item.parent_id)
    return siblings.filter(path__lt=item.path).count(), siblings.count()


def unit_items(access: Access, unit: Unit) -> QuerySet[PlanItem]:
    return (
        visible_items(access)
        .filter(unit_items_q([unit.pk]))
        .select_related("plan", "lead_unit")
        .order_by("plan_id", "path")
    )


def unit_item_counts(access: Access) -> tuple[dict[int, int], dict[int, int]]:
    """How many visible items each unit leads and co-operates on: two grouped queries."""
    items = visible_items(access)
    lead = dict(items.exclude(lead_unit=None).values_list("lead_unit_id").annotate(n=Count("pk")))
    co = dict(
        ItemCoUnit.objects.filter(item__in=items.values("pk")).values_list("unit_id").annotate(n=Count("pk"))
    )
    return lead, co


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str
    changes: list[Change]


# History records are instances of models django-simple-history makes at run time, so they are typed Any.
def _display(record: Any, field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    field = record.instance_type._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        target = field.related_model.objects.filter(pk=value).first()
        return str(target) if target else str(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def history_entries(records: list[Any], label: str | Promise) -> list[HistoryEntry]:
    """Turn one object's history records (oldest first) into entries with field-level changes."""
    entries = []
    previous = None
    changes: list[Change]
    for record in records:
        user = record.history_user
        who = (user.get_full_name() or user.get_username()) if user else ""
        if record.history_type == "+":
            changes = []
            what = _("新增%(kind)s：%(name)s") % {"kind": label, "name": record.instance}
        elif record.history_type == "-":
            changes = []
            what = _("删除%(kind)s：%(name)s") % {"kind": label, "name": record.instance}
        else:
            delta: Any = record.diff_against(previous) if previous is not None else None
            changes = [
                Change(
                    field=str(record.instance_type._meta.get_field(c.field).verbose_name),
                    old=_display(record, c.field, c.old),
                    new=_display(record, c.field, c.new),
                )
                for c in (delta.changes if delta else [])
            ]
            what = _("修改%(kind)s") % {"kind": label}
            if not changes:
                previous = record
                continue
        entries.append(HistoryEntry(when=record.history_date, who=who, what=what, changes=changes))
        previous = record
    return entries


def item_history(item: PlanItem) -> list[HistoryEntry]:
    """Every recorded change to the item, its co-units, targets and milestones, newest first."""
    groups: list[tuple[list[Any], str | Promise]] = [
        (list(item.history.select_related("history_user").order_by("history_date", "history_id")), _("事项")),
    ]
    labels = (
        (ItemCoUnit, gettext_lazy("配合单位")),
        (Target, gettext_lazy("量化指标")),
        (Milestone, gettext_lazy("节点")),
    )
    for model, label in labels:
        records = (
            model.history.filter(item_id=item.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        by_object: dict[int, list[Any]] = defaultdict(list)
        for record in records:
            by_object[record.id].append(record)
        groups.extend((rs, label) for rs in by_object.values())
    entries = [entry for records, label in groups for entry in history_entries(records, label)]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
