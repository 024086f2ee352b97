"""The unit ranking's rule (front.ranking): figures, order, trend and cost."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from luoshi.front.ranking import WEEKS, UnitRank, lagging_units, rank_of, unit_ranking
from luoshi.front.tests.conftest import NOW, Desk
from luoshi.org.queries import Access
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import PlanItem
from luoshi.reporting.choices import ReportStatus
from luoshi.reporting.models import Period, Report

TODAY = date(2026, 7, 2)


def _access(desk: Desk, persona: str = "supervisor") -> Access:
    world = desk.world
    user = world.user(persona)
    unit_ids = frozenset({world.office.pk} if persona == "supervisor" else {world.tech.pk})
    roles = frozenset({"supervisor"} if persona == "supervisor" else {"unit_head"})
    return Access(zone=world.zone, user_id=user.pk, roles=roles, unit_ids=unit_ids)


def _by_name(ranking: list[UnitRank]) -> dict[str, UnitRank]:
    return {r.name: r for r in ranking}


def _due_periods(desk: Desk) -> list[Period]:
    """The periods due in the WEEKS weeks before NOW, oldest first."""
    since = NOW - timedelta(days=7 * WEEKS)
    return list(Period.objects.filter(due_at__gt=since, due_at__lte=NOW).order_by("due_at"))


def _report(desk: Desk, item: PlanItem, period: Period, late: bool = False, version: int = 1) -> Report:
    assert item.lead_unit is not None
    return Report.objects.create(
        zone=desk.world.zone,
        item=item,
        period=period,
        unit=item.lead_unit,
        version=version,
        progress=Decimal("50.0"),
        status=ReportStatus.ACCEPTED,
        submitted_at=period.due_at - timedelta(hours=2),
        late=late,
    )


def test_figures_and_order(desk: Desk) -> None:
    world = desk.world
    periods = _due_periods(desk)
    assert len(periods) == WEEKS  # a weekly cycle: one period due each week
    for period in periods[-4:]:
        _report(desk, world.item_a, period)
    _report(desk, world.item_b, periods[-1], late=True)

    ranking = unit_ranking(_access(desk), TODAY)
    rows = _by_name(ranking)
    assert [r.name for r in ranking] == ["区发展和改革局", "区科技创新局", "督查室"]
    assert [r.rank for r in ranking] == [1, 2, 3]
    dev, tech, office = rows["区发展和改革局"], rows["区科技创新局"], rows["督查室"]
    # 区发改局: the red BEHIND warning on item_b (the project's yellow one does not count).
    assert (dev.red, dev.overdue, dev.behind, dev.open_items) == (1, 0, 2, 2)
    assert dev.behind_share == 100.0
    assert (dev.owed, dev.on_time) == (2 * WEEKS, 0) and dev.on_time_rate == 0.0
    # 区科技局: item_a is overdue (not behind), item_b (co-operated) behind.
    assert (tech.red, tech.overdue, tech.behind, tech.open_items) == (0, 1, 1, 2)
    assert tech.behind_share == 50.0
    assert (tech.owed, tech.on_time) == (WEEKS, 4) and tech.on_time_rate == 50.0
    assert tech.trend == [0.0] * 4 + [100.0] * 4
    assert office.on_time_rate is None and office.behind_share is None and not office.lagging
    assert dev.lagging and tech.lagging
    assert lagging_units(ranking) == [dev, tech]
    assert rank_of(ranking, {world.tech.pk}) == [tech]


def test_on_time_rate_breaks_ties_before_overdue(desk: Desk) -> None:
    """Without red warnings, the lower on-time rate ranks first even with fewer overdue items."""
    desk.red.delete()
    world = desk.world
    for period in _due_periods(desk):
        _report(desk, world.item_a, period)
    ranking = unit_ranking(_access(desk), TODAY)
    assert [r.name for r in ranking][:2] == ["区发展和改革局", "区科技创新局"]
    assert ranking[1].on_time_rate == 100.0 and ranking[0].on_time_rate == 0.0


def test_done_items_owe_only_where_they_reported_and_cancelled_never(desk: Desk) -> None:
    world = desk.world
    periods = _due_periods(desk)
    PlanItem.objects.filter(pk=world.item_c.pk).update(status=ItemStatus.DONE)
    PlanItem.objects.filter(pk=world.item_b.pk).update(status=ItemStatus.CANCELLED)
    _report(desk, world.item_c, periods[0])
    _report(desk, world.item_c, periods[0], version=2)  # a correction does not count twice
    dev = _by_name(unit_ranking(_access(desk), TODAY))["区发展和改革局"]
    assert (dev.owed, dev.on_time) == (1, 1)
    assert dev.trend == [100.0] + [None] * (WEEKS - 1)
    assert dev.open_items == 0 and dev.behind_share is None


def test_periods_not_yet_due_and_before_the_window_do_not_count(desk: Desk) -> None:
    world = desk.world
    assert desk.period.due_at > NOW and desk.report.item_id == world.item_a.pk  # this week's, not yet due
    old = Period.objects.filter(due_at__lte=NOW - timedelta(days=7 * WEEKS)).order_by("-due_at").first()
    assert old is not None
    _report(desk, world.item_a, old)
    tech = _by_name(unit_ranking(_access(desk), TODAY))["区科技创新局"]
    assert (tech.owed, tech.on_time) == (WEEKS, 0)


def test_started_later_owes_from_its_start(desk: Desk) -> None:
    world = desk.world
    periods = _due_periods(desk)
    PlanItem.objects.filter(pk=world.item_a.pk).update(start_date=periods[-2].starts_on)
    tech = _by_name(unit_ranking(_access(desk), TODAY))["区科技创新局"]
    assert tech.owed == 2


def test_zone_wide_figures_for_a_unit_head_and_no_other_zone(desk: Desk) -> None:
    """A unit head's ranking is the zone's, not one filtered to what the unit sees; other zones stay out."""
    for_head = unit_ranking(_access(desk, "unithead"), TODAY)
    for_office = unit_ranking(_access(desk), TODAY)
    assert for_head == for_office
    assert "区科技创新局" in _by_name(for_head) and len(for_head) == 3


def test_change_and_trend_points() -> None:
    rank = UnitRank(1, 1, "x", 0, 0, 0, 0, 10, 5, trend=[None, 50.0, None, 80.0] + [None] * 4)
    assert rank.change == pytest.approx(30.0)
    assert rank.trend_points.split() == ["14.3,12.0", "42.9,6.0"]
    assert UnitRank(1, 1, "x", 0, 0, 0, 0, 0, 0, trend=[None] * WEEKS).trend_points == ""
    assert UnitRank(1, 1, "x", 0, 0, 0, 0, 0, 0, trend=[None] * WEEKS).change is None


def test_four_statements(desk: Desk, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    access = _access(desk)
    with django_assert_num_queries(4):
        unit_ranking(access, TODAY, now=timezone.now())
