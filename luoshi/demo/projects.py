"""The demo zone's key projects (挂图作战): 44 major projects with 95 sub-projects over the four parks and the
units that lead them, spread over the stages, with their approvals, a monthly investment plan and the actual
figures of every closed month (most on pace, some behind, a few blocked), blockers open and cleared, and the
zone's outline for the map. Deterministic: a seeded generator, dated around `today`."""

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from shapely.geometry import Point, Polygon, box, mapping
from stdnum.cn import uscc

from luoshi.demo import project_text
from luoshi.demo.org import DemoOrg
from luoshi.demo.project_data import (
    BLOCKERS,
    BOUNDARY,
    COMPANY_KINDS,
    COMPANY_WORDS,
    MAJORS,
    MONTH_WEIGHTS,
    OUTLINE,
    PARK_AREAS,
    STAGES,
)
from luoshi.org.models import Park
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.actions import boundary as boundary_actions
from luoshi.projects.actions import dispatch as dispatch_actions
from luoshi.projects.actions import investment as investment_actions
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.actions import stages as stage_actions
from luoshi.projects.choices import Approval, BlockerStatus, Construction, Level, Stage
from luoshi.projects.models import Blocker, Project


@dataclass(frozen=True)
class DemoProjects:
    majors: int
    subs: int
    blockers: int
    meetings: int


def _company(rng: random.Random, n: int) -> tuple[str, str]:
    name = (
        f"青岛{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_WORDS)}{COMPANY_KINDS[n % len(COMPANY_KINDS)]}"
    )
    body = f"913702{rng.randrange(10**11):011d}"
    return name, body + uscc.calc_check_digit(body)


def _point(rng: random.Random, park: str, outline: Polygon) -> tuple[Decimal, Decimal]:
    (lon, lat), spread = PARK_AREAS[park]
    while True:
        x, y = lon + rng.uniform(-spread, spread), lat + rng.uniform(-spread, spread) * 0.7
        if outline.contains(Point(x, y)):
            return Decimal(f"{x:.6f}"), Decimal(f"{y:.6f}")


def _wan(value: float) -> Decimal:
    return Decimal(round(value / 10) * 10)


def _plan(annual: Decimal, start_month: int) -> dict[int, Decimal]:
    """The year's plan to the end of each month, cumulative, from the month work starts."""
    weights = [w if m + 1 >= start_month else 0.0 for m, w in enumerate(MONTH_WEIGHTS)]
    total, cum, plan = sum(weights), 0.0, {}
    for month, weight in enumerate(weights, start=1):
        cum += weight
        plan[month] = _wan(float(annual) * cum / total)
    plan[12] = annual
    return plan


def _pace(rng: random.Random, n: int) -> float:
    """Most projects on or ahead of plan; every seventh well behind, every eleventh far behind."""
    if n % 11 == 5:
        return rng.uniform(0.35, 0.55)
    if n % 7 == 3:
        return rng.uniform(0.7, 0.82)
    return rng.uniform(0.93, 1.12)


