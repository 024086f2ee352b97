"""The demo's two plans: the "1264" strategy of the year and the national high-tech zone creation plan.

The plan text is data in `plan_text`; dates, statuses and ticked milestones are derived here from `today`,
so the year always looks in progress: work past its deadline is mostly done, a few lagging items are overdue.
"""

import calendar
import random
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from luoshi.demo.org import DemoOrg
from luoshi.demo.plan_text import PLANS, N, PlanSpec
from luoshi.plans.actions import (
    add_item,
    add_milestone,
    add_target,
    create_plan,
    issue_plan,
    set_milestone_done,
    update_item,
)
from luoshi.plans.choices import Direction, ItemStatus
from luoshi.plans.models import Plan, PlanItem

SEED = 1264

_CN_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    if not tens:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _code(style: str, n: int) -> str:
    return {
        "": "",
        "一、": f"{_chinese_number(n)}、",
        "（一）": f"（{_chinese_number(n)}）",
        "1.": f"{n}.",
        "（1）": f"（{n}）",
    }[style]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_QUARTERS = {"一": 3, "二": 6, "三": 9, "四": 12}


def _deadline(text: str, year: int) -> date | None:
    """The date a deadline written in the plan's words falls on; None for work with no end (持续推进)."""
    if text == "持续推进":
        return None
    if text == "年底前":
        return date(year, 12, 31)
    if text == "上半年":
        return date(year, 6, 30)
    if m := re.fullmatch(r"(\d{1,2})月底前", text):
        return _month_end(year, int(m[1]))
    if m := re.fullmatch(r"第([一二三四])季度", text):
        return _month_end(year, _QUARTERS[m[1]])
    raise ValueError(f"unknown deadline {text!r}")


def _deadline_text(day: date) -> str:
    """How a parent's deadline (its latest measure's, always a month end) reads."""
    return "年底前" if day.month == 12 else f"{day.month}月底前"


@dataclass
class Resolved:
    """A node with what `today` makes of it: code, dates and status."""

    node: N
    code: str
    start: date | None
    due: date | None
    due_text: str
    status: str
    kids: list["Resolved"] = field(default_factory=list)


class _Resolver:
    def __init__(self, spec: PlanSpec, today: date, rng: random.Random):
        self.spec, self.year, self.today, self.rng = spec, today.year, today, rng
        self.running = 0

    def resolve(self, node: N, depth: int, position: int) -> Resolved:
        if depth == self.spec.numbered_across:
            self.running += 1
            position = self.running
        code = _code(self.spec.code_styles[depth - 1], position)
        if not node.kids:
            return self._leaf(node, code)
        kids = [self.resolve(kid, depth + 1, i) for i, kid in enumerate(node.kids, 1)]
        dated = depth >= self.spec.dated_from
        due = max((k.due for k in kids if k.due), default=None) if dated else None
        start = min((k.start for k in kids if k.start), default=None) if dated else None
        statuses = {k.status for k in kids}
        if statuses == {ItemStatus.DONE}:
            status = ItemStatus.DONE
        elif statuses == {ItemStatus.NOT_STARTED}:
            status = ItemStatus.NOT_STARTED
        else:
            status = ItemStatus.IN_PROGRESS
        due_text = (_deadline_text(due) if due else "持续推进") if dated else ""
        return Resolved(node, code, start, due, due_text, status, kids)

    def _leaf(self, node: N, code: str) -> Resolved:
        # Both draws happen for every measure, so the sequence does not depend on `today`.
        roll, span = self.rng.random(), self.rng.choice((2, 3, 5, 8))
        due = _deadline(node.due, self.year)
        # Work starts a few months before its deadline, and no later than its first milestone.
        months = [due.month - span] if due else [1]
        start = date(self.year, max(1, min(months + [m - 1 for _t, m in node.milestones])), 1)
        today = self.today
        if start > today:
            status = ItemStatus.NOT_STARTED
        elif due is None:
            status = ItemStatus.IN_PROGRESS
        elif due < today:
            status = ItemStatus.IN_PROGRESS if node.lag else ItemStatus.DONE
        elif node.lag:
            status = ItemStatus.NOT_STARTED
        elif roll < 0.1:
            status = ItemStatus.DONE  # finished ahead of its deadline
        elif roll < 0.8:
            status = ItemStatus.IN_PROGRESS
        else:
            status = ItemStatus.NOT_STARTED
        return Resolved(node, code, start, due, node.due, status)


