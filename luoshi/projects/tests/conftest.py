"""A small ledger on top of the shared personas: the tech bureau's factory (started, behind plan, one open
blocker), the development bureau's major project with a sub-project, and one project in the outsider zone."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.actions import investment as investment_actions
from luoshi.projects.actions import ledger as ledger_actions
from luoshi.projects.actions import stages as stage_actions
from luoshi.projects.choices import BlockerCategory, Category, Stage
from luoshi.projects.models import Blocker, Project


@dataclass
class Ledger:
    factory: Project  # tech leads; started, 1-10月 1,000 of 6,000 planned
    hub: Project  # dev leads; a major project
    hub_phase: Project  # a sub-project of hub
    foreign: Project  # in the other zone
    blocker: Blocker  # on factory, asked of dev


@pytest.fixture
def ledger(world: World) -> Ledger:
    factory = started_factory(world)
    hub, hub_phase = signed_hub(world)
    first_item = world.other_plan.items.first()
    assert first_item is not None
    other_unit = first_item.lead_unit
    foreign = ledger_actions.create_project(
        world.other_zone, 2026, {"name": "乙区项目", "lead_unit": other_unit}, None
    )
    blocker = blocker_actions.raise_blocker(
        factory,
        {
            "description": "供电线路未接入",
            "category": BlockerCategory.UTILITIES,
            "unit": world.dev,
            "deadline": date(2026, 11, 30),
        },
        date(2026, 10, 1),
        None,
    )
    return Ledger(factory, hub, hub_phase, foreign, blocker)


def started_factory(world: World) -> Project:
    """A project under way in its park, on the map, started in March with October's figure in."""
    park = org_actions.create_park(world.zone, "东区")
    factory = ledger_actions.create_project(
        world.zone,
        2026,
        {
            "name": "智能装备产业园",
            "code": "2026-001",
            "category": Category.INDUSTRIAL,
            "owner": "青岛智造科技有限公司",
            "owner_uscc": "91350100M000100Y43",
            "park": park,
            "lead_unit": world.tech,
            "leader": "王副区长",
            "longitude": Decimal("120.4"),
            "latitude": Decimal("36.3"),
            "total_investment_wan": Decimal("50000"),
            "annual_plan_wan": Decimal("6000"),
            "stage": Stage.STARTED,
        },
        None,
    )
    stage_actions.set_stage_dates(factory, {Stage.STARTED: (date(2026, 3, 1), date(2026, 3, 15))}, None)
    stage_actions.set_stage_dates(factory, {Stage.COMPLETED: (date(2027, 6, 1), None)}, None)
    investment_actions.record_investment(factory, 10, Decimal("1000"), None)
    return factory


def signed_hub(world: World) -> tuple[Project, Project]:
    """A signed project due to start in May, and its first phase."""
    hub = ledger_actions.create_project(
        world.zone,
        2026,
        {
            "name": "科创中心",
            "category": Category.INFRASTRUCTURE,
            "lead_unit": world.dev,
            "leader": "李副区长",
            "total_investment_wan": Decimal("200000"),
            "annual_plan_wan": Decimal("30000"),
            "stage": Stage.SIGNED,
        },
        None,
    )
    stage_actions.set_stage_dates(hub, {Stage.STARTED: (date(2026, 5, 1), None)}, None)
    hub_phase = ledger_actions.create_project(
        world.zone,
        2026,
        {"name": "科创中心一期", "parent": hub, "lead_unit": world.dev, "annual_plan_wan": Decimal("10000")},
        None,
    )
    return hub, hub_phase
