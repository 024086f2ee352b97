from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from luoshi.conftest import World
from luoshi.notices.models import Notification, OutboxMessage
from luoshi.reporting import actions
from luoshi.reporting.actions import ReportInput
from luoshi.reporting.models import Period
from luoshi.reporting.reminders import owing_units, send_digests, send_reminders
from luoshi.reporting.tests.conftest import at


def test_owing_units(world: World, week47: Period) -> None:
    assert owing_units(week47) == {world.tech.pk: 1, world.dev.pk: 2}
    report = actions.save_report(
        world.item_a, week47, ReportInput(progress=Decimal(10)), None, at(2026, 11, 19)
    )
    assert owing_units(week47)[world.tech.pk] == 1  # a draft is not handed in
    actions.submit_report(report, None, at(2026, 11, 19))
    assert world.tech.pk not in owing_units(week47)


def test_before_at_and_after_the_deadline_each_once(world: World, week47: Period) -> None:
    send_reminders(at(2026, 11, 19, 18))  # Thursday evening: week 47 is due tomorrow 17:00, week 46 is late
    liaison_inbox = Notification.objects.filter(recipient=world.user("liaison")).order_by("title")
    assert [n.title for n in liaison_inbox] == [
        "2026年第46周周报逾期未报 1 项，请尽快补报",
        "2026年第47周周报将于11-20 17:00截止，还有 1 项未报",
    ]
    send_reminders(at(2026, 11, 19, 19))  # again: nothing new
    assert liaison_inbox.all().count() == 2
    send_reminders(at(2026, 11, 20, 17, 30))  # the deadline has just passed
    send_reminders(at(2026, 11, 23, 9))  # next Monday: week 47 is late
    week47_notices = liaison_inbox.filter(title__startswith="2026年第47周")
    assert week47_notices.count() == 3 and week47_notices.filter(kind="report_overdue").count() == 1
    # Only the owing unit's people are told; the viewer is not.
    assert not Notification.objects.filter(recipient=world.user("viewer")).exists()
    told = Notification.objects.filter(recipient=world.user("liaison")).count()
    assert told == 4 and Notification.objects.filter(recipient=world.user("unithead")).count() == told


def test_leaders_get_a_monday_digest(world: World, week47: Period) -> None:
    with time_machine.travel(at(2026, 11, 22, 20), tick=False):
        assert send_digests().digests == 0  # Sunday
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        assert send_digests().digests == 1
        assert send_digests().digests == 0
    digest = Notification.objects.get(recipient=world.user("leader"), kind="digest")
    assert digest.title == "2026年第47周落实情况摘要"
    assert "应报 3 项，已报 0 项" in digest.body and "区科技创新局" in digest.body


def test_command_runs_once(world: World, week47: Period, capsys: pytest.CaptureFixture[str]) -> None:
    with time_machine.travel(at(2026, 11, 19, 18), tick=False):
        call_command("remind")
    assert "提醒" in capsys.readouterr().out
    # Week 46 is late and week 47 due tomorrow for both units: liaison, unit head and liaison_dev are told.
    assert Notification.objects.count() == 6
    assert OutboxMessage.objects.filter(channel="email").count() == 0  # no email configured
