"""The key-project rules (docs/domain.md §4.5, §6.2): start overdue, investment behind the time-elapsed share,
stage slips, blockers past their deadline, started but not in the statistics. Each reads the current year's
ledger of the zones in a few set-based queries and yields `Wanted` warnings whose subject is the project and
whose unit is the project's responsible unit (the blocker's unit for a blocker). They reach the sweep as a rule
source (alerts.sources) that ProjectsConfig.ready registers, with their wording."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from luoshi.alerts.choices import BehindProfile, Level, RuleCode
from luoshi.alerts.reasons import cached_gettext as _
from luoshi.alerts.reasons import pct
from luoshi.alerts.rules import Thresholds
from luoshi.alerts.sources import RuleSource, Scope
from luoshi.alerts.wanted import Wanted, ZoneRules, enabled
from luoshi.projects.choices import BlockerStatus, Stage
from luoshi.projects.models import Blocker, Project, StageDate
from luoshi.projects.pace import pace_due
from luoshi.projects.queries import monthly_plans


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier` to `later` (2026-03-15 → 2026-05-14 is 1, → 2026-05-15 is 2;
    2026-01-31 → 2026-02-28 is 1: a month ends on the last day of a shorter month)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    month_end = (later + timedelta(days=1)).day == 1
    return months - (later.day < earlier.day and not month_end)


def _current(zone_ids: Iterable[int], today: date) -> QuerySet[Project]:
    return Project.objects.filter(zone_id__in=list(zone_ids), year=today.year)


def _start(rules: ZoneRules, today: date) -> Iterable[Wanted]:
    """Yellow once the planned start month has passed without a start, red `red_months` after it (Yinchuan)."""
    red = {z: int(t["red_months"]) for z, t in enabled(rules, RuleCode.PROJECT_START).items()}
    rows = StageDate.objects.filter(
        project__in=_current(red, today).filter(stage__lt=Stage.STARTED),
        stage=Stage.STARTED,
        actual__isnull=True,
        planned__lt=today.replace(day=1),
    ).values_list("project_id", "zone_id", "project__lead_unit_id", "planned")
    for project_id, zone_id, unit_id, planned in rows:
        assert planned is not None  # filtered on
        months = (today.year - planned.year) * 12 + today.month - planned.month
        level = Level.RED if months >= red[zone_id] else Level.YELLOW
        numbers = {"planned": planned.strftime("%Y-%m"), "months": months}
        yield Wanted(RuleCode.PROJECT_START, None, zone_id, unit_id, level, numbers, project_id=project_id)


def _investment_level(t: Thresholds, gap_pp: float | None, shortfall: float | None) -> str | None:
    if t["profile"] == BehindProfile.SHORTFALL_REL:
        if shortfall is None or shortfall <= float(t["yellow_rel"]):
            return None
        return Level.RED if shortfall > float(t["red_rel"]) else Level.YELLOW
    if gap_pp is None or gap_pp < float(t["yellow_pp"]):
        return None
    return Level.RED if gap_pp > float(t["red_pp"]) else Level.YELLOW


def _investment(rules: ZoneRules, today: date) -> Iterable[Wanted]:
    """The year-to-date actual against the plan to the same month, for projects under way or with a monthly
    plan (a project planned to start in autumn has no linear share to fall behind in spring), and for a major
    project only when its sub-projects carry no plan. Without an actual figure yet, the last closed month
    counts as nothing done."""
    zones = enabled(rules, RuleCode.PROJECT_INVESTMENT)
    projects = _current(zones, today).filter(annual_plan_wan__gt=0)
    # A major project's figures are its sub-projects' together: the sub-projects behind plan are warned.
    majors = set(projects.filter(parent__isnull=False).values_list("parent_id", flat=True))
    plans = monthly_plans(projects)
    rows = projects.values_list(
        "pk", "zone_id", "lead_unit_id", "stage", "annual_plan_wan", "completed_wan", "completed_month"
    )
    for project_id, zone_id, unit_id, stage, annual, completed, month in rows:
        latest = (month, completed) if month else None
        p = pace_due(stage >= Stage.STARTED, annual, latest, today.month, plans.get(project_id, {}))
        if project_id in majors or p is None:
            continue
        level = _investment_level(zones[zone_id], p.gap_pp, p.shortfall_rel)
        if level is None:
            continue
        numbers = {
            "month": p.month,
            "annual": float(annual),
            "planned": float(p.planned_wan),
            "actual": float(p.actual_wan),
            "gap_pp": round(p.gap_pp or 0.0, 1),
            "shortfall_rel": round(p.shortfall_rel, 3) if p.shortfall_rel is not None else None,
            "profile": zones[zone_id]["profile"],
        }
        yield Wanted(
            RuleCode.PROJECT_INVESTMENT, None, zone_id, unit_id, level, numbers, project_id=project_id
        )


def _stage(rules: ZoneRules, today: date) -> Iterable[Wanted]:
    """A stage after the start (capped, completed, in production …) or before it (signed) whose planned date
    has passed while the project has not reached it; the earliest slip speaks for the project."""
    red_days = {z: int(t["red_days"]) for z, t in enabled(rules, RuleCode.PROJECT_STAGE).items()}
    rows = (
        StageDate.objects.filter(
            project__in=_current(red_days, today),
            actual__isnull=True,
            planned__lt=today,
        )
        .exclude(stage=Stage.STARTED)  # PROJECT_START's
        .values_list("project_id", "zone_id", "project__lead_unit_id", "project__stage", "stage", "planned")
        .order_by("project_id", "planned")
    )
    seen: dict[int, Wanted] = {}
    count: dict[int, int] = defaultdict(int)
    for project_id, zone_id, unit_id, reached, stage, planned in rows:
        if reached >= stage:
            continue
        count[project_id] += 1
        if project_id in seen:
            continue
        assert planned is not None  # filtered on
        days = (today - planned).days
        level = Level.RED if days > red_days[zone_id] else Level.YELLOW
        numbers = {"stage": stage, "planned": planned.isoformat(), "days": days}
        seen[project_id] = Wanted(
            RuleCode.PROJECT_STAGE, None, zone_id, unit_id, level, numbers, project_id=project_id
        )
    for project_id, wanted in seen.items():
        wanted.numbers["count"] = count[project_id]
        yield wanted


def _blockers(rules: ZoneRules, today: date) -> Iterable[Wanted]:
    """Open blockers past their deadline (the open-blocker index); the longest overdue speaks, and its unit
    is asked."""
    red_days = {z: int(t["red_days"]) for z, t in enabled(rules, RuleCode.PROJECT_BLOCKER).items()}
    rows = (
        Blocker.objects.filter(
            zone_id__in=list(red_days),
            project__year=today.year,
            status=BlockerStatus.OPEN,
            deadline__lt=today,
        )
        .values_list("project_id", "zone_id", "unit_id", "project__lead_unit_id", "description", "deadline")
        .order_by("project_id", "deadline", "id")
    )
    seen: dict[int, Wanted] = {}
    count: dict[int, int] = defaultdict(int)
    for project_id, zone_id, unit_id, lead_unit_id, description, deadline in rows:
        count[project_id] += 1
        if project_id in seen:
            continue
        assert deadline is not None  # filtered on
        days = (today - deadline).days
        level = Level.RED if days > red_days[zone_id] else Level.YELLOW
        numbers = {"problem": description[:60], "deadline": deadline.isoformat(), "days": days}
        seen[project_id] = Wanted(
            RuleCode.PROJECT_BLOCKER,
            None,
            zone_id,
            unit_id or lead_unit_id,
            level,
            numbers,
            project_id=project_id,
        )
    for project_id, wanted in seen.items():
        wanted.numbers["count"] = count[project_id]
        yield wanted


def _stats(rules: ZoneRules, today: date) -> Iterable[Wanted]:
    """Started this year `yellow_months` ago and not entered into the statistics (入库): yellow; more than
    `red_after_months` ago: red (Yinchuan). Projects started in earlier years were entered then: a ledger
    rarely says when, and flagging every continuing project would drown the new starts."""
    zones = enabled(rules, RuleCode.PROJECT_STATS)
    rows = StageDate.objects.filter(
        project__in=_current(zones, today).filter(stats_entered_on__isnull=True),
        stage=Stage.STARTED,
        actual__gte=today.replace(month=1, day=1),
        actual__lte=today,
    ).values_list("project_id", "zone_id", "project__lead_unit_id", "actual")
    for project_id, zone_id, unit_id, started in rows:
        assert started is not None  # filtered on
        months = months_between(started, today)
        t = zones[zone_id]
        if months < int(t["yellow_months"]):
            continue
        red = months > int(t["red_after_months"]) or (
            months == int(t["red_after_months"])
            and months_between(started, today - timedelta(days=1)) == months
        )
        level = Level.RED if red else Level.YELLOW
        numbers = {"started": started.isoformat(), "months": months}
        yield Wanted(RuleCode.PROJECT_STATS, None, zone_id, unit_id, level, numbers, project_id=project_id)


def project_warnings(scope: Scope) -> list[Wanted]:
    rules, today = scope.rules, scope.today
    return [
        *_start(rules, today),
        *_investment(rules, today),
        *_stage(rules, today),
        *_blockers(rules, today),
        *_stats(rules, today),
    ]


def amount(value: float) -> str:
    """12345.6 → "12,345.6": money in 万元 with separators, one decimal at most."""
    return f"{value:,.1f}".removesuffix(".0")


def _start_words(n: dict[str, Any]) -> str:
    return _("计划%(planned)s开工，已过%(months)d个月仍未开工") % n


def _investment_words(n: dict[str, Any]) -> str:
    values = {
        "month": n["month"],
        "annual": amount(n["annual"]),
        "planned": amount(n["planned"]),
        "actual": amount(n["actual"]),
        "gap": pct(n["gap_pp"]),
    }
    if n["profile"] == BehindProfile.SHORTFALL_REL and n["shortfall_rel"] is not None:
        return _("1-%(month)d月计划完成投资%(planned)s万元，实际%(actual)s万元，差距为计划的%(share)s%%") % {
            **values,
            "share": pct(100 * n["shortfall_rel"]),
        }
    return (
        _(
            "年度计划投资%(annual)s万元，1-%(month)d月应完成%(planned)s万元，实际%(actual)s万元，"
            "低于序时进度%(gap)s个百分点"
        )
        % values
    )


def _stage_words(n: dict[str, Any]) -> str:
    text = _("计划%(planned)s%(stage)s，已滞后%(days)d天") % {**n, "stage": Stage(n["stage"]).label}
    if n.get("count", 1) > 1:
        text += _("，另有%(more)d个节点滞后") % {"more": n["count"] - 1}
    return text


def _blocker_words(n: dict[str, Any]) -> str:
    text = _("问题“%(problem)s”应于%(deadline)s解决，已逾期%(days)d天") % n
    if n.get("count", 1) > 1:
        text += _("，另有%(more)d个问题逾期") % {"more": n["count"] - 1}
    return text


def _stats_words(n: dict[str, Any]) -> str:
    return _("%(started)s开工，已满%(months)d个月未纳入统计（入库）") % n


SOURCE = RuleSource(
    "projects",
    project_warnings,
    {
        RuleCode.PROJECT_START: _start_words,
        RuleCode.PROJECT_INVESTMENT: _investment_words,
        RuleCode.PROJECT_STAGE: _stage_words,
        RuleCode.PROJECT_BLOCKER: _blocker_words,
        RuleCode.PROJECT_STATS: _stats_words,
    },
)