class _Builder:
    def __init__(self, org: DemoOrg, today: date) -> None:
        self.org, self.today, self.year = org, today, today.year
        self.rng = random.Random(2026)
        self.words = random.Random(2027)  # apart, so the ledger's words do not move its numbers
        self.outline = Polygon(OUTLINE)
        self.parks = {p.name: p for p in org.zone.parks.all()}
        self.user = org.users["supervisor"]
        self.closed = today.month - 1  # months whose statistics are out
        self.count = 0
        self.blockers = 0

    def day(self, month_offset: int, day: int = 1) -> date:
        """A day `month_offset` months from this month (negative: earlier)."""
        index = self.year * 12 + self.today.month - 1 + month_offset
        return date(index // 12, index % 12 + 1, day)

    def project(self, fields: dict[str, Any], stage: int, parent: Project | None) -> Project:
        rng, n = self.rng, self.count
        self.count += 1
        owner, code = _company(rng, n)
        lon, lat = _point(rng, fields["park"], self.outline)
        return ledger_actions.create_project(
            self.org.zone,
            self.year,
            {
                **fields,
                "parent": parent,
                "code": f"{self.year}-{n + 1:03d}",
                "park": self.parks[fields["park"]],
                "lead_unit": self.org.unit(fields["lead_unit"]),
                "owner": owner if parent is None else parent.owner,
                "owner_uscc": code if parent is None else parent.owner_uscc,
                "longitude": lon,
                "latitude": lat,
                "stage": stage,
                "level": (Level.PROVINCIAL, Level.MUNICIPAL, Level.DISTRICT)[n % 5 % 3],
                "construction": Construction.CONTINUING if stage >= Stage.CAPPED else Construction.NEW,
                "service_officer": rng.choice(("张晓东", "马丽", "吴磊", "郑洁", "何涛")),
                "position": n,
                "content": project_text.content(
                    self.words, fields["category"], fields["total_investment_wan"]
                ),
                "progress_text": project_text.progress(self.words, stage),
            },
            self.user,
        )

    def dates(self, project: Project, stage: int) -> date:
        """Stage dates consistent with the stage reached; returns the (planned) start."""
        rng = self.rng
        dates: dict[int, tuple[date | None, date | None]] = {}
        if stage >= Stage.STARTED:
            started = self.day(-rng.randrange(4, 30), rng.randrange(1, 28))
            planned_start = started - timedelta(days=rng.choice((0, 0, 10, 30)))
            dates[Stage.SIGNED] = (None, planned_start - timedelta(days=90))
            dates[Stage.STARTED] = (planned_start, started)
            slipping = self.count % 8 == 0  # one in eight misses its next planned stage
            planned = started
            for later in (Stage.CAPPED, Stage.COMPLETED, Stage.IN_PRODUCTION, Stage.FULL_PRODUCTION):
                planned += timedelta(days=30 * rng.randrange(3, 8))
                actual = None
                if later <= stage:
                    actual = min(
                        planned + timedelta(days=rng.randrange(-10, 25)), self.today - timedelta(days=5)
                    )
                elif planned <= self.today and not slipping:
                    planned = self.today + timedelta(days=rng.randrange(20, 240))
                slipping = slipping and later <= stage
                dates[later] = (planned, actual)
            if self.count % 9 != 4:  # a few started projects are not in the statistics yet
                ledger_actions.update_project(
                    project, {"stats_entered_on": started + timedelta(days=20)}, self.user
                )
        elif stage == Stage.SIGNED:
            dates[Stage.SIGNED] = (None, self.day(-rng.randrange(1, 6), rng.randrange(1, 28)))
            # Some were due to start already: the start-overdue warnings.
            started = self.day(rng.choice((-4, -1, 1, 2, 3, 5)))
            dates[Stage.STARTED] = (started, None)
            dates[Stage.COMPLETED] = (started + timedelta(days=540), None)
        else:
            started = self.day(rng.randrange(6, 12))
            dates[Stage.SIGNED] = (self.day(rng.randrange(2, 6)), None)
            dates[Stage.STARTED] = (started, None)
        stage_actions.set_stage_dates(project, dates, self.user)
        return started

    def approvals(self, project: Project, stage: int, start: date) -> None:
        done = len(Approval) if stage >= Stage.STARTED else (3 if stage == Stage.SIGNED else 0)
        rows = {}
        for i, kind in enumerate(Approval.values):
            planned = start - timedelta(days=15 * (len(Approval) - i))
            done_on = planned + timedelta(days=self.rng.randrange(-5, 10)) if i < done else None
            if done_on and done_on > self.today:
                done_on = self.today - timedelta(days=3)
            rows[kind] = (planned, done_on, "")
        stage_actions.set_approvals(project, rows, self.user)

    def start_month(self, start: date) -> int:
        """The month work starts this year: 1 for earlier years, 13 for later ones."""
        return 1 if start.year < self.year else start.month if start.year == self.year else 13

    def investment(
        self, project: Project, annual: Decimal, start_month: int, n: int
    ) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
        """The monthly plan and the actual figures of the closed months (both 1-N月累计), recorded."""
        if start_month > 12 or annual <= 0:
            return {}, {}
        plan = _plan(annual, start_month)
        investment_actions.set_monthly_plan(project, plan, self.user)
        pace, done, actual = _pace(self.rng, n), Decimal(0), {}
        for month in range(1, self.closed + 1):
            wobble = self.rng.uniform(0.97, 1.03)
            done = max(done, min(_wan(float(plan[month]) * pace * wobble), project.total_investment_wan))
            actual[month] = done
        investment_actions.record_investments(project, actual, self.user)
        return plan, actual

    def blocker(self, project: Project, n: int, cleared: bool) -> None:
        category, text, unit = BLOCKERS[n % len(BLOCKERS)]
        raised = self.today - timedelta(days=self.rng.randrange(20, 80))
        deadline = raised + timedelta(days=self.rng.choice((15, 30, 45, 60, 90)))
        blocker = blocker_actions.raise_blocker(
            project,
            {"description": text, "category": category, "unit": self.org.unit(unit), "deadline": deadline},
            raised,
            self.user,
        )
        if cleared:
            blocker_actions.clear_blocker(blocker, "已协调解决", min(deadline, self.today), self.user)
        self.blockers += 1


def _park_outlines(org: DemoOrg, user: User) -> None:
    """Each park's outline: the area its projects are drawn in, corners rounded, within the zone's outline."""
    zone_outline = Polygon(OUTLINE)
    for park in Park.objects.filter(zone=org.zone):
        (lon, lat), spread = PARK_AREAS[park.name]
        area = box(lon - spread, lat - spread * 0.7, lon + spread, lat + spread * 0.7).buffer(spread * 0.06)
        outline = area.intersection(zone_outline)
        boundary_actions.set_park_boundary(park, json.loads(json.dumps(mapping(outline))), user)


def build_projects(org: DemoOrg, today: date) -> DemoProjects:
    b = _Builder(org, today)
    subs = 0
    for n, ((name, category, park, unit, leader, parts), stage) in enumerate(
        zip(MAJORS, STAGES, strict=True)
    ):
        rng = b.rng
        total = _wan(rng.uniform(2, 60) * 10000)
        share = rng.uniform(0.15, 0.4) if stage >= Stage.SIGNED else 0.0
        common = {"category": category, "park": park, "lead_unit": unit, "leader": leader}
        major = b.project({**common, "name": name, "total_investment_wan": total}, stage, None)
        start = b.dates(major, stage)
        b.approvals(major, stage, start)
        parts_total, parts_annual = Decimal(0), Decimal(0)
        parts_plan: dict[int, Decimal] = {}
        parts_done: dict[int, Decimal] = {}
        for k, part in enumerate(parts):
            sub_total = _wan(float(total) / len(parts))
            sub_stage = max(Stage.PLANNING, stage - (k if stage >= Stage.CAPPED else 0))
            annual = _wan(float(sub_total) * share)
            sub = b.project(
                {
                    **common,
                    "name": f"{name}{part}",
                    "total_investment_wan": sub_total,
                    "annual_plan_wan": annual,
                },
                sub_stage,
                major,
            )
            sub_start = b.start_month(b.dates(sub, sub_stage))
            sub_plan, sub_done = b.investment(sub, annual, sub_start, n + k)
            for month, figure in sub_plan.items():
                parts_plan[month] = parts_plan.get(month, Decimal(0)) + figure
            for month, figure in sub_done.items():
                parts_done[month] = parts_done.get(month, Decimal(0)) + figure
            parts_total, parts_annual = parts_total + sub_total, parts_annual + annual
            subs += 1
        if parts:
            # A major project's figures are its sub-projects' together.
            changes = {"total_investment_wan": parts_total, "annual_plan_wan": parts_annual}
            ledger_actions.update_project(major, changes, b.user)
            # Month by month, so the major project's chart rises through the year as its parts' do.
            if parts_plan:
                investment_actions.set_monthly_plan(major, parts_plan, b.user)
            if parts_done:
                investment_actions.record_investments(major, parts_done, b.user)
        else:
            annual = _wan(float(total) * share)
            ledger_actions.update_project(major, {"annual_plan_wan": annual}, b.user)
            b.investment(major, annual, b.start_month(start), n)
        if n % 11 == 5 or n % 4 == 1:  # the far-behind ones are blocked; a quarter of the rest have a blocker
            b.blocker(major, n, cleared=n % 3 == 0)
        if n % 6 == 2:
            b.blocker(major, n + 3, cleared=True)
    boundary_actions.set_boundary(org.zone, "高新区（演示）", BOUNDARY, b.user)
    _park_outlines(org, b.user)
    meetings = _meetings(org, today)
    return DemoProjects(majors=len(MAJORS), subs=subs, blockers=b.blockers, meetings=meetings)


def _meetings(org: DemoOrg, today: date) -> int:
    """The last two weekly dispatch meetings (Mondays), with decisions on the open blockers: the earlier
    meeting's all carried out, last week's partly. This week's is the supervisor's to hold."""
    user = org.users["supervisor"]
    monday = today - timedelta(days=today.weekday())
    blockers = list(
        Blocker.objects.filter(zone=org.zone, status=BlockerStatus.OPEN)
        .select_related("project")
        .order_by("pk")
    )
    attendees = (
        "区发展和改革局、区自然资源局、区住房和城乡建设局、区行政审批服务局、高新区城投集团及各项目单位"
    )
    held = []
    for weeks, picks in ((2, blockers[:3]), (1, blockers[3:7])):
        on = monday - timedelta(days=7 * weeks)
        meeting = dispatch_actions.open_meeting(org.zone, on, "陈志远", attendees, user)
        for k, blocker in enumerate(picks):
            text = _("由%(unit)s牵头，会同项目单位制定解决方案，限期解决“%(problem)s”") % {
                "unit": blocker.unit,
                "problem": blocker.description,
            }
            decision = dispatch_actions.record_decision(
                meeting, {"text": text, "blocker": blocker, "due": on + timedelta(days=10)}, user
            )
            if weeks == 2 or k == 0:
                dispatch_actions.complete_decision(
                    decision, _("已召开专题协调会，明确了解决方案和时间表"), on + timedelta(days=5), user
                )
        notes = _("会议听取了重点项目推进情况汇报，逐一研究了存在问题，明确了责任单位和完成时限。")
        dispatch_actions.update_meeting(meeting, {"notes": notes}, user)
        held.append(meeting)
    return len(held)
