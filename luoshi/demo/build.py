"""The demo zone: an invented high-tech zone with its units, accounts and plans, dated around `today`.

Everything is written through the apps' action functions, so the demo carries the same history a real zone
would. Each topic has its module (org, plans, and later reports, projects…); `build_demo` runs them in order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.alerts.actions import sweep
from luoshi.demo.arena import build_arena
from luoshi.demo.bulletins import build_bulletins
from luoshi.demo.goals import GOAL, TARGET_RANK, build_goals
from luoshi.demo.indicators import INDICATORS, build_assessment, build_indicators
from luoshi.demo.innovation import build_innovation
from luoshi.demo.national import build_national
from luoshi.demo.orders import build_orders, date_warnings, triage_warnings
from luoshi.demo.org import ACCOUNTS, ZONE_CODE, Account, DemoOrg, build_org, demo_users, staff
from luoshi.demo.plans import build_plans
from luoshi.demo.projects import build_projects
from luoshi.demo.reports import People, build_reports
from luoshi.demo.unit_assessment import build_unit_assessment
from luoshi.org.actions import delete_zone
from luoshi.org.choices import Role
from luoshi.org.models import Unit, Zone
from luoshi.plans.models import Plan

__all__ = ["DemoResult", "build_demo", "remove_demo"]


class Writer(Protocol):
    def write(self, msg: str) -> object: ...


@dataclass
class DemoResult:
    zone: Zone
    units: dict[str, Unit]  # by name and by alias
    users: dict[str, User]  # by username
    plans: list[Plan]


Say = Callable[[str], None]


@transaction.atomic
def build_demo(today: date, stdout: Writer | None = None) -> DemoResult:
    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    org = build_org()
    say(
        _("已建立园区“%(zone)s”：%(units)d 个单位，%(users)d 个账号")
        % {
            "zone": org.zone.name,
            "units": len(set(org.units.values())),
            "users": len(org.users),
        }
    )
    plans = _build_work(org, today, say)
    _build_supervision(org, today, say)
    _build_scoring(org, today, say)
    run = build_innovation(org.zone, org.users["supervisor"], org.users["qiye"], org.users["yinhang"], today)
    say(
        _(
            "企业创新积分：%(n)d 家企业，%(year)d 年度 A 档 %(a)d 家；一家企业的更正待核实，一份推荐名单已共享给银行"
        )
        % {"n": run.enterprises, "year": run.year, "a": run.summary["tiers"]["A"]}
    )
    return DemoResult(zone=org.zone, units=org.units, users=org.users, plans=plans)


def _build_work(org: DemoOrg, today: date, say: Say) -> list[Plan]:
    """The plans, the units' weekly reports on them, and the key projects."""
    plans = build_plans(org, today)
    for plan in plans:
        say(
            _("已下发计划《%(title)s》：%(items)d 个事项")
            % {"title": plan.title, "items": plan.items.count()}
        )
    people = People(
        supervisor=org.users["supervisor"],
        liaisons=_members(org, Role.LIAISON),
        authors={
            org.unit(a.unit).pk: org.users[a.username]
            for a in (*ACCOUNTS, *staff())
            if a.role == Role.LIAISON
        },
        heads=_members(org, Role.UNIT_HEAD, (*ACCOUNTS, *staff())),
    )
    reports = build_reports(plans, people, today)
    say(_("已生成近十周的周报：%(n)d 份") % {"n": reports})
    projects = build_projects(org, today)
    say(
        _(
            "重点项目：%(majors)d 个重大项目、%(subs)d 个子项目，问题 %(blockers)d 个，周调度会 %(meetings)d 期，已上传园区边界"
        )
        % {
            "majors": projects.majors,
            "subs": projects.subs,
            "blockers": projects.blockers,
            "meetings": projects.meetings,
        }
    )
    return plans


def _members(org: DemoOrg, role: str, accounts: tuple[Account, ...] = ACCOUNTS) -> dict[int, User]:
    """The people of a role (default: the demo accounts), by the id of their unit."""
    return {org.unit(a.unit).pk: org.users[a.username] for a in accounts if a.role == role and a.unit}


def _build_supervision(org: DemoOrg, today: date, say: Say) -> None:
    # The first warning sweep, so the demo opens on the warnings its report history calls for.
    swept = sweep([org.zone])
    say(
        _("预警扫描：红色 %(red)d 条，黄色 %(yellow)d 条，涉及 %(rules)d 类规则")
        % {
            "red": swept.open.get("red", 0),
            "yellow": swept.open.get("yellow", 0),
            "rules": sum(1 for n in swept.by_rule.values() if n),
        }
    )
    date_warnings(org, timezone.now())
    # Supervision orders from some of those warnings; a second sweep escalates the overdue one.
    issued = build_orders(org, today)
    triage_warnings(org, timezone.now())
    escalated = sweep([org.zone]).escalated
    say(_("督办单：%(n)d 件，其中逾期提请领导督办 %(late)d 件") % {"n": len(issued), "late": escalated})


def _build_scoring(org: DemoOrg, today: date, say: Say) -> None:
    """Indicators, the assessment schemes and their runs, the national benchmark and the leaders' arena."""
    values = build_indicators(org, today)
    say(_("指标库：%(n)d 项指标，近四个季度的数据 %(values)d 个") % {"n": len(INDICATORS), "values": values})
    runs = build_assessment(org, today)
    say(_("考核：“摘星夺旗”方案已发布，%(n)d 个季度已计分") % {"n": runs})
    benchmark = build_national(org.zone, org.users["supervisor"], today)
    say(
        _("国家高新区综合评价：%(n)d 个高新区的%(period)s年对标数据")
        % {"n": len(benchmark.rows), "period": benchmark.period}
    )
    linked = build_goals(org.zone, benchmark.scheme, org.users["supervisor"])
    say(
        _("目标贯通：“%(goal)s”对应国家高新区综合评价第%(rank)d位，%(n)d 项指标已关联推动事项和重点项目")
        % {"goal": GOAL, "rank": TARGET_RANK, "n": linked}
    )
    ballots = build_arena(org, today)
    say(_("一把手擂台：上季度述职正在评分，已收到评分表 %(n)d 张；更早一期已结束") % {"n": ballots})
    quarters = build_unit_assessment(org, today)
    say(
        _("季度单位考核：%(last)s 已计分并发布，%(current)s 已按目前数据试算")
        % {"last": quarters[0], "current": quarters[1]}
    )
    issued, draft = build_bulletins(org.zone, org.users["supervisor"], today)
    say(
        _("督查通报：%(issued)s已印发（第%(n)d期），%(draft)s草稿待督查室修改印发")
        % {"issued": issued.title, "n": issued.number, "draft": draft.title}
    )


@transaction.atomic
def remove_demo() -> bool:
    """Delete the demo zone and its accounts; False when there is none."""
    zone = Zone.objects.filter(code=ZONE_CODE).first()
    if zone is None:
        return False
    users = list(demo_users(zone))  # before the zone goes, taking their memberships with it
    delete_zone(zone, None)
    for user in users:
        user.delete()
    return True
