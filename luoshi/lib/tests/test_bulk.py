"""The shared bulk writer (issue 12, item 3): one helper for the ledger import and the alerts sweep, on the
router's database, with the connection's quoting; multi-row INSERT, and COPY on PostgreSQL for large batches."""

from decimal import Decimal

import pytest

from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import WarningRule
from luoshi.conftest import World
from luoshi.lib import bulk
from luoshi.projects.choices import Stage
from luoshi.projects.models import Project


@pytest.fixture(params=["insert", "copy"])
def copy_over(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both paths with a handful of rows: COPY takes every batch (on PostgreSQL) when its threshold is 1."""
    if request.param == "copy":
        monkeypatch.setattr(bulk, "COPY_OVER", 1)


@pytest.mark.usefixtures("copy_over")
def test_insert_returns_ids_in_order_and_fills_defaults(world: World) -> None:
    rows = [(world.zone.pk, 2026, f"项目{n}", Decimal(n) / 100) for n in range(1, 4)]
    ids = bulk.insert(Project, ("zone", "year", "name", "total_investment_wan"), rows)
    projects = Project.objects.in_bulk(ids)
    assert [projects[pk].name for pk in ids] == ["项目1", "项目2", "项目3"]
    assert projects[ids[2]].total_investment_wan == Decimal("0.03")
    assert projects[ids[0]].stage == Stage.PLANNING  # a field left out takes its default
    assert projects[ids[0]].created is not None  # auto_now_add, as save() would


@pytest.mark.usefixtures("copy_over")
def test_insert_with_history_writes_one_created_row_each(world: World) -> None:
    ids = bulk.insert_with_history(
        Project, ("zone_id", "year", "name"), [(world.zone.pk, 2026, "甲"), (world.zone.pk, 2026, "乙")], None
    )
    history = Project.history.filter(id__in=ids).order_by("id")
    assert [(h.id, h.name, h.history_type) for h in history] == [(ids[0], "甲", "+"), (ids[1], "乙", "+")]


@pytest.mark.usefixtures("copy_over")
def test_json_values_are_stored_as_json(world: World) -> None:
    thresholds = {"天数": 5, "ratio": 0.5}
    (pk,) = bulk.insert(
        WarningRule, ("zone_id", "code", "thresholds"), [(world.zone.pk, RuleCode.BEHIND, thresholds)]
    )
    assert WarningRule.objects.get(pk=pk).thresholds == thresholds


def test_nothing_to_insert_writes_nothing(db: None) -> None:
    assert bulk.insert(Project, ("name",), []) == []


def test_an_unknown_column_is_refused(db: None) -> None:
    with pytest.raises(ValueError, match="no field colour"):
        bulk.insert(Project, ("name", "colour"), [("甲", "红")])
