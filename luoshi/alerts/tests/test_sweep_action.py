from datetime import date

import pytest
from django.db import IntegrityError, transaction

from luoshi.alerts import actions
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import Warning, WarningEvent
from luoshi.alerts.sweep import wanted_warnings
from luoshi.alerts.tests.conftest import at, hand_in, item, levels, only, revise, sweep_at, warning, week
from luoshi.conftest import World
from luoshi.notices.models import Notification
from luoshi.org import actions as org_actions
from luoshi.plans.models import PlanItem
from luoshi.reporting.models import Cycle

BEHIND, OVERDUE = RuleCode.BEHIND, RuleCode.OVERDUE
START, DUE = date(2026, 1, 1), date(2026, 4, 11)


def behind(world: World, weekly: Cycle, progress: float) -> PlanItem:
    subject = item(world, "进度", start_date=START, due_date=DUE)
    hand_in(subject, week(weekly, date(2026, 3, 2)), progress)
    return subject


def test_a_second_sweep_changes_nothing(world: World, weekly: Cycle) -> None:
    first = sweep_at(world, at(2026, 7, 8, 10))
    assert first.created > 0
    again = sweep_at(world, at(2026, 7, 8, 10))
    assert (again.created, again.updated, again.resolved) == (0, 0, 0)
    assert again.open == first.open and again.by_rule == first.by_rule


def test_level_moves_up_and_down_with_history_and_resolves_itself(world: World, weekly: Cycle) -> None:
    only(world, BEHIND)
    subject = behind(world, weekly, 50)  # 16 points behind the 66 % planned
    sweep_at(world, at(2026, 3, 9, 10))
    opened = warning(world, BEHIND, subject)
    assert opened.level == "yellow"
    report = subject.reports.get()
    revise(report, progress=40)
    result = sweep_at(world, at(2026, 3, 9, 11))
    assert (result.created, result.updated) == (0, 1)
    assert warning(world, BEHIND, subject).pk == opened.pk and warning(world, BEHIND, subject).level == "red"
    revise(report, progress=55)
    sweep_at(world, at(2026, 3, 9, 12))
    assert warning(world, BEHIND, subject).level == "yellow"
    revise(report, progress=66)
    result = sweep_at(world, at(2026, 3, 9, 13))
    assert result.resolved == 1 and (BEHIND, subject.pk) not in levels(world)
    opened.refresh_from_db()
    assert opened.resolved_at == at(2026, 3, 9, 13)
    kinds = list(opened.events.values_list("kind", "level"))
    assert kinds == [("opened", "yellow"), ("raised", "red"), ("lowered", "yellow"), ("resolved", "yellow")]
    # When the condition comes back, it is a new warning; the old one keeps its history.
    revise(report, progress=40)
    sweep_at(world, at(2026, 3, 9, 14))
    assert warning(world, BEHIND, subject).pk != opened.pk


def test_a_raise_asks_the_unit_again(world: World, weekly: Cycle) -> None:
    only(world, BEHIND)
    subject = behind(world, weekly, 50)
    sweep_at(world, at(2026, 3, 9, 10))
    actions.acknowledge_warning(
        warning(world, BEHIND, subject), "人手不足", "增派人员", world.user("liaison"), at(2026, 3, 9, 10, 30)
    )
    revise(subject.reports.get(), progress=40)
    sweep_at(world, at(2026, 3, 9, 11))
    raised = warning(world, BEHIND, subject)
    assert raised.acknowledged_at is None and raised.explanation == "人手不足"


def test_overlapping_sweeps_write_once(world: World, weekly: Cycle) -> None:
    """Two sweeps that computed the same facts: the second to take the zone's lock finds nothing to do."""
    actions.ensure_rules([world.zone.pk])
    wanted = wanted_warnings([world.zone.pk], at(2026, 7, 8, 10))
    first = actions.write_warnings(world.zone, wanted, at(2026, 7, 8, 10))
    second = actions.write_warnings(world.zone, wanted, at(2026, 7, 8, 10))
    assert first.created == len(wanted) > 0
    assert (second.created, second.updated, second.resolved) == (0, 0, 0)
    assert Warning.objects.filter(zone=world.zone).count() == len(wanted)


def test_the_database_refuses_a_second_open_warning(world: World) -> None:
    sweep_at(world, at(2026, 7, 8, 10))
    existing = Warning.objects.filter(zone=world.zone, rule=OVERDUE).first()
    assert existing is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Warning.objects.create(
            zone=world.zone, rule=OVERDUE, item=existing.item, level="red", reason="", numbers={},
            opened_at=existing.opened_at, updated_at=existing.opened_at,
        )  # fmt: skip


def test_rules_are_per_zone(world: World, weekly: Cycle) -> None:
    """The other zone switches OVERDUE off; the world's zone keeps it."""
    other_item = world.other_plan.items.get()
    other_item.due_date = date(2026, 6, 30)
    other_item.save(update_fields=["due_date"])
    world.other_plan.status = "issued"
    world.other_plan.save(update_fields=["status"])
    actions.ensure_rules([world.zone.pk, world.other_zone.pk])
    rule = actions.WarningRule.objects.get(zone=world.other_zone, code=OVERDUE)
    actions.update_rule(rule, False, rule.thresholds, None)
    actions.sweep(None, at(2026, 7, 8, 10))  # every zone
    assert not Warning.objects.filter(zone=world.other_zone, rule=OVERDUE).exists()
    assert (OVERDUE, world.item_a.pk) in levels(world)
    rule.enabled = True
    rule.save(update_fields=["enabled"])
    actions.sweep(None, at(2026, 7, 8, 11))
    assert Warning.objects.filter(zone=world.other_zone, rule=OVERDUE, item=other_item).exists()


def test_new_and_raised_warnings_notify_the_unit_once(world: World) -> None:
    only(world, OVERDUE)
    sweep_at(world, at(2026, 7, 8, 10))
    inbox = Notification.objects.filter(recipient=world.user("liaison"), kind="warning")
    assert [n.title for n in inbox] == ["【红色预警】1.培育高新技术企业"]
    assert inbox.get().link == f"/z/alpha/warnings/{warning(world, OVERDUE, world.item_a).pk}/"
    assert Notification.objects.filter(recipient=world.user("unithead"), kind="warning").count() == 1
    assert not Notification.objects.filter(recipient=world.user("liaison_dev")).exists()
    sweep_at(world, at(2026, 7, 9, 10))  # a day later the numbers change, not the level: no new notice
    assert inbox.count() == 1


def test_a_unit_with_many_new_warnings_gets_one_summary(world: World) -> None:
    only(world, OVERDUE)
    for n in range(5):
        item(world, f"逾期{n}", due_date=date(2026, 6, 1))
    sweep_at(world, at(2026, 7, 8, 10))
    inbox = Notification.objects.filter(recipient=world.user("liaison"), kind="warning")
    assert [n.title for n in inbox] == ["新增或升级预警6条，其中红色6条"]
    assert inbox.get().link == f"/z/alpha/warnings/?unit={world.tech.pk}"


def test_a_zone_without_rules_gets_the_defaults(world: World) -> None:
    zone = org_actions.create_zone("gamma", "丙高新区")
    result = actions.sweep([zone], at(2026, 7, 8, 10))
    assert result.as_json()["by_rule"] == dict.fromkeys(RuleCode.values, 0)
    assert actions.WarningRule.objects.filter(zone=zone).count() == len(RuleCode.values)
    assert WarningEvent.objects.count() == 0
