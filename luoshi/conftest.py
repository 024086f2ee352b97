"""Personas shared by the test suite: one zone with a plan handed to two units, and an outsider zone."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings

from luoshi.org import actions as org_actions
from luoshi.org.choices import Role, UnitType
from luoshi.org.models import Unit, Zone
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import Plan, PlanItem

PASSWORD = "test-pass-123"


@dataclass
class World:
    zone: Zone
    other_zone: Zone
    tech: Unit  # 区科技创新局: leads item_a, co-operates on item_b
    dev: Unit  # 区发展和改革局: leads item_b and item_c
    office: Unit  # 督查室
    plan: Plan
    task: PlanItem
    item_a: PlanItem
    item_b: PlanItem
    item_c: PlanItem
    users: dict[str, User]
    other_plan: Plan

    def user(self, persona: str) -> User:
        return self.users[persona]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """PBKDF2's deliberate slowness is for attackers, not for a suite that creates eight people per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _person(username: str) -> User:
    return org_actions.create_person(username, PASSWORD, full_name=username)


@pytest.fixture
def world(db: None) -> World:
    zone = org_actions.create_zone("alpha", "甲高新区")
    other = org_actions.create_zone("beta", "乙高新区")
    tech = org_actions.create_unit(zone, "区科技创新局", aliases="区科技局")
    dev = org_actions.create_unit(zone, "区发展和改革局", aliases="区发改局")
    office = org_actions.create_unit(zone, "督查室", type=UnitType.OTHER)
    other_unit = org_actions.create_unit(other, "区科技创新局")

    users = {}
    for persona, role, unit in [
        ("admin", Role.ADMIN, None),
        ("supervisor", Role.SUPERVISOR, office),
        ("leader", Role.LEADER, None),
        ("viewer", Role.VIEWER, None),
        ("unithead", Role.UNIT_HEAD, tech),
        ("liaison", Role.LIAISON, tech),
        ("liaison_dev", Role.LIAISON, dev),
    ]:
        users[persona] = _person(persona)
        org_actions.add_member(zone, users[persona], role, unit)
    users["outsider"] = _person("outsider")
    org_actions.add_member(other, users["outsider"], Role.SUPERVISOR, other_unit)
    users["nobody"] = _person("nobody")

    plan = plan_actions.create_plan(zone, 2026, "2026年重点工作", ["任务", "措施"], None)
    task = plan_actions.add_item(plan, None, {"code": "一、", "title": "科技创新"}, [], None)
    item_a = plan_actions.add_item(
        plan,
        task,
        {"code": "1.", "title": "培育高新技术企业", "lead_unit": tech, "due_date": date(2026, 6, 30)},
        [],
        None,
    )
    item_b = plan_actions.add_item(
        plan,
        task,
        {"code": "2.", "title": "建设创新平台", "lead_unit": dev, "due_date": date(2026, 12, 31)},
        [tech],
        None,
    )
    item_c = plan_actions.add_item(
        plan,
        task,
        {"code": "3.", "title": "扩大有效投资", "lead_unit": dev, "due_date": date(2026, 9, 30)},
        [],
        None,
    )
    plan_actions.issue_plan(plan, None)
    other_plan = plan_actions.create_plan(other, 2026, "乙区计划", ["任务"], None)
    plan_actions.add_item(other_plan, None, {"title": "乙区事项", "lead_unit": other_unit}, [], None)
    return World(zone, other, tech, dev, office, plan, task, item_a, item_b, item_c, users, other_plan)


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login
