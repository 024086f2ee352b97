"""Issuing a bulletin (bulletins.actions.issue_bulletin): numbered 第N期 in its zone's year, frozen, announced to
every active member of the zone but the auditor and to the zone-wide group robots, and audited."""

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from luoshi.alerts.tests.conftest import group_messages, robot
from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.bulletins import actions
from luoshi.bulletins.choices import BulletinStatus, PeriodKind
from luoshi.bulletins.facts import Period
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.tests.conftest import NOVEMBER, NOW, OCTOBER
from luoshi.conftest import World
from luoshi.notices.choices import NoticeKind
from luoshi.notices.models import Notification
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role

MEMBERS = ["admin", "leader", "liaison", "liaison_dev", "supervisor", "unithead", "viewer"]


def test_issue_numbers_and_freezes(world: World, drafted: Bulletin) -> None:
    issued = actions.issue_bulletin(drafted, world.user("supervisor"))
    assert (issued.status, issued.number, issued.is_issued) == (BulletinStatus.ISSUED, 1, True)
    assert (issued.issued_at, issued.issued_by) == (NOW, world.user("supervisor"))
    stored = Bulletin.objects.get()
    assert (stored.number, stored.status, stored.issued_at) == (1, BulletinStatus.ISSUED, NOW)
    history = list(
        stored.history.order_by("history_id").values_list("history_change_reason", "status", "number")
    )
    assert history == [("起草", "draft", None), ("印发", "issued", 1)]


def test_numbers_run_per_zone_and_year(world: World, clock: time_machine.Traveller) -> None:
    supervisor, outsider = world.user("supervisor"), world.user("outsider")
    november = actions.draft_bulletin(world.zone, NOVEMBER, supervisor)
    october = actions.draft_bulletin(world.zone, OCTOBER, supervisor)
    quarter = actions.draft_bulletin(world.zone, Period(PeriodKind.QUARTER, 2026, 3), supervisor)
    last_year = actions.draft_bulletin(world.zone, Period(PeriodKind.MONTH, 2025, 12), supervisor)
    other = actions.draft_bulletin(world.other_zone, NOVEMBER, outsider)
    # In the order they are issued, whatever their months; quarters share the year's numbers.
    assert actions.issue_bulletin(november, supervisor).number == 1
    assert actions.issue_bulletin(october, supervisor).number == 2
    assert actions.issue_bulletin(quarter, supervisor).number == 3
    assert actions.issue_bulletin(other, outsider).number == 1  # another zone starts at 1
    assert actions.issue_bulletin(last_year, supervisor).number == 1  # and another year
    numbers = Bulletin.objects.order_by("zone_id", "year", "number").values_list(
        "zone__code", "year", "number"
    )
    assert list(numbers) == [
        ("alpha", 2025, 1),
        ("alpha", 2026, 1),
        ("alpha", 2026, 2),
        ("alpha", 2026, 3),
        ("beta", 2026, 1),
    ]


def test_every_member_but_the_auditor_is_told(world: World, drafted: Bulletin, auditor: User) -> None:
    gone = org_actions.create_person("gone", None, full_name="已停用")
    org_actions.add_member(world.zone, gone, Role.VIEWER)
    org_actions.set_person_active(gone, False)
    org_actions.add_member(world.zone, world.user("liaison"), Role.VIEWER)  # two roles: told once
    issued = actions.issue_bulletin(drafted, world.user("supervisor"))
    notices = Notification.objects.filter(kind=NoticeKind.BULLETIN)
    assert sorted(notices.values_list("recipient__username", flat=True)) == MEMBERS
    link = reverse("bulletins:detail", args=["alpha", issued.pk])
    assert set(notices.values_list("zone", "link")) == {(world.zone.pk, link)}
    (seen,) = Notification.objects.filter(recipient=world.user("liaison"))
    assert seen.kind == "bulletin" and seen.link == link
    assert seen.title == "督查通报2026年第1期：关于2026年11月全区重点工作推进情况的通报"
    assert (
        seen.body
        == "甲高新区督查室印发了关于2026年11月全区重点工作推进情况的通报，请各单位认真阅研，对照问题抓好整改。"
    )
    assert not Notification.objects.filter(recipient__in=[auditor, gone, world.user("outsider")]).exists()


def test_the_zone_wide_groups_are_told(world: World, drafted: Bulletin) -> None:
    zone_group, unit_group = robot(world.zone, None), robot(world.zone, world.tech)
    other_group = robot(world.other_zone, None)
    actions.issue_bulletin(drafted, world.user("supervisor"))
    assert group_messages(zone_group) == ["督查通报2026年第1期：关于2026年11月全区重点工作推进情况的通报"]
    assert group_messages(unit_group) == [] and group_messages(other_group) == []


def test_the_issue_is_audited(world: World, drafted: Bulletin) -> None:
    actions.issue_bulletin(drafted, world.user("supervisor"))
    event = AuditEvent.objects.get(event=Event.BULLETIN_ISSUE)
    assert (event.user, event.zone, event.object_id) == (
        world.user("supervisor"),
        world.zone,
        str(drafted.pk),
    )
    assert event.object_type == "bulletins.Bulletin" and event.object_repr == drafted.title
    assert event.detail == {"number": 1, "year": 2026, "period": "2026-11"}


def test_issued_twice_is_refused_and_tells_nobody_again(world: World, drafted: Bulletin) -> None:
    robot(world.zone, None)
    supervisor = world.user("supervisor")
    actions.issue_bulletin(drafted, supervisor)
    told = Notification.objects.count()
    with pytest.raises(actions.BulletinRefused, match="^通报已印发，不能再修改。$"):
        actions.issue_bulletin(drafted, supervisor)
    assert Notification.objects.count() == told and Bulletin.objects.get().number == 1
    assert AuditEvent.objects.filter(event=Event.BULLETIN_ISSUE).count() == 1
