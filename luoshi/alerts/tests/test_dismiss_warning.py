"""核销: the office dismisses an open warning with a reason (alerts.triage.dismiss_warning), and the sweep keeps it
dismissed while the same condition holds, and warns again when it gets worse or comes back."""

from datetime import date

import pytest

from luoshi.alerts import triage
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import Warning
from luoshi.alerts.tests.conftest import at, hand_in, item, levels, only, sweep_at, warning, week
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.reporting.models import Cycle

MISSING = RuleCode.MISSING
MONDAY = at(2026, 3, 23, 10)  # week 12 (16–22 March) is past its deadline; week 11 was handed in
REASON = "该单位联络员调整，已于当日补报纸质材料"


@pytest.fixture
def yellow(world: World, weekly: Cycle) -> Warning:
    only(world, MISSING)
    subject = item(world, "报了上周")
    hand_in(subject, week(weekly, date(2026, 3, 9)), 30)
    sweep_at(world, MONDAY)
    return warning(world, MISSING, subject)


def test_a_dismissal_resolves_the_warning_with_its_reason(world: World, yellow: Warning) -> None:
    now = at(2026, 3, 23, 11)
    triage.dismiss_warning(yellow, f"  {REASON} ", world.user("supervisor"), now)
    yellow.refresh_from_db()
    assert (yellow.resolved_at, yellow.dismissed_at, yellow.triaged_at) == (now, now, now)
    assert yellow.dismissal == REASON and yellow.held
    event = yellow.events.get(kind="dismissed")
    assert (event.text, event.by, event.level) == (REASON, world.user("supervisor"), "yellow")
    audit = AuditEvent.objects.get(event="warning_dismiss")
    assert audit.user == world.user("supervisor") and audit.detail["reason"] == REASON


def test_the_sweep_does_not_warn_again_while_the_condition_holds(world: World, yellow: Warning) -> None:
    triage.dismiss_warning(yellow, REASON, world.user("supervisor"), at(2026, 3, 23, 11))
    result = sweep_at(world, at(2026, 3, 24, 10))
    assert result.created == 0 and (MISSING, yellow.item_id) not in levels(world)
    yellow.refresh_from_db()
    assert yellow.held


def test_it_warns_again_when_the_level_goes_up(world: World, yellow: Warning) -> None:
    triage.dismiss_warning(yellow, REASON, world.user("supervisor"), at(2026, 3, 23, 11))
    assert yellow.item is not None
    sweep_at(world, at(2026, 3, 30, 10))  # week 13 missed as well: two in a row is red
    assert warning(world, MISSING, yellow.item).level == "red"
    yellow.refresh_from_db()
    assert not yellow.held and yellow.dismissed_at is not None  # the dismissed one stays as it was


def test_once_the_condition_clears_it_warns_again_next_time(
    world: World, weekly: Cycle, yellow: Warning
) -> None:
    assert yellow.item is not None
    triage.dismiss_warning(yellow, REASON, world.user("supervisor"), at(2026, 3, 23, 11))
    hand_in(yellow.item, week(weekly, date(2026, 3, 16)), 40)
    sweep_at(world, at(2026, 3, 24, 10))
    yellow.refresh_from_db()
    assert not yellow.held
    hand_in(yellow.item, week(weekly, date(2026, 3, 23)), 50)
    sweep_at(world, at(2026, 4, 6, 10))  # week 14 missed: a new matter
    fresh = warning(world, MISSING, yellow.item)
    assert fresh.pk != yellow.pk and fresh.level == "yellow" and fresh.dismissed_at is None


@pytest.mark.parametrize("reason", ["", "   ", "已调整", "x" * 501])
def test_a_reason_is_required_and_bounded(world: World, yellow: Warning, reason: str) -> None:
    with pytest.raises(triage.TriageRefused, match="核销理由"):
        triage.dismiss_warning(yellow, reason, world.user("supervisor"), at(2026, 3, 23, 11))
    yellow.refresh_from_db()
    assert yellow.resolved_at is None and not yellow.events.filter(kind="dismissed").exists()
    assert not AuditEvent.objects.filter(event="warning_dismiss").exists()


def test_a_resolved_warning_cannot_be_dismissed(world: World, yellow: Warning) -> None:
    triage.dismiss_warning(yellow, REASON, world.user("supervisor"), at(2026, 3, 23, 11))
    with pytest.raises(triage.TriageRefused, match="已解除或已核销"):
        triage.dismiss_warning(yellow, REASON, world.user("supervisor"), at(2026, 3, 23, 12))
    assert yellow.events.filter(kind="dismissed").count() == 1
