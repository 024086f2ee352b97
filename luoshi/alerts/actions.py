"""Writes of the alerts app: the sweep's write phase, acknowledgements and rule settings.

The sweep computes what should be warned without locks (alerts.sweep), then per zone, under a per-zone lock,
compares it with the open warnings and writes only the differences: create, change level or numbers, resolve.
A second sweep with the same facts writes nothing; two overlapping sweeps queue on the lock, and the
"one open warning per subject and rule" index is the last line of defence."""

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.alerts import orders
from luoshi.alerts.choices import LEVEL_RANK, EventKind, Level, RuleCode
from luoshi.alerts.models import SupervisionOrder, Warning, WarningEvent, WarningRule, order_number
from luoshi.alerts.reasons import describe
from luoshi.alerts.rules import DEFAULTS, Thresholds
from luoshi.alerts.sweep import wanted_warnings
from luoshi.alerts.wanted import Wanted
from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.lib import bulk
from luoshi.lib.history import Actor, changed_by
from luoshi.notices.actions import notify, notify_group
from luoshi.org.choices import UNIT_ROLES
from luoshi.org.models import Membership, Unit, Zone
from luoshi.plans.models import PlanItem

LOCK_SPACE = 0x616C  # PostgreSQL advisory locks of this app: (LOCK_SPACE, zone id)
DIGEST_OVER = 3  # a unit with more new or raised warnings than this in one sweep gets one summary message


class AcknowledgeRefused(Exception):
    """The warning cannot be acknowledged (it has resolved meanwhile); the message says why."""


@dataclass
class SweepResult:
    created: int = 0
    updated: int = 0
    resolved: int = 0
    escalated: int = 0  # overdue supervision orders escalated to their leader (not in the JSON contract)
    open: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The `luoshi sweep --json` contract."""
        return {
            "created": self.created,
            "updated": self.updated,
            "resolved": self.resolved,
            "open": {str(level): self.open.get(level, 0) for level in (Level.YELLOW, Level.RED, Level.BLUE)},
            "by_rule": {str(code): self.by_rule.get(code, 0) for code in RuleCode.values},
        }


def ensure_rules(zone_ids: Sequence[int]) -> None:
    """Give each zone its copy of the default rules, once (safe to race: existing rows are kept)."""
    have = set(WarningRule.objects.filter(zone_id__in=zone_ids).values_list("zone_id", "code"))
    WarningRule.objects.bulk_create(
        [
            WarningRule(zone_id=zone_id, code=code, enabled=d.enabled, thresholds=dict(d.thresholds))
            for zone_id in zone_ids
            for code, d in DEFAULTS.items()
            if (zone_id, code) not in have
        ],
        ignore_conflicts=True,
    )


def lock_zone(zone_id: int) -> None:
    """Serialise writers of one zone's warnings until the transaction ends. SQLite needs nothing: its
    transactions are IMMEDIATE (settings), so a writer already holds the database's write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, zone_id])


def _reason(rule: str, numbers: dict[str, Any]) -> str:
    return describe(rule, numbers)[:500]


@dataclass
class Changes:
    created: int = 0
    updated: int = 0
    resolved: int = 0
    escalated: int = 0


@transaction.atomic
def write_warnings(zone: Zone, wanted: Sequence[Wanted], now: datetime) -> Changes:
    """Make the zone's open warnings match `wanted`, writing only differences, and record each change; then
    escalate the overdue orders that call for it. Stored reasons and notifications are written in the site's
    language."""
    with translation.override(settings.LANGUAGE_CODE):
        changes = _write(zone, wanted, now)
        changes.escalated = orders.escalate_overdue(zone, [w.order_id for w in wanted if w.escalate], now)
        return changes


@dataclass(frozen=True)
class Announced:
    """A warning that opened or went up a level in this sweep, as the notifications need it."""

    pk: int
    rule: str
    item_id: int | None
    order_id: int | None
    project_id: int | None
    unit_id: int | None
    level: str
    reason: str

    @property
    def subject(self) -> tuple[str, int | None]:
        if self.project_id:
            return ("project", self.project_id)
        return ("order", self.order_id) if self.order_id else ("item", self.item_id)


