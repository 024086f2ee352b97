"""Writes of supervision orders (督办单): issue, sign, feedback, return, close, escalate, and the leader's
批示, 催办 and 转交 of an escalated order.

Each step runs in one transaction: it locks the order's row, checks the state the step starts from (a double
click or a second person finds the step taken and gets a clear refusal), saves the changed fields, writes an
OrderEvent (the history the order page shows) and queues the notifications with dedupe keys, in the site's
language and in the same transaction (a rollback notifies nobody).

Lock order: an order is numbered under its zone's row lock (FOR NO KEY UPDATE, so rows that merely refer to the
zone are not held up); steps lock the order's row only. The sweep escalates under its per-zone advisory lock with
a conditional UPDATE per order, so it never waits on a step for long and never escalates twice."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.alerts.choices import (
    AWAITING_FEEDBACK,
    ESCALATE_FROM,
    FEEDBACK_FROM,
    Evaluation,
    OrderEventKind,
    OrderState,
)
from luoshi.alerts.models import OrderEvent, SupervisionOrder, Warning
from luoshi.lib.history import Actor
from luoshi.notices.actions import notify, notify_group
from luoshi.notices.choices import NoticeKind
from luoshi.org.choices import UNIT_ROLES, Role
from luoshi.org.models import Membership, Unit, Zone
from luoshi.plans.models import PlanItem

TEXT_MAX = 4000


class OrderRefused(Exception):
    """The step cannot be taken (wrong state, missing text, bad input); the message says why, in Chinese."""


# Who gets told ------------------------------------------------------------------------------------------------


def _members(zone: Zone, **filters: object) -> list[User]:
    rows = Membership.objects.filter(zone=zone, user__is_active=True, **filters).select_related("user")
    people: dict[int, User] = {m.user_id: m.user for m in rows}
    return list(people.values())


def _unit_people(order: SupervisionOrder) -> list[User]:
    return _members(order.zone, unit_id=order.unit_id, role__in=UNIT_ROLES)


def _office(order: SupervisionOrder) -> list[User]:
    """The supervision office: the zone's supervisors, and whoever issued the order."""
    people = _members(order.zone, role=Role.SUPERVISOR)
    if order.issued_by is not None and order.issued_by.pk not in {u.pk for u in people}:
        people.append(order.issued_by)
    return people


def _leaders(order: SupervisionOrder) -> list[User]:
    """The order's responsible leader; without one, the zone's leaders."""
    return [order.leader] if order.leader is not None else _members(order.zone, role=Role.LEADER)


def _link(order: SupervisionOrder) -> str:
    return reverse("alerts:order_detail", args=[order.zone.code, order.pk])


def _tell(
    order: SupervisionOrder, people: Iterable[User], title: str, body: str, key: str, group: bool = False
) -> None:
    """Inboxes (and emails) of `people`, and the responsible unit's group robot when `group`."""
    link = _link(order)
    notify(order.zone, people, NoticeKind.ORDER, title, body, link, key)
    if group:
        notify_group(order.zone, order.unit, title, body, link, key)


def _label(order: SupervisionOrder) -> dict[str, str]:
    return {"number": order.display_number, "subject": order.subject, "unit": order.unit.name}


# The steps ------------------------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _locked(order: SupervisionOrder) -> SupervisionOrder:
    """The order's row, locked until the transaction ends, with what the messages need."""
    return (
        SupervisionOrder.objects.select_for_update(of=("self",))
        .select_related("zone", "unit", "leader", "issued_by")
        .get(pk=order.pk)
    )


def _refuse(order: SupervisionOrder, message: str) -> OrderRefused:
    """`message` names the step and takes the order's number and state (督办单…当前为“已签收”，不能签收)."""
    return OrderRefused(message % {"number": order.display_number, "state": order.get_state_display()})


def _event(
    order: SupervisionOrder, kind: str, at: datetime, by: Actor, text: str = "", evaluation: str = ""
) -> OrderEvent:
    return OrderEvent.objects.create(order=order, kind=kind, at=at, by=by, text=text, evaluation=evaluation)


