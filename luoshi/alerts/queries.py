"""Reads of warnings and supervision orders, always through the user's Access: zone-wide roles see the zone's,
unit roles their own unit's; other zones' do not exist for anyone."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Case, Count, QuerySet, When
from django.http import Http404

from luoshi.alerts.choices import (
    AWAITING_FEEDBACK,
    ESCALATE_FROM,
    FEEDBACK_FROM,
    Level,
    OrderState,
    RuleCode,
)
from luoshi.alerts.models import OrderEvent, SupervisionOrder, Warning, WarningEvent, WarningRule
from luoshi.org.choices import UNIT_ROLES, Role
from luoshi.org.models import Unit
from luoshi.org.queries import Access
from luoshi.plans.models import PlanItem

# The warning list's states: open, open and waiting for the office's triage, resolved by the facts, dismissed
# by the office (alerts.triage), all.
STATES = ("open", "triage", "resolved", "dismissed", "all")


def visible_warnings(access: Access) -> QuerySet[Warning]:
    warnings = Warning.objects.filter(zone=access.zone)
    if access.zone_wide:
        return warnings
    return warnings.filter(unit_id__in=access.unit_ids)


def get_warning(access: Access, warning_id: int) -> Warning:
    try:
        return (
            visible_warnings(access)
            .select_related("item__plan", "order", "project", "unit", "acknowledged_by")
            .get(pk=warning_id)
        )
    except Warning.DoesNotExist:
        raise Http404 from None


def can_acknowledge(access: Access, warning: Warning) -> bool:
    """The responsible unit's head or liaison explains an open warning; the office reads it."""
    return warning.is_open and bool(access.roles & UNIT_ROLES) and warning.unit_id in access.unit_ids


def get_warning_to_acknowledge(access: Access, warning_id: int) -> Warning:
    warning = get_warning(access, warning_id)
    if not can_acknowledge(access, warning):
        raise Http404
    return warning


def can_triage(access: Access) -> bool:
    """The supervision office takes up new warnings: an order, a note or a dismissal."""
    return access.edits_plans


def get_warning_to_triage(access: Access, warning_id: int) -> Warning:
    warning = get_warning(access, warning_id)
    if not (can_triage(access) and warning.is_open):
        raise Http404
    return warning


def untriaged(warnings: QuerySet[Warning]) -> QuerySet[Warning]:
    return warnings.filter(resolved_at__isnull=True, triaged_at__isnull=True)


def warning_events(warning: Warning) -> QuerySet[WarningEvent]:
    return warning.events.select_related("by").order_by("-at", "-id")


# Reddest first.
SEVERITY = Case(When(level=Level.RED, then=0), When(level=Level.YELLOW, then=1), default=2)


@dataclass
class WarningFilters:
    level: str = ""
    rule: str = ""
    unit: Unit | None = None
    state: str = "open"

    @property
    def active(self) -> bool:
        return bool(self.level or self.rule or self.unit or self.state != "open")


def _scoped(access: Access, filters: WarningFilters) -> QuerySet[Warning]:
    """Unit and state filters: what the counts and the chart describe."""
    warnings = visible_warnings(access)
    if filters.unit is not None:
        warnings = warnings.filter(unit=filters.unit)
    if filters.state == "open":
        return warnings.filter(resolved_at__isnull=True)
    if filters.state == "triage":
        return untriaged(warnings)
    if filters.state == "resolved":
        return warnings.filter(resolved_at__isnull=False, dismissed_at__isnull=True)
    if filters.state == "dismissed":
        return warnings.filter(dismissed_at__isnull=False)
    return warnings


def filtered_warnings(access: Access, filters: WarningFilters) -> QuerySet[Warning]:
    warnings = _scoped(access, filters)
    if filters.level:
        warnings = warnings.filter(level=filters.level)
    if filters.rule:
        warnings = warnings.filter(rule=filters.rule)
    return warnings.select_related("item", "order", "project", "unit").order_by(SEVERITY, "-opened_at", "-id")


@dataclass
class WarningCounts:
    by_level: dict[str, int]
    by_rule: dict[str, int]
    cells: dict[tuple[str, str], int]  # (rule, level) → count

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    def chart_data(self) -> dict[str, object]:
        """Per rule, a stacked bar of red, yellow and blue warnings (rules with none left out)."""
        rules = [code for code in RuleCode.values if self.by_rule.get(code)]
        return {
            "rules": [str(RuleCode(code).label) for code in rules],
            "series": [
                {
                    "level": level,
                    "name": str(Level(level).label),
                    "data": [self.cells.get((c, level), 0) for c in rules],
                }
                for level in (Level.RED, Level.YELLOW, Level.BLUE)
            ],
        }


def warning_counts(access: Access, filters: WarningFilters) -> WarningCounts:
    """Counts by level and rule in one grouped query."""
    rows = _scoped(access, filters).values_list("rule", "level").annotate(n=Count("pk")).order_by()
    by_level: dict[str, int] = defaultdict(int)
    by_rule: dict[str, int] = defaultdict(int)
    cells = {}
    for rule, level, n in rows:
        by_level[level] += n
        by_rule[rule] += n
        cells[(rule, level)] = n
    return WarningCounts(dict(by_level), dict(by_rule), cells)


def unit_open_warnings(access: Access, unit: Unit) -> QuerySet[Warning]:
    """A unit's open warnings for the unit page (templates/alerts/_unit_warnings.html)."""
    warnings = visible_warnings(access).filter(unit=unit, resolved_at__isnull=True)
    return warnings.select_related("item", "order").order_by(SEVERITY, "item__path", "rule")


