"""Writes to plans. Each function is atomic and records who changed what (django-simple-history)."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Model, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.lib.quantities import extract_quantities
from luoshi.org.actions import create_unit
from luoshi.org.models import Unit, Zone
from luoshi.plans.choices import Direction, PlanStatus
from luoshi.plans.importing import LINK_STEPS, ImportPreview
from luoshi.plans.models import ItemCoUnit, Milestone, Plan, PlanItem, Target
from luoshi.plans.queries import subtree


def _save(obj: Model, user: Actor, update_fields: Sequence[str] | None = None) -> None:
    changed_by(obj, user)
    obj.save(update_fields=update_fields)


@transaction.atomic
def create_plan(
    zone: Zone, year: int, title: str, level_names: list[str], user: Actor, source_name: str = ""
) -> Plan:
    plan = Plan(zone=zone, year=year, title=title.strip(), level_names=level_names, source_name=source_name)
    _save(plan, user)
    return plan


PLAN_FIELDS = ("title", "year", "level_names")


@transaction.atomic
def update_plan(plan: Plan, changes: dict[str, Any], user: Actor) -> Plan:
    apply_changes(plan, PLAN_FIELDS, changes, user)
    return plan


@transaction.atomic
def issue_plan(plan: Plan, user: Actor) -> Plan:
    """Hand the plan out (下发): from now on the lead and co-units see their items."""
    if plan.status != PlanStatus.ISSUED:
        plan.status = PlanStatus.ISSUED
        plan.issued_at = timezone.now()
        _save(plan, user, ["status", "issued_at"])
    return plan


@transaction.atomic
def withdraw_plan(plan: Plan, user: Actor) -> Plan:
    if plan.status != PlanStatus.DRAFT:
        plan.status = PlanStatus.DRAFT
        _save(plan, user, ["status"])
    return plan


@transaction.atomic
def delete_plan(plan: Plan, user: Actor) -> None:
    changed_by(plan, user)
    plan.delete()


def _next_path(plan: Plan, parent: PlanItem | None) -> str:
    last = PlanItem.objects.filter(plan=plan, parent=parent).aggregate(last=Max("path"))["last"]
    position = int(last[-PlanItem.SEGMENT :], 36) + 1 if last else 0
    return (parent.path if parent else "") + PlanItem.segment(position)


ITEM_FIELDS = (
    "code",
    "title",
    "description",
    "goal",
    "lead_unit",
    "start_date",
    "due_date",
    "due_text",
    "status",
    "weight",
)


@transaction.atomic
def add_item(
    plan: Plan, parent: PlanItem | None, fields: dict[str, Any], co_units: Iterable[Unit], user: Actor
) -> PlanItem:
    # Lock the plan row so two editors adding siblings at once cannot pick the same path.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    item = PlanItem(
        zone_id=plan.zone_id,
        plan=plan,
        parent=parent,
        path=_next_path(plan, parent),
        depth=(parent.depth + 1) if parent else 1,
        **{k: v for k, v in fields.items() if k in ITEM_FIELDS},
    )
    _save(item, user)
    _set_co_units(item, list(co_units), user)
    return item


@transaction.atomic
def update_item(
    item: PlanItem, changes: dict[str, Any], user: Actor, co_units: Iterable[Unit] | None = None
) -> PlanItem:
    apply_changes(item, ITEM_FIELDS, changes, user)
    if co_units is not None:
        _set_co_units(item, list(co_units), user)
    return item


def _set_co_units(item: PlanItem, units: list[Unit], user: Actor) -> None:
    wanted = {u.pk: i for i, u in enumerate(units) if u.pk != item.lead_unit_id}
    existing = {link.unit_id: link for link in ItemCoUnit.objects.filter(item=item)}
    for unit_id, link in existing.items():
        if unit_id not in wanted:
            changed_by(link, user)
            link.delete()
        elif link.position != wanted[unit_id]:
            link.position = wanted[unit_id]
            _save(link, user, ["position"])
    for unit_id, position in wanted.items():
        if unit_id not in existing:
            _save(ItemCoUnit(zone_id=item.zone_id, item=item, unit_id=unit_id, position=position), user)


@transaction.atomic
def set_item_status(item: PlanItem, status: str, user: Actor) -> PlanItem:
    return update_item(item, {"status": status}, user)


@transaction.atomic
def delete_item(item: PlanItem, user: Actor) -> None:
    """Delete the item with its subtree; every deleted row keeps its history."""
    for obj in subtree(item).order_by("-path"):
        changed_by(obj, user)
        obj.delete()


class MoveRefused(ValueError):
    """The move would put an item under itself or into another plan."""


def _reprefix(plan_id: int, old: str, new: str, depth_delta: int = 0) -> None:
    """Rewrite the paths of one subtree in one UPDATE: `old…` becomes `new…`."""
    PlanItem.objects.filter(plan_id=plan_id, path__startswith=old).update(
        path=Concat(Value(new), Substr("path", len(old) + 1)), depth=F("depth") + depth_delta
    )


@transaction.atomic
def move_item(item: PlanItem, new_parent: PlanItem | None, position: int | None, user: Actor) -> PlanItem:
    """Put `item` (with its subtree) under `new_parent` at index `position` among its children (None: last).

    The destination's children are renumbered in order; each subtree whose path changes is first parked under
    a temporary prefix so the unique (plan, path) constraint holds at every step."""
    Plan.objects.select_for_update().filter(pk=item.plan_id).first()
    item = PlanItem.objects.get(pk=item.pk)
    if new_parent is not None:
        new_parent = PlanItem.objects.get(pk=new_parent.pk)
        if new_parent.plan_id != item.plan_id or new_parent.path.startswith(item.path):
            raise MoveRefused(_("不能把事项移动到它自己或它的下级之下"))
    siblings = list(
        PlanItem.objects.filter(plan_id=item.plan_id, parent=new_parent).exclude(pk=item.pk).order_by("path")
    )
    index = len(siblings) if position is None else max(0, min(position, len(siblings)))
    order = [*siblings[:index], item, *siblings[index:]]
    base = new_parent.path if new_parent else ""
    wanted = {node.pk: base + PlanItem.segment(n) for n, node in enumerate(order)}
    moving = [node for node in order if node.path != wanted[node.pk]]
    for n, node in enumerate(moving):
        _reprefix(item.plan_id, node.path, f"~{n:04d}~")
    new_depth = (new_parent.depth + 1) if new_parent else 1
    for n, node in enumerate(moving):
        _reprefix(item.plan_id, f"~{n:04d}~", wanted[node.pk], new_depth - node.depth)
    if item.parent_id != (new_parent.pk if new_parent else None):
        item.refresh_from_db()
        item.parent = new_parent
        _save(item, user, ["parent"])
    else:
        item.refresh_from_db()
    return item


TARGET_FIELDS = ("indicator", "unit_of_measure", "baseline", "target_value", "direction")


@transaction.atomic
def add_target(item: PlanItem, fields: dict[str, Any], user: Actor) -> Target:
    position = item.targets.count()
    target = Target(
        zone_id=item.zone_id,
        item=item,
        position=position,
        **{k: fields[k] for k in TARGET_FIELDS if k in fields},
    )
    _save(target, user)
    return target


@transaction.atomic
def update_target(target: Target, changes: dict[str, Any], user: Actor) -> Target:
    apply_changes(target, TARGET_FIELDS, changes, user)
    return target


@transaction.atomic
def delete_target(target: Target, user: Actor) -> None:
    changed_by(target, user)
    target.delete()


@transaction.atomic
def add_milestone(
    item: PlanItem, title: str, due_date: date | None, weight: Decimal, user: Actor
) -> Milestone:
    milestone = Milestone(
        zone_id=item.zone_id,
        item=item,
        title=title,
        due_date=due_date,
        weight=weight,
        position=item.milestones.count(),
    )
    _save(milestone, user)
    return milestone


@transaction.atomic
def set_milestone_done(milestone: Milestone, done: bool, on: date | None, user: Actor) -> Milestone:
    if milestone.done != done:
        milestone.done = done
        milestone.done_on = on if done else None
        _save(milestone, user, ["done", "done_on"])
    return milestone


@transaction.atomic
def delete_milestone(milestone: Milestone, user: Actor) -> None:
    changed_by(milestone, user)
    milestone.delete()


class ImportRejected(Exception):
    """The preview still has errors; nothing was written."""

    def __init__(self, preview: ImportPreview):
        super().__init__(f"{len(preview.problems)} problems")
        self.preview = preview


@transaction.atomic
def import_plan(preview: ImportPreview, user: Actor) -> Plan:
    """Write a previewed import in one transaction: new units, the plan, its tree, co-units, targets, milestones."""
    if preview.has_errors:
        raise ImportRejected(preview)
    zone = preview.zone
    unit_ids = dict(preview.unit_ids)
    for name, unit_type in preview.new_units.items():
        unit_ids[name] = create_unit(zone, name, type=unit_type, user=user).pk

    depth_needed = max((n.level for n in preview.nodes), default=0)
    names = list(preview.parsed.level_names)
    names += [_("第%(n)d级") % {"n": n} for n in range(len(names) + 1, depth_needed + 1)]
    plan = create_plan(zone, preview.year, preview.title, names, user, source_name=preview.source_name)
    items = _import_items(preview, plan, unit_ids, user)
    _import_item_details(preview, items, unit_ids, user)
    for step in LINK_STEPS:
        step.write(zone, preview.year, preview.nodes, items, user)
    return plan


def _import_items(
    preview: ImportPreview, plan: Plan, unit_ids: dict[str, int], user: Actor
) -> dict[str, PlanItem]:
    """The plan's tree, level by level; the items by their node's ref."""
    zone = preview.zone
    items: dict[str, PlanItem] = {}
    next_child: dict[str | None, int] = {}
    by_depth: dict[int, list[PlanItem]] = {}
    for node in preview.nodes:
        parent = items[node.parent] if node.parent else None
        position = next_child.get(node.parent, 0)
        next_child[node.parent] = position + 1
        item = PlanItem(
            zone=zone,
            plan=plan,
            parent=parent,
            path=(parent.path if parent else "") + PlanItem.segment(position),
            depth=(parent.depth + 1) if parent else 1,
            code=node.code[:20],
            title=node.title[:500],
            description=node.description,
            goal=node.target,
            lead_unit_id=unit_ids.get(node.lead_unit) if node.lead_unit else None,
            due_date=node.due,
            # A date cell has no wording of its own to keep: the parser hands it over as its ISO date.
            due_text="" if node.due and node.due_text == node.due.isoformat() else node.due_text[:200],
        )
        items[node.ref] = item
        by_depth.setdefault(item.depth, []).append(item)
    # Parents first, so each level's rows can point at the ids the level above just received.
    for depth in sorted(by_depth):
        for item in by_depth[depth]:
            item.parent_id = item.parent.pk if item.parent else None
        bulk_create_with_history(by_depth[depth], PlanItem, batch_size=500, default_user=user)
    return items


def _import_item_details(
    preview: ImportPreview, items: dict[str, PlanItem], unit_ids: dict[str, int], user: Actor
) -> None:
    """Each imported item's co-units (the lead unit and repeats left out), targets and milestones."""
    zone = preview.zone
    links, targets, milestones = [], [], []
    for node in preview.nodes:
        item = items[node.ref]
        seen = {item.lead_unit_id}
        for position, name in enumerate(node.co_units):
            unit_id = unit_ids[name]
            if unit_id not in seen:
                seen.add(unit_id)
                links.append(ItemCoUnit(zone=zone, item=item, unit_id=unit_id, position=position))
        for position, q in enumerate(extract_quantities(node.target)):
            targets.append(
                Target(
                    zone=zone,
                    item=item,
                    indicator=q.indicator[:200],
                    unit_of_measure=q.unit,
                    target_value=q.value,
                    direction=Direction.DECREASE if q.decreasing else Direction.INCREASE,
                    position=position,
                )
            )
        for position, (title, due) in enumerate(node.milestones):
            milestones.append(
                Milestone(zone=zone, item=item, title=title[:300], due_date=due, position=position)
            )
    for model, rows in ((ItemCoUnit, links), (Target, targets), (Milestone, milestones)):
        if rows:
            bulk_create_with_history(rows, model, batch_size=500, default_user=user)
