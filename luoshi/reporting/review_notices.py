"""Who is told when a report moves a step, and what they read.

submitted → the unit's heads when the zone's reports need the unit's approval, else the supervision office;
returned → the liaison who filed it and the unit's liaisons, with the reason; approved → the office, whose queue
it joins; accepted → the liaison who filed it. Each step is an inbox line (and an email) for each of them and,
where the unit has a group robot, one robot message.

A step taken on many reports at once ("批准所选", "全部报送") tells each person once and each unit's robot once:
inside `batch()` the steps are collected, and sent when the batch ends, grouped by step and unit. Everything is
written in the caller's transaction (a rolled-back step tells nobody). The dedupe key names the step, the unit
and a digest of the reports with the moment each took the step, so a replayed call tells nobody twice while a
report submitted again after a return is announced again."""

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from luoshi.lib.history import Actor
from luoshi.lib.numbers import format_by_unit
from luoshi.notices.actions import notify, notify_group
from luoshi.notices.choices import NoticeKind
from luoshi.org.choices import Role
from luoshi.org.models import Membership, Unit, Zone
from luoshi.reporting.models import Report

SUBMITTED, RETURNED, APPROVED, ACCEPTED = "submitted", "returned", "approved", "accepted"
LISTED = 10  # reports named one by one in a message; the rest are counted


@dataclass(frozen=True)
class Step:
    """One report's step, remembered until it is told."""

    kind: str
    report: Report
    by: Actor
    at: datetime


_collected: ContextVar[list[Step] | None] = ContextVar("report_steps", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Collect the steps taken inside and tell them together at the end (one message per unit and step). A
    batch inside a batch joins the outer one. Nothing is told when the block raises."""
    if _collected.get() is not None:
        yield
        return
    token = _collected.set([])
    try:
        yield
        steps = _collected.get() or []
    finally:
        _collected.reset(token)
    tell_steps(steps)


def told(kind: str, report: Report, by: Actor, at: datetime) -> None:
    """A report took a step: told now, or at the end of the open batch."""
    step = Step(kind, report, by, at)
    pending = _collected.get()
    if pending is None:
        tell_steps([step])
    else:
        pending.append(step)


def tell_steps(steps: Sequence[Step]) -> None:
    groups: dict[tuple[str, int], list[Step]] = defaultdict(list)
    for step in steps:
        groups[(step.kind, step.report.unit_id)].append(step)
    for (kind, _unit_id), group in groups.items():
        _tell_group(kind, group)


# Who ----------------------------------------------------------------------------------------------------------


def _members(zone: Zone, **filters: object) -> list[User]:
    rows = Membership.objects.filter(zone=zone, user__is_active=True, **filters).select_related("user")
    return list({m.user_id: m.user for m in rows}.values())


def _office(zone: Zone) -> list[User]:
    return _members(zone, role=Role.SUPERVISOR)


def _recipients(kind: str, zone: Zone, unit: Unit, steps: Sequence[Step]) -> list[User]:
    if kind == SUBMITTED and zone.reports_need_approval:
        return _members(zone, unit=unit, role=Role.UNIT_HEAD) or _office(zone)
    if kind in (SUBMITTED, APPROVED):
        return _office(zone)
    filers = [s.report.submitted_by for s in steps if s.report.submitted_by is not None]
    if kind == RETURNED or not filers:
        filers += _members(zone, unit=unit, role=Role.LIAISON)
    return list({user.pk: user for user in filers}.values())


# What ---------------------------------------------------------------------------------------------------------


def _name(user: Actor) -> str:
    if user is None:
        return _("系统")
    return user.get_full_name() or user.first_name or user.username


def _line(step: Step) -> str:
    report = step.report
    line = _("%(code)s%(title)s：进度%(progress)s") % {
        "code": report.item.code,
        "title": report.item.title,
        "progress": format_by_unit(report.progress, "%"),
    }
    if step.kind == RETURNED and report.return_reason:
        line += _("；退回原因：%(reason)s") % {"reason": report.return_reason}
    return line


def _titles(kind: str, unit: Unit, steps: Sequence[Step]) -> str:
    first = steps[0].report
    names = {"unit": unit.name, "period": first.period.label, "n": len(steps), "item": first.item.title}
    if len(steps) == 1:
        return {
            SUBMITTED: _("【报告待审核】%(unit)s：%(item)s（%(period)s）"),
            RETURNED: _("【报告退回】%(item)s（%(period)s）"),
            APPROVED: _("【报告待采纳】%(unit)s：%(item)s（%(period)s）已经单位审核"),
            ACCEPTED: _("【报告已采纳】%(item)s（%(period)s）"),
        }[kind] % names
    return {
        SUBMITTED: _("【报告待审核】%(unit)s报送了%(n)d份报告（%(period)s）"),
        RETURNED: _("【报告退回】%(unit)s的%(n)d份报告被退回（%(period)s）"),
        APPROVED: _("【报告待采纳】%(unit)s的%(n)d份报告已经单位审核（%(period)s）"),
        ACCEPTED: _("【报告已采纳】%(unit)s的%(n)d份报告已被督查室采纳（%(period)s）"),
    }[kind] % names


def _body(kind: str, steps: Sequence[Step]) -> str:
    verb = {SUBMITTED: _("提交人"), RETURNED: _("退回人"), APPROVED: _("审核人"), ACCEPTED: _("采纳人")}[kind]
    people = "、".join(dict.fromkeys(_name(s.by) for s in steps))
    lines = [_line(step) for step in steps[:LISTED]]
    if len(steps) > LISTED:
        lines.append(_("……另有%(n)d份") % {"n": len(steps) - LISTED})
    lines.append(f"{verb}：{people}")
    return "\n".join(lines)


def _link(kind: str, zone: Zone, steps: Sequence[Step]) -> str:
    if len(steps) == 1:
        return reverse("reporting:detail", args=[zone.code, steps[0].report.pk])
    if kind in (SUBMITTED, APPROVED):
        return reverse("reporting:approvals", args=[zone.code])
    return reverse("reporting:fill", args=[zone.code])


def _key(kind: str, unit: Unit, steps: Sequence[Step]) -> str:
    marks = sorted(f"{s.report.pk}@{s.at.timestamp():.6f}" for s in steps)
    digest = hashlib.sha256(",".join(marks).encode()).hexdigest()[:32]
    return f"report:{kind}:{unit.pk}:{digest}"


def _tell_group(kind: str, steps: Sequence[Step]) -> None:
    report = steps[0].report
    zone, unit = report.zone, report.unit
    with translation.override(settings.LANGUAGE_CODE):
        title, body = _titles(kind, unit, steps), _body(kind, steps)
    link, key = _link(kind, zone, steps), _key(kind, unit, steps)
    notice_kind = NoticeKind.REPORT_RETURNED if kind == RETURNED else NoticeKind.REPORT
    notify(zone, _recipients(kind, zone, unit, steps), notice_kind, title, body, link, key)
    notify_group(zone, unit, title, body, link, key)