WARNING_COLUMNS = (
    "zone_id",
    "rule",
    "item_id",
    "order_id",
    "project_id",
    "unit_id",
    "level",
    "reason",
    "numbers",
    "opened_at",
    "updated_at",
)
EVENT_COLUMNS = ("warning_id", "kind", "at", "level", "reason")


Key = tuple[str, int | None, int | None, int | None]  # Wanted.key: rule, item, order, project
Open = tuple[int, int | None, str, dict[str, Any]]  # an open warning's pk, unit, level and numbers


@dataclass
class _Differences:
    """What the comparison of the open warnings with the wanted ones asks to write."""

    changed: list[Warning] = field(default_factory=list)
    raised: list[Announced] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    events: list[tuple[int, str, datetime, str, str]] = field(default_factory=list)


def _write(zone: Zone, wanted: Sequence[Wanted], now: datetime) -> Changes:
    lock_zone(zone.pk)
    wanted_by_key = _unheld({w.key: w for w in wanted}, zone)
    current = _open_warnings(zone)
    opened = _insert(zone, [w for key, w in wanted_by_key.items() if key not in current], now)
    diff = _compare(current, wanted_by_key, now)
    _save(diff, now)
    events: list[tuple[int, str, datetime, str, str]] = [
        (a.pk, EventKind.OPENED, now, a.level, a.reason) for a in opened
    ]
    bulk.insert(WarningEvent, EVENT_COLUMNS, events + diff.events)
    _announce(zone, opened, diff.raised)
    return Changes(created=len(opened), updated=len(diff.changed), resolved=len(diff.resolved))


def _unheld(wanted_by_key: dict[Key, Wanted], zone: Zone) -> dict[Key, Wanted]:
    """Drop what a dismissal still holds (alerts.triage): the same subject and rule at its level or lower. A hold
    ends when its condition clears or its level is passed."""
    held = Warning.objects.filter(zone=zone, held=True)
    released, kept = [], dict(wanted_by_key)
    for pk, rule, item_id, order_id, project_id, level in held.values_list(
        "pk", "rule", "item_id", "order_id", "project_id", "level"
    ):
        want = wanted_by_key.get((rule, item_id, order_id, project_id))
        if want is not None and LEVEL_RANK[Level(want.level)] <= LEVEL_RANK[Level(level)]:
            del kept[want.key]
        else:
            released.append(pk)
    Warning.objects.filter(pk__in=released).update(held=False)
    return kept


def _open_warnings(zone: Zone) -> dict[Key, Open]:
    rows = Warning.objects.filter(zone=zone, resolved_at__isnull=True).values_list(
        "pk", "rule", "item_id", "order_id", "project_id", "unit_id", "level", "numbers"
    )
    return {
        (rule, item_id, order_id, project_id): (pk, unit_id, level, numbers)
        for pk, rule, item_id, order_id, project_id, unit_id, level, numbers in rows
    }


def _announced(pk: int, w: Wanted, reason: str) -> Announced:
    return Announced(pk, w.rule, w.item_id, w.order_id, w.project_id, w.unit_id, w.level, reason)


def _insert(zone: Zone, new: list[Wanted], now: datetime) -> list[Announced]:
    """Open the warnings no open one matches, in one bulk insert."""
    reasons = [_reason(w.rule, w.numbers) for w in new]
    rows = [
        (zone.pk, w.rule, w.item_id, w.order_id, w.project_id, w.unit_id, w.level, r, w.numbers, now, now)
        for w, r in zip(new, reasons, strict=True)
    ]
    ids = bulk.insert(Warning, WARNING_COLUMNS, rows)
    return [_announced(pk, w, r) for pk, w, r in zip(ids, new, reasons, strict=True)]


def _compare(current: dict[Key, Open], wanted_by_key: dict[Key, Wanted], now: datetime) -> _Differences:
    """Resolve the open warnings no longer wanted; change those whose level, unit or numbers moved."""
    diff = _Differences()
    for key, (pk, unit_id, level, numbers) in current.items():
        want = wanted_by_key.get(key)
        if want is None:
            diff.resolved.append(pk)
            diff.events.append((pk, EventKind.RESOLVED, now, level, ""))
        elif (want.level, want.unit_id, want.numbers) != (level, unit_id, numbers):
            _change(diff, pk, level, want, now)
    return diff