def _text(value: str, missing: str) -> str:
    value = value.strip()
    if not value:
        raise OrderRefused(missing)
    if len(value) > TEXT_MAX:
        raise OrderRefused(_("内容不能超过%(n)d个字") % {"n": TEXT_MAX})
    return value


def _next_number(zone: Zone, year: int) -> int:
    """The zone's next number for `year`, under the zone's row lock: two issuers take turns, so no two orders
    get one number (the unique constraint stays as the last line of defence). SQLite's IMMEDIATE transactions
    already serialise writers."""
    Zone.objects.select_for_update(no_key=True).filter(pk=zone.pk).values_list("pk", flat=True).first()
    last = SupervisionOrder.objects.filter(zone=zone, year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


@transaction.atomic
def issue_order(
    zone: Zone,
    subject: str,
    unit: Unit,
    requirement: str,
    deadline: date,
    user: Actor,
    item: PlanItem | None = None,
    warning: Warning | None = None,
    leader: User | None = None,
    now: datetime | None = None,
) -> SupervisionOrder:
    """交办: number a new order in the zone's sequence for this year and tell the responsible unit."""
    now = _now(now)
    subject = _text(subject, _("请填写督办事项"))[:200]
    requirement = _text(requirement, _("请填写督办要求"))
    if deadline < timezone.localdate(now):
        raise OrderRefused(_("办理时限不能早于今天"))
    if unit.zone_id != zone.pk or any(x is not None and x.zone_id != zone.pk for x in (item, warning)):
        raise OrderRefused(_("责任单位、事项和预警须属于本园区"))
    if leader is not None and not Membership.objects.filter(zone=zone, user=leader).exists():
        raise OrderRefused(_("包抓领导须是本园区的人员"))
    year = timezone.localdate(now).year
    order = SupervisionOrder.objects.create(
        zone=zone,
        year=year,
        number=_next_number(zone, year),
        subject=subject,
        item=item,
        warning=warning,
        unit=unit,
        leader=leader,
        requirement=requirement,
        deadline=deadline,
        issued_at=now,
        issued_by=user,
    )
    _event(order, OrderEventKind.ISSUED, now, user, requirement)
    if warning is not None:  # the order answers the warning's triage (alerts.triage)
        Warning.objects.filter(pk=warning.pk, triaged_at__isnull=True).update(triaged_at=now)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("【督办】%(number)s %(subject)s") % _label(order)
        body = _("%(requirement)s\n办理时限：%(deadline)s。请签收并按时反馈。") % {
            "requirement": requirement,
            "deadline": deadline.isoformat(),
        }
        _tell(order, _unit_people(order), title, body, f"order:{order.pk}:issued", group=True)
    return order


@transaction.atomic
def sign_order(order: SupervisionOrder, user: Actor, now: datetime | None = None) -> SupervisionOrder:
    """签收: the responsible unit acknowledges receipt (an order escalated before it was signed may still be)."""
    now = _now(now)
    order = _locked(order)
    if order.signed_at is not None or order.state not in (OrderState.ISSUED, OrderState.ESCALATED):
        raise _refuse(order, _("督办单%(number)s当前为“%(state)s”，不能签收"))
    order.signed_at, order.signed_by = now, user
    fields = ["signed_at", "signed_by"]
    if order.state == OrderState.ISSUED:
        order.state = OrderState.SIGNED
        fields.append("state")
    order.save(update_fields=fields)
    _event(order, OrderEventKind.SIGNED, now, user)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(unit)s已签收督办单%(number)s") % _label(order)
        _tell(order, _office(order), title, order.subject, f"order:{order.pk}:signed")
    return order


@transaction.atomic
def submit_feedback(
    order: SupervisionOrder, text: str, user: Actor, now: datetime | None = None
) -> SupervisionOrder:
    """反馈: the unit reports how the matter was handled; the office reviews it."""
    now = _now(now)
    order = _locked(order)
    if order.state not in FEEDBACK_FROM:
        if order.state == OrderState.ISSUED:
            raise OrderRefused(_("请先签收督办单，再反馈办理情况"))
        raise _refuse(order, _("督办单%(number)s当前为“%(state)s”，不能反馈"))
    text = _text(text, _("请填写办理情况"))
    order.state, order.feedback, order.feedback_at, order.feedback_by = OrderState.FEEDBACK, text, now, user
    fields = ["state", "feedback", "feedback_at", "feedback_by"]
    if order.signed_at is None:  # feedback on an escalated, unsigned order counts as receipt
        order.signed_at, order.signed_by = now, user
        fields += ["signed_at", "signed_by"]
    order.save(update_fields=fields)
    event = _event(order, OrderEventKind.FEEDBACK, now, user, text)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(unit)s已反馈督办单%(number)s") % _label(order)
        _tell(order, _office(order), title, text, f"order:{order.pk}:feedback:{event.pk}")
    return order


@transaction.atomic
def return_feedback(
    order: SupervisionOrder, reason: str, user: Actor, now: datetime | None = None
) -> SupervisionOrder:
    """退回: the feedback is not satisfactory; the unit redoes it (the deadline stands)."""
    now = _now(now)
    order = _locked(order)
    if order.state != OrderState.FEEDBACK:
        raise _refuse(order, _("督办单%(number)s当前为“%(state)s”，不能退回"))
    reason = _text(reason, _("请填写退回理由"))
    order.state, order.return_reason, order.returned_at = OrderState.RETURNED, reason, now
    order.save(update_fields=["state", "return_reason", "returned_at"])
    event = _event(order, OrderEventKind.RETURNED, now, user, reason)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("【督办退回】%(number)s %(subject)s") % _label(order)
        body = _("退回理由：%(reason)s\n请于%(deadline)s前重新反馈。") % {
            "reason": reason,
            "deadline": order.deadline.isoformat(),
        }
        _tell(order, _unit_people(order), title, body, f"order:{order.pk}:returned:{event.pk}", group=True)
    return order


@transaction.atomic
def close_order(
    order: SupervisionOrder, evaluation: str, comment: str, user: Actor, now: datetime | None = None
) -> SupervisionOrder:
    """办结: the office accepts the feedback and evaluates the unit's handling."""
    now = _now(now)
    order = _locked(order)
    if order.state != OrderState.FEEDBACK:
        raise _refuse(order, _("督办单%(number)s当前为“%(state)s”，不能办结"))
    if evaluation not in Evaluation.values:
        raise OrderRefused(_("请选择评价等级"))
    comment = comment.strip()[:TEXT_MAX]
    order.state, order.evaluation, order.comment = OrderState.CLOSED, evaluation, comment
    order.closed_at, order.closed_by = now, user
    order.save(update_fields=["state", "evaluation", "comment", "closed_at", "closed_by"])
    _event(order, OrderEventKind.CLOSED, now, user, comment, evaluation)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("督办单%(number)s已办结，评价：%(evaluation)s") % {
            **_label(order),
            "evaluation": order.get_evaluation_display(),
        }
        _tell(order, _unit_people(order), title, comment or order.subject, f"order:{order.pk}:closed")
    return order


def _escalated(order: SupervisionOrder, user: Actor, now: datetime) -> None:
    """The event and the leader's message of an escalation just written."""
    days = (timezone.localdate(now) - order.deadline).days
    _event(order, OrderEventKind.ESCALATED, now, user)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("【提请督办】%(number)s %(subject)s") % _label(order)
        body = _(
            "责任单位%(unit)s未在办理时限%(deadline)s前反馈，已逾期%(days)d天，提请领导督办：可在督办单上批示、催办或转交其他领导。"
        ) % {
            **_label(order),
            "deadline": order.deadline.isoformat(),
            "days": days,
        }
        _tell(order, _leaders(order), title, body, f"order:{order.pk}:escalated")


@transaction.atomic
def escalate_order(order: SupervisionOrder, user: Actor, now: datetime | None = None) -> SupervisionOrder:
    """提请领导督办, by the office: once per order, when the feedback is overdue."""
    now = _now(now)
    order = _locked(order)
    if order.escalated_at is not None:
        raise OrderRefused(
            _("督办单%(number)s已提请领导督办，不能重复提请") % {"number": order.display_number}
        )
    if order.state not in ESCALATE_FROM:
        raise _refuse(order, _("督办单%(number)s当前为“%(state)s”，不能提请领导督办"))
    if order.deadline >= timezone.localdate(now):
        raise OrderRefused(_("办理时限未到，不能提请领导督办"))
    order.state, order.escalated_at, order.escalated_by = OrderState.ESCALATED, now, user
    order.save(update_fields=["state", "escalated_at", "escalated_by"])
    _escalated(order, user, now)
    return order


def escalate_overdue(zone: Zone, order_ids: Sequence[int | None], now: datetime) -> int:
    """The sweep's escalations (inside its zone transaction): each order claimed by a conditional UPDATE, so a
    step taken meanwhile (feedback, or an escalation by hand) wins and a rerun escalates nothing."""
    today, escalated = timezone.localdate(now), 0
    for order_id in sorted(pk for pk in order_ids if pk):
        claimed = SupervisionOrder.objects.filter(
            pk=order_id, zone=zone, state__in=ESCALATE_FROM, escalated_at__isnull=True, deadline__lt=today
        ).update(state=OrderState.ESCALATED, escalated_at=now, escalated_by=None)
        if claimed:
            order = SupervisionOrder.objects.select_related("zone", "unit", "leader").get(pk=order_id)
            _escalated(order, None, now)
            escalated += 1
    return escalated


# The leader's steps on an escalated order ---------------------------------------------------------------------
#
# 批示, 催办 and 转交 belong to the order's responsible leader (any leader of the zone while the order names
# none), from the escalation until the order is closed. 批示 and 转交 stay available after the unit answers: the
# leader may still instruct on the handling (the office may return the feedback on it) or pass the matter on.
# 催办 does not: once the feedback is in there is nothing to urge, until the office returns it.

NOTE_MAX = 500


def person_name(user: User | None) -> str:
    """A person as people call them: the full name, the username only when none was given."""
    if user is None:
        return _("系统")
    return user.get_full_name() or user.first_name or user.username


def is_zone_leader(zone: Zone, user: User) -> bool:
    return Membership.objects.filter(zone=zone, user=user, role=Role.LEADER, user__is_active=True).exists()


def leads_order(order: SupervisionOrder, user: User) -> bool:
    """Whether `user` acts as the order's leader: a leader of the zone who is its named leader, or any when it
    names none or its named leader is no longer a leader here (left, deactivated), so the order is not stuck."""
    if not is_zone_leader(order.zone, user):
        return False
    if order.leader is None or order.leader.pk == user.pk:
        return True
    return not is_zone_leader(order.zone, order.leader)


def leader_steps_open(order: SupervisionOrder) -> bool:
    """批示 and 转交: from the escalation until the order is closed."""
    return order.escalated_at is not None and order.state != OrderState.CLOSED


def urge_open(order: SupervisionOrder) -> bool:
    """催办: escalated, and the unit still owes its feedback."""
    return leader_steps_open(order) and order.state in AWAITING_FEEDBACK


def _check_leader(order: SupervisionOrder, user: User, step_open: bool, step: str) -> None:
    """Refuse a leader's step the order's state or the person does not allow (`step` names it: 批示, 催办…)."""
    if order.escalated_at is None:
        raise OrderRefused(
            _("督办单%(number)s未提请领导督办，不能%(step)s") % {"number": order.display_number, "step": step}
        )
    label = {"number": order.display_number, "state": order.get_state_display(), "step": step}
    if not step_open:
        raise OrderRefused(_("督办单%(number)s当前为“%(state)s”，不能%(step)s") % label)
    if not leads_order(order, user):
        if order.leader is None:
            raise OrderRefused(_("只有本园区的领导可以%(step)s") % label)
        raise OrderRefused(
            _("督办单%(number)s由%(leader)s包抓，只有包抓领导可以%(step)s")
            % {**label, "leader": person_name(order.leader)}
        )


def _note(value: str) -> str:
    value = value.strip()
    if len(value) > NOTE_MAX:
        raise OrderRefused(_("附言不能超过%(n)d个字") % {"n": NOTE_MAX})
    return value


@transaction.atomic
def instruct_order(
    order: SupervisionOrder, text: str, user: User, now: datetime | None = None
) -> SupervisionOrder:
    """领导批示: the leader's written instruction becomes part of the order's record and goes to the unit (inbox
    and its group robot) and to the office."""
    now = _now(now)
    order = _locked(order)
    _check_leader(order, user, leader_steps_open(order), _("批示"))
    text = _text(text, _("请填写批示内容"))
    event = _event(order, OrderEventKind.INSTRUCTED, now, user, text)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("【领导批示】%(number)s %(subject)s") % _label(order)
        body = _("%(leader)s批示：%(text)s") % {"leader": person_name(user), "text": text}
        key = f"order:{order.pk}:instructed:{event.pk}"
        _tell(order, _unit_people(order), title, body, key, group=True)
        _tell(order, _office(order), title, body, key)
    return order


@transaction.atomic
def urge_order(
    order: SupervisionOrder, note: str, user: User, now: datetime | None = None
) -> SupervisionOrder:
    """领导催办: a reminder in the leader's name to the unit (inbox and group robot), once a day at most so a
    double click does not ring twice; the office sees it on the order."""
    now = _now(now)
    order = _locked(order)
    _check_leader(order, user, urge_open(order), _("催办"))
    note = _note(note)
    today = timezone.localdate(now)
    urged = order.events.filter(kind=OrderEventKind.URGED).values_list("at", flat=True)
    if any(timezone.localdate(when) == today for when in urged):
        raise OrderRefused(_("今天已催办过督办单%(number)s，请勿重复催办") % {"number": order.display_number})
    event = _event(order, OrderEventKind.URGED, now, user, note)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("【领导催办】%(number)s %(subject)s") % _label(order)
        days = (today - order.deadline).days
        facts = {"leader": person_name(user), "deadline": order.deadline.isoformat(), "days": days}
        if days > 0:
            body = _("%(leader)s催办：办理时限%(deadline)s已过%(days)d天，请抓紧办理并反馈。") % facts
        else:
            body = _("%(leader)s催办：请于办理时限%(deadline)s前办理并反馈。") % facts
        if note:
            body += "\n" + note
        _tell(order, _unit_people(order), title, body, f"order:{order.pk}:urged:{event.pk}", group=True)
    return order


@transaction.atomic
def hand_order(
    order: SupervisionOrder, to: User, note: str, user: User, now: datetime | None = None
) -> SupervisionOrder:
    """转交: the leader hands the order to another leader of the zone, who becomes its responsible leader and is
    told; the office hears of it."""
    now = _now(now)
    order = _locked(order)
    _check_leader(order, user, leader_steps_open(order), _("转交"))
    note = _note(note)
    if not is_zone_leader(order.zone, to):
        raise OrderRefused(_("只能转交给本园区的领导"))
    if to.pk == order.leader_id:
        raise OrderRefused(_("%(leader)s已是包抓领导，请选择其他领导") % {"leader": person_name(to)})
    order.leader = to
    order.save(update_fields=["leader"])
    text = _("转交%(to)s") % {"to": person_name(to)} + (f"：{note}" if note else "")
    event = _event(order, OrderEventKind.HANDED, now, user, text)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("【转交督办】%(number)s %(subject)s") % _label(order)
        body = _("%(from)s将督办单转交您包抓督办。") % {"from": person_name(user)} + (
            "\n" + note if note else ""
        )
        key = f"order:{order.pk}:handed:{event.pk}"
        _tell(order, [to], title, body, key)
        _tell(order, _office(order), title, text, key)
    return order
