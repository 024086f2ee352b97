"""督查室备注 (alerts.triage.note_warning): the office's note on an open warning takes it off the triage queue
until the warning goes up a level; an order issued from the warning does the same."""

from datetime import date

import pytest

from luoshi.alerts import triage
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import Warning
from luoshi.alerts.tests.conftest import at, hand_in, item, new_order, only, sweep_at, warning, week
from luoshi.conftest import World
from luoshi.reporting.models import Cycle

MISSING = RuleCode.MISSING


@pytest.fixture
def yellow(world: World, weekly: Cycle) -> Warning:
    only(world, MISSING)
    subject = item(world, "报了上周")
    hand_in(subject, week(weekly, date(2026, 3, 9)), 30)
    sweep_at(world, at(2026, 3, 23, 10))
    return warning(world, MISSING, subject)


def test_a_note_is_kept_and_triages_the_warning(world: World, yellow: Warning) -> None:
    first, second = at(2026, 3, 23, 11), at(2026, 3, 24, 9)
    triage.note_warning(yellow, " 已电话督促联络员 ", world.user("supervisor"), first)
    triage.note_warning(yellow, "联络员承诺今日补报", world.user("supervisor"), second)
    yellow.refresh_from_db()
    assert yellow.triaged_at == first and yellow.resolved_at is None  # a note does not close anything
    notes = list(yellow.events.filter(kind="noted").values_list("text", "by__username"))
    assert notes == [("已电话督促联络员", "supervisor"), ("联络员承诺今日补报", "supervisor")]


def test_a_raise_asks_for_triage_again(world: World, yellow: Warning) -> None:
    triage.note_warning(yellow, "已电话督促", world.user("supervisor"), at(2026, 3, 23, 11))
    sweep_at(world, at(2026, 3, 30, 10))  # two weeks missed: red
    yellow.refresh_from_db()
    assert yellow.level == "red" and yellow.triaged_at is None


def test_an_order_from_the_warning_triages_it(world: World, yellow: Warning) -> None:
    new_order(world, warning=yellow, now=at(2026, 3, 23, 11), deadline=date(2026, 3, 31))
    yellow.refresh_from_db()
    assert yellow.triaged_at == at(2026, 3, 23, 11)


@pytest.mark.parametrize(
    "text, error", [("", "请填写备注内容"), ("  ", "请填写备注内容"), ("x" * 1001, "1000")]
)
def test_bad_notes_are_refused(world: World, yellow: Warning, text: str, error: str) -> None:
    with pytest.raises(triage.TriageRefused, match=error):
        triage.note_warning(yellow, text, world.user("supervisor"), at(2026, 3, 23, 11))
    yellow.refresh_from_db()
    assert yellow.triaged_at is None and not yellow.events.filter(kind="noted").exists()


def test_a_resolved_warning_takes_no_note(world: World, yellow: Warning) -> None:
    Warning.objects.filter(pk=yellow.pk).update(resolved_at=at(2026, 3, 23, 11))
    with pytest.raises(triage.TriageRefused, match="已解除"):
        triage.note_warning(yellow, "已电话督促", world.user("supervisor"), at(2026, 3, 23, 12))