def build_plan(spec: PlanSpec, org: DemoOrg, today: date, rng: random.Random) -> Plan:
    user = org.users["admin"]
    resolver = _Resolver(spec, today, rng)
    tree = [resolver.resolve(node, 1, i) for i, node in enumerate(spec.nodes, 1)]
    title = spec.title.format(year=today.year)
    plan = create_plan(org.zone, today.year, title, list(spec.level_names), user)
    _write(plan, None, tree, org, today, user)
    issue_plan(plan, user)
    return plan


def _write(
    plan: Plan,
    parent: PlanItem | None,
    resolved: list[Resolved],
    org: DemoOrg,
    today: date,
    user: User,
) -> None:
    for r in resolved:
        node = r.node
        fields = {
            "code": r.code,
            "title": node.title,
            "description": node.text,
            "goal": node.goal or "；".join(target.text for target in node.targets),
            "lead_unit": org.unit(node.lead) if node.lead else None,
            "start_date": r.start,
            "due_date": r.due,
            "due_text": r.due_text,
            "status": r.status,
        }
        item = add_item(plan, parent, fields, [org.unit(name) for name in node.co.split()], user)
        for target in node.targets:
            direction = Direction.DECREASE if target.decrease else Direction.INCREASE
            add_target(
                item,
                {
                    "indicator": target.indicator,
                    "unit_of_measure": target.unit,
                    "target_value": target.value,
                    "direction": direction,
                },
                user,
            )
        _write_milestones(item, r, today, user)
        _write(plan, item, r.kids, org, today, user)


def _write_milestones(item: PlanItem, r: Resolved, today: date, user: User) -> None:
    due_dates = [min(_month_end(today.year, month), r.due or date.max) for _title, month in r.node.milestones]
    if r.status == ItemStatus.DONE:
        done = [True] * len(due_dates)
    elif r.status == ItemStatus.NOT_STARTED:
        done = [False] * len(due_dates)
    else:
        done = [d < today for d in due_dates]
        if r.node.lag and any(done):
            done[max(i for i, d in enumerate(done) if d)] = False  # the step it is stuck on
    for (title, _month), due, is_done in zip(r.node.milestones, due_dates, done, strict=True):
        milestone = add_milestone(item, title, due, Decimal("1"), user)
        if is_done:
            set_milestone_done(milestone, True, min(due, today), user)


# The supervision office's changes after issuing: (plan, measure title, new deadline, co-unit to add).
SUPERVISOR_EDITS: tuple[tuple[int, str, str, str], ...] = (
    (0, "筹集青年人才公寓", "11月底前", ""),
    (0, "推进低效片区和工业园区更新", "", "高新区科创发展集团"),
    (1, "编制高新区总体发展规划", "7月底前", ""),
    (1, "实施主导产业“链长制”", "", "区科技创新局"),
)


def apply_supervisor_edits(plans: list[Plan], org: DemoOrg) -> None:
    """A little history, so item pages show who moved a deadline or brought in another unit."""
    supervisor = org.users["supervisor"]
    for plan_index, title, due_text, co_unit in SUPERVISOR_EDITS:
        item = PlanItem.objects.get(plan=plans[plan_index], title=title)
        if due_text:
            changes = {"due_date": _deadline(due_text, plans[plan_index].year), "due_text": due_text}
            update_item(item, changes, supervisor)
        if co_unit:
            units = [link.unit for link in item.co_unit_links.select_related("unit")]
            update_item(item, {}, supervisor, co_units=[*units, org.unit(co_unit)])


def build_plans(org: DemoOrg, today: date) -> list[Plan]:
    rng = random.Random(SEED)
    plans = [build_plan(spec, org, today, rng) for spec in PLANS]
    apply_supervisor_edits(plans, org)
    return plans