def item_open_warnings(access: Access, item: PlanItem) -> QuerySet[Warning]:
    """An item's open warnings for the item page (templates/alerts/_item_warnings.html)."""
    warnings = visible_warnings(access).filter(item=item, resolved_at__isnull=True)
    return warnings.select_related("unit").order_by(SEVERITY, "rule")


def zone_rules(access: Access) -> list[WarningRule]:
    """The zone's rules in the order of their codes; readable by zone-wide roles."""
    if not access.zone_wide:
        raise Http404
    order = {code: n for n, code in enumerate(RuleCode.values)}
    return sorted(WarningRule.objects.filter(zone=access.zone), key=lambda r: order.get(r.code, len(order)))


def get_rule_for_edit(access: Access, rule_id: int) -> WarningRule:
    if not access.edits_plans:
        raise Http404
    try:
        return WarningRule.objects.get(zone=access.zone, pk=rule_id)
    except WarningRule.DoesNotExist:
        raise Http404 from None


# Supervision orders ---------------------------------------------------------------------------------------------
# Zone-wide roles read every order of the zone; the responsible unit's head and liaison read theirs, sign them
# and answer them; the supervision office (admin, supervisor) issues, returns, closes and escalates. Anyone else,
# another unit's people included, finds no such order.

ORDER_UNIT_STEPS = ("sign", "feedback")
ORDER_OFFICE_STEPS = ("return", "close", "escalate")


def visible_orders(access: Access) -> QuerySet[SupervisionOrder]:
    orders = SupervisionOrder.objects.filter(zone=access.zone)
    if access.zone_wide:
        return orders
    return orders.filter(unit_id__in=access.unit_ids)


def get_order(access: Access, order_id: int) -> SupervisionOrder:
    try:
        return (
            visible_orders(access)
            .select_related("zone", "unit", "item", "leader", "warning", "issued_by")
            .get(pk=order_id)
        )
    except SupervisionOrder.DoesNotExist:
        raise Http404 from None


def can_issue_orders(access: Access) -> bool:
    return access.edits_plans


def require_order_issuer(access: Access) -> None:
    """The "new order" page exists only for the supervision office (admins and supervisors)."""
    if not can_issue_orders(access):
        raise Http404


def acts_for_unit(access: Access, order: SupervisionOrder) -> bool:
    return bool(access.roles & UNIT_ROLES) and order.unit_id in access.unit_ids


@dataclass(frozen=True)
class OrderSteps:
    """What the reader may do with the order in its current state: the buttons and forms the page shows."""

    sign: bool
    feedback: bool
    review: bool  # return or close the feedback
    escalate: bool

    @property
    def any(self) -> bool:
        return self.sign or self.feedback or self.review or self.escalate


def order_steps(access: Access, order: SupervisionOrder, today: date) -> OrderSteps:
    unit, office = acts_for_unit(access, order), can_issue_orders(access)
    return OrderSteps(
        sign=unit and order.signed_at is None and order.state in (OrderState.ISSUED, OrderState.ESCALATED),
        feedback=unit and order.state in FEEDBACK_FROM,
        review=office and order.state == OrderState.FEEDBACK,
        escalate=office
        and order.state in ESCALATE_FROM
        and order.escalated_at is None
        and order.deadline < today,
    )


def get_order_for_step(access: Access, order_id: int, step: str) -> SupervisionOrder:
    """The order if the reader's role takes `step` on it, else 404. Whether its state allows the step now is the
    action's to say (a double click is refused with a message, not a 404)."""
    order = get_order(access, order_id)
    allowed = acts_for_unit(access, order) if step in ORDER_UNIT_STEPS else can_issue_orders(access)
    if step not in ORDER_UNIT_STEPS + ORDER_OFFICE_STEPS or not allowed:
        raise Http404
    return order


def order_events(order: SupervisionOrder) -> QuerySet[OrderEvent]:
    return order.events.select_related("by").order_by("at", "id")


ORDER_FILTER_STATES = ("open", *OrderState.values)


@dataclass
class OrderFilters:
    state: str = ""  # "", "open" (not closed) or one OrderState
    unit: Unit | None = None
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.state or self.unit or self.overdue)


def filtered_orders(access: Access, filters: OrderFilters, today: date) -> QuerySet[SupervisionOrder]:
    orders = visible_orders(access)
    if filters.state == "open":
        orders = orders.exclude(state=OrderState.CLOSED)
    elif filters.state:
        orders = orders.filter(state=filters.state)
    if filters.unit is not None:
        orders = orders.filter(unit=filters.unit)
    if filters.overdue:
        orders = orders.filter(state__in=AWAITING_FEEDBACK, deadline__lt=today)
    return orders.select_related("unit", "item").order_by("-year", "-number")


def unit_open_orders(access: Access, unit: Unit) -> QuerySet[SupervisionOrder]:
    """A unit's orders not yet closed, for the unit page (templates/alerts/_unit_orders.html): soonest due first."""
    orders = visible_orders(access).filter(unit=unit).exclude(state=OrderState.CLOSED)
    return orders.order_by("deadline", "year", "number")


def warning_orders(access: Access, warning: Warning) -> QuerySet[SupervisionOrder]:
    """Orders issued from a warning, for its page."""
    return visible_orders(access).filter(warning=warning).order_by("year", "number")


def order_leaders(access: Access) -> QuerySet[User]:
    """People who may be named an order's responsible leader: the zone's leaders."""
    return (
        User.objects.filter(memberships__zone=access.zone, memberships__role=Role.LEADER, is_active=True)
        .distinct()
        .order_by("username")
    )
