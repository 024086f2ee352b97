"""A national ranking of four zones (ours 甲高新区 third, 西安 second) on three indicators, a goal aiming at the
second place, and the world's items and a key project to link."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from luoshi.assessment import actions as assessment
from luoshi.assessment.models import Benchmark, Indicator, Scheme
from luoshi.conftest import World
from luoshi.goals import actions
from luoshi.goals.models import Goal
from luoshi.projects.models import Project

NOW = datetime(2026, 7, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
INDICATORS = {"RD": "研发经费占营业收入比例", "PAT": "每万人发明专利授权数", "EN": "单位增加值综合能耗"}
STRUCTURE = """iCode,iName,Level,Parent,Weight
RD,研发经费占营业收入比例,1,INNO,1
PAT,每万人发明专利授权数,1,INNO,1.2
EN,单位增加值综合能耗,1,GREEN,1
INNO,创新,2,TOTAL,60
GREEN,绿色,2,TOTAL,40
TOTAL,综合,3,,1
"""
STEPS = '[normalise]\nmethod = "minmax"\nrange = [0, 100]\n\n[aggregate]\nmethod = "arithmetic_mean"\n'
ROWS = {
    "合肥高新区": {"RD": 4.1, "PAT": 120, "EN": 0.21},
    "西安高新区": {"RD": 3.9, "PAT": 100, "EN": 0.25},
    "甲高新区": {"RD": 3.5, "PAT": 80, "EN": 0.30},
    "武汉高新区": {"RD": 3.0, "PAT": 60, "EN": 0.40},
}


@dataclass
class National:
    scheme: Scheme
    benchmark: Benchmark
    indicators: dict[str, Indicator]
    goal: Goal
    project: Project


@pytest.fixture
def national(world: World) -> National:
    indicators = {
        code: assessment.save_indicator(
            world.zone,
            {"code": code, "name": name, "direction": "decrease" if code == "EN" else "increase"},
            None,
        )
        for code, name in INDICATORS.items()
    }
    scheme = assessment.create_scheme(world.zone, "国家高新区综合评价", "zone_evaluation", "", None)
    version = assessment.publish_version(
        assessment.add_version(scheme, STRUCTURE, STEPS, [], "", None, NOW), None, NOW
    )
    benchmark = Benchmark.objects.create(
        zone=world.zone,
        scheme=scheme,
        version=version,
        period="2025",
        name="2025年对标",
        own_name="甲高新区",
        rows=ROWS,
        uploaded_at=NOW,
    )
    goal = actions.set_goal(world.task, scheme, 2, None)  # the world's task stands in for the goal
    project = Project.objects.create(
        zone=world.zone, year=2026, name="研发中心大楼", lead_unit=world.dev, annual_plan_wan=Decimal(10000)
    )
    return National(scheme, benchmark, indicators, goal, project)