def _change(diff: _Differences, pk: int, level: str, want: Wanted, now: datetime) -> None:
    reason = _reason(want.rule, want.numbers)
    diff.changed.append(
        Warning(
            pk=pk, unit_id=want.unit_id, level=want.level, reason=reason, numbers=want.numbers, updated_at=now
        )
    )
    if want.level == level:
        return
    up = LEVEL_RANK[Level(want.level)] > LEVEL_RANK[Level(level)]
    diff.events.append((pk, EventKind.RAISED if up else EventKind.LOWERED, now, want.level, reason))
    if up:
        diff.raised.append(_announced(pk, want, reason))


def _save(diff: _Differences, now: datetime) -> None:
    Warning.objects.bulk_update(
        diff.changed, ["unit", "level", "reason", "numbers", "updated_at"], batch_size=1000
    )
    # A raised warning needs the unit's word and the office's triage again.
    raised = [a.pk for a in diff.raised]
    Warning.objects.filter(pk__in=raised).update(acknowledged_at=None, acknowledged_by=None, triaged_at=None)
    Warning.objects.filter(pk__in=diff.resolved, resolved_at__isnull=True).update(
        resolved_at=now, updated_at=now
    )


def open_counts(zone_ids: Sequence[int]) -> tuple[dict[str, int], dict[str, int]]:
    rows = (
        Warning.objects.filter(zone_id__in=zone_ids, resolved_at__isnull=True)
        .values_list("level", "rule")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_level: dict[str, int] = defaultdict(int)
    by_rule: dict[str, int] = defaultdict(int)
    for level, rule, n in rows:
        by_level[level] += n
        by_rule[rule] += n
    return dict(by_level), dict(by_rule)


def sweep(zones: Sequence[Zone] | None = None, now: datetime | None = None) -> SweepResult:
    """Bring the warnings of `zones` (default: all) up to date with the facts at `now`."""
    now = now or timezone.now()
    zone_list = list(zones if zones is not None else Zone.objects.order_by("pk"))
    zone_ids = [z.pk for z in zone_list]
    ensure_rules(zone_ids)
    by_zone: dict[int, list[Wanted]] = defaultdict(list)
    for wanted in wanted_warnings(zone_ids, now):
        by_zone[wanted.zone_id].append(wanted)
    result = SweepResult()
    for zone in zone_list:
        changes = write_warnings(zone, by_zone.get(zone.pk, []), now)
        result.created += changes.created
        result.updated += changes.updated
        result.resolved += changes.resolved
        result.escalated += changes.escalated
    result.open, result.by_rule = open_counts(zone_ids)
    return result


@dataclass(frozen=True)
class _Message:
    title: str
    body: str
    link: str
    dedupe_key: str
    red: bool


Titles = dict[tuple[str, int | None], str]


def _messages(zone: Zone, unit_id: int | None, warnings: list[Announced], titles: Titles) -> list[_Message]:
    """One message per warning, or one summary when a unit gets more than DIGEST_OVER at once."""
    if len(warnings) <= DIGEST_OVER:
        return [
            _Message(
                _("【%(level)s预警】%(item)s")
                % {"level": Level(w.level).label, "item": titles.get(w.subject, "")},
                f"{RuleCode(w.rule).label}：{w.reason}",
                reverse("alerts:warning_detail", args=[zone.code, w.pk]),
                f"warning:{w.pk}:{w.level}",
                w.level == Level.RED,
            )
            for w in warnings
        ]
    pairs = ",".join(f"{w.pk}:{w.level}" for w in sorted(warnings, key=lambda w: w.pk))
    reds = sum(w.level == Level.RED for w in warnings)
    lines = [f"· {titles.get(w.subject, '')}：{w.reason}" for w in warnings[:DIGEST_OVER]]
    return [
        _Message(
            _("新增或升级预警%(n)d条，其中红色%(red)d条") % {"n": len(warnings), "red": reds},
            "\n".join([*lines, "……"]),
            reverse("alerts:warning_list", args=[zone.code]) + f"?unit={unit_id or ''}",
            f"warnings:{unit_id}:{hashlib.sha1(pairs.encode()).hexdigest()[:16]}",
            reds > 0,
        )
    ]


def _announce(zone: Zone, opened: list[Announced], raised: list[Announced]) -> None:
    """Tell each unit about its new and raised warnings: its people's inboxes and its group robot, and the
    zone-wide group about red ones. Dedupe keys name the warnings and their level, so a rerun never notifies
    twice (the notices app writes in this transaction, so a rollback notifies nobody)."""
    by_unit: dict[int | None, list[Announced]] = defaultdict(list)
    for warning in [*opened, *raised]:
        # `luoshi remind` already chases a report that is late; the warning speaks up when it turns red.
        if warning.rule == RuleCode.MISSING and warning.level == Level.YELLOW:
            continue
        by_unit[warning.unit_id].append(warning)
    if not by_unit:
        return
    units = Unit.objects.in_bulk([u for u in by_unit if u])
    people: dict[int | None, list[User]] = defaultdict(list)
    members = Membership.objects.filter(zone=zone, unit__in=units, role__in=UNIT_ROLES).select_related("user")
    for membership in members:
        people[membership.unit_id].append(membership.user)
    titles = _titles([w for ws in by_unit.values() for w in ws[:DIGEST_OVER]])
    for unit_id, warnings in by_unit.items():
        unit = units.get(unit_id) if unit_id else None
        for m in _messages(zone, unit_id, warnings, titles):
            if unit is not None:
                notify(zone, people[unit.pk], "warning", m.title, m.body, m.link, m.dedupe_key)
                notify_group(zone, unit, m.title, m.body, m.link, m.dedupe_key)
            if m.red:
                notify_group(zone, None, m.title, m.body, m.link, m.dedupe_key)


def _titles(warnings: list[Announced]) -> Titles:
    """How the messages name each warning's subject: an item's code and title, an order's number and subject, a
    project's name."""
    titles: Titles = {}
    items = PlanItem.objects.filter(pk__in=[w.item_id for w in warnings if w.item_id])
    for pk, code, title in items.values_list("pk", "code", "title"):
        titles[("item", pk)] = f"{code}{title}"
    subjects = SupervisionOrder.objects.filter(pk__in=[w.order_id for w in warnings if w.order_id])
    for pk, year, number, subject in subjects.values_list("pk", "year", "number", "subject"):
        titles[("order", pk)] = f"{order_number(year, number)}{subject}"
    # A project is named through the warning's own link to it (ADR 0003): alerts does not import projects.
    projects = Warning.objects.filter(pk__in=[w.pk for w in warnings if w.project_id])
    for pk, name in projects.values_list("project_id", "project__name"):
        titles[("project", pk)] = name
    return titles


@transaction.atomic
def acknowledge_warning(
    warning: Warning, explanation: str, rectification: str, user: User, now: datetime
) -> Warning:
    """The unit's explanation and rectification plan for an open warning (both required)."""
    explanation, rectification = explanation.strip(), rectification.strip()
    if not explanation or not rectification:
        raise AcknowledgeRefused(_("请填写情况说明和整改措施"))
    lock_zone(warning.zone_id)
    done = Warning.objects.filter(pk=warning.pk, resolved_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=user, explanation=explanation, rectification=rectification
    )
    if not done:
        raise AcknowledgeRefused(_("该预警已解除，无需再说明"))
    warning.refresh_from_db()
    WarningEvent.objects.create(
        warning=warning,
        kind=EventKind.ACKNOWLEDGED,
        at=now,
        level=warning.level,
        by=user,
        explanation=explanation,
        rectification=rectification,
    )
    return warning


@transaction.atomic
def update_rule(rule: WarningRule, enabled: bool, thresholds: Thresholds, user: Actor) -> WarningRule:
    """Switch a zone's rule on or off and set its thresholds; the next sweep applies them."""
    if (rule.enabled, rule.thresholds) != (enabled, thresholds):
        detail = {"enabled": [rule.enabled, enabled], "thresholds": [rule.thresholds, thresholds]}
        rule.enabled, rule.thresholds = enabled, thresholds
        changed_by(rule, user)
        rule.save(update_fields=["enabled", "thresholds"])
        record(Event.RULE_CHANGE, user=user, zone=rule.zone, obj=rule, detail=detail)
    return rule
