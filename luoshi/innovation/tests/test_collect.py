"""`collect` stores a department's checked sheet; `settle` chooses between sources; `queries.figures` says
which figure counts and `queries.conflicts` where sources disagree."""

from datetime import timedelta
from decimal import Decimal

import pytest

from luoshi.conftest import World
from luoshi.innovation import actions, queries
from luoshi.innovation.choices import Source
from luoshi.innovation.collection import FigureRow
from luoshi.innovation.models import Settlement, Upload, Value
from luoshi.innovation.tests.conftest import NOW, Innov

LATER = NOW + timedelta(days=2)


def test_collect_stores_each_figure_with_its_upload(world: World, innov: Innov) -> None:
    liaison = world.user("liaison")
    first, second = innov.enterprises[:2]
    rd, intensity = innov.fields["研发费用"], innov.fields["研发投入强度"]
    upload = actions.collect(
        innov.zone, 2026, Source.TAX, "2026年税务数据.xlsx",
        [FigureRow(3, first.pk, {rd.pk: Decimal("130.5"), intensity.pk: Decimal("0.05")}),
         FigureRow(4, second.pk, {rd.pk: Decimal(42)})],
        liaison, NOW,
    )  # fmt: skip

    upload = Upload.objects.get(pk=upload.pk)
    assert (upload.zone_id, upload.year, upload.source, upload.filename) == (
        innov.zone.pk, 2026, Source.TAX, "2026年税务数据.xlsx",
    )  # fmt: skip
    assert (upload.rows, upload.values_added, upload.values_changed) == (2, 3, 0)
    assert (upload.uploaded_by, upload.uploaded_at) == (liaison, NOW)
    stored = Value.objects.filter(zone=innov.zone, year=2026).order_by("enterprise_id", "field__position")
    assert [(v.enterprise_id, v.field_id, v.value) for v in stored] == [
        (first.pk, rd.pk, Decimal("130.5")),
        (first.pk, intensity.pk, Decimal("0.05")),
        (second.pk, rd.pk, Decimal(42)),
    ]
    for value in stored:
        assert (value.source, value.upload_id, value.entered_by, value.entered_at) == (
            Source.TAX, upload.pk, liaison, NOW,
        )  # fmt: skip
        assert [(h.history_type, h.history_user) for h in value.history.all()] == [("+", liaison)]


def test_long_filename_is_cut(world: World, innov: Innov) -> None:
    upload = actions.collect(
        innov.zone, 2026, Source.TAX, "长" * 300 + ".xlsx", [], world.user("liaison"), NOW
    )
    assert len(Upload.objects.get(pk=upload.pk).filename) == 255


def test_second_upload_changes_only_what_differs(world: World, innov: Innov) -> None:
    liaison, supervisor = world.user("liaison"), world.user("supervisor")
    a, b, c = innov.enterprises[:3]
    rd, intensity = innov.fields["研发费用"], innov.fields["研发投入强度"]
    first = actions.collect(
        innov.zone, 2026, Source.TAX, "第一版.csv",
        [FigureRow(2, a.pk, {rd.pk: Decimal(100), intensity.pk: Decimal("0.05")}),
         FigureRow(3, b.pk, {rd.pk: Decimal(40)})],
        liaison, NOW,
    )  # fmt: skip
    second = actions.collect(
        innov.zone, 2026, Source.TAX, "第二版.csv",
        [FigureRow(2, a.pk, {rd.pk: Decimal(100), intensity.pk: Decimal("0.06")}),
         FigureRow(3, b.pk, {rd.pk: Decimal("40.0000")}),
         FigureRow(4, c.pk, {rd.pk: Decimal(300)})],
        supervisor, LATER,
    )  # fmt: skip

    second = Upload.objects.get(pk=second.pk)
    assert (second.rows, second.values_added, second.values_changed) == (3, 1, 1)
    assert Value.objects.filter(zone=innov.zone, year=2026).count() == 4

    same = Value.objects.get(enterprise=a, year=2026, field=rd, source=Source.TAX)
    assert (same.value, same.upload_id, same.entered_by, same.entered_at) == (
        Decimal(100),
        first.pk,
        liaison,
        NOW,
    )
    assert same.history.count() == 1

    changed = Value.objects.get(enterprise=a, year=2026, field=intensity, source=Source.TAX)
    assert (changed.value, changed.upload_id, changed.entered_by, changed.entered_at) == (
        Decimal("0.06"), second.pk, supervisor, LATER,
    )  # fmt: skip
    history = list(changed.history.order_by("history_id"))
    assert [(h.history_type, h.value, h.history_user) for h in history] == [
        ("+", Decimal("0.05"), liaison),
        ("~", Decimal("0.06"), supervisor),
    ]

    added = Value.objects.get(enterprise=c, year=2026, field=rd, source=Source.TAX)
    assert (added.upload_id, added.entered_by) == (second.pk, supervisor)


def test_another_source_is_kept_apart_and_shows_as_a_conflict(world: World, innov: Innov) -> None:
    a, b = innov.enterprises[:2]
    rd = innov.fields["研发费用"]  # 税务's: a=120, b=40 in 2025
    upload = actions.collect(
        innov.zone, 2025, Source.STATS, "统计.xlsx",
        [FigureRow(2, a.pk, {rd.pk: Decimal(125)}), FigureRow(3, b.pk, {rd.pk: Decimal(40)})],
        world.user("liaison_dev"), NOW,
    )  # fmt: skip

    assert (upload.values_added, upload.values_changed) == (2, 0)
    assert dict(Value.objects.filter(enterprise=a, year=2025, field=rd).values_list("source", "value")) == {
        Source.TAX: Decimal(120),
        Source.STATS: Decimal(125),
    }
    found = queries.conflicts(innov.zone.pk, 2025)
    assert [(e, f) for e, f, _figure in found] == [(a.pk, rd.pk)]  # b's sources agree
    figure = found[0][2]
    assert figure.sources == {"tax": Decimal(120), "stats": Decimal(125)}
    assert (figure.value, figure.source, figure.settled) == (Decimal(120), "tax", False)


def test_figures_pick_the_fields_own_department_until_settled(world: World, innov: Innov) -> None:
    a = innov.enterprises[0]
    patents = innov.fields["发明专利"]  # 知识产权's: 3 in 2025
    actions.collect(
        innov.zone, 2025, Source.TAX, "税务.csv", [FigureRow(2, a.pk, {patents.pk: Decimal(5)})], None, NOW
    )
    figure = queries.figures(innov.zone.pk, 2025, [a.pk])[(a.pk, patents.pk)]
    # 税务 comes first in the usual order, but the catalogue names 知识产权 as the field's own department.
    assert (figure.value, figure.source, figure.settled, figure.conflict) == (Decimal(3), "ip", False, True)

    settlement = actions.settle(
        a, 2025, patents, Source.TAX, "以税务数据为准", world.user("supervisor"), LATER
    )

    assert (settlement.settled_by, settlement.settled_at, settlement.note) == (
        world.user("supervisor"), LATER, "以税务数据为准",
    )  # fmt: skip
    figure = queries.figures(innov.zone.pk, 2025, [a.pk])[(a.pk, patents.pk)]
    assert (figure.value, figure.source, figure.settled) == (Decimal(5), "tax", True)
    assert [fig.settled for _e, _f, fig in queries.conflicts(innov.zone.pk, 2025)] == [True]


def test_without_the_own_department_the_first_in_order_counts(world: World, innov: Innov) -> None:
    a = innov.enterprises[0]
    staff = innov.fields["研发人员占比"]  # 科技's, and 科技 has sent nothing
    for source, value in [(Source.HR, "0.2"), (Source.STATS, "0.25")]:
        actions.collect(
            innov.zone, 2025, source, "表.csv", [FigureRow(2, a.pk, {staff.pk: Decimal(value)})], None, NOW
        )
    figure = queries.figures(innov.zone.pk, 2025)[(a.pk, staff.pk)]
    assert (figure.value, figure.source) == (Decimal("0.25"), "stats")


def test_settling_again_changes_the_one_settlement(world: World, innov: Innov) -> None:
    a = innov.enterprises[0]
    rd = innov.fields["研发费用"]
    actions.collect(
        innov.zone, 2025, Source.STATS, "统计.csv", [FigureRow(2, a.pk, {rd.pk: Decimal(125)})], None, NOW
    )
    actions.settle(a, 2025, rd, Source.STATS, "", None, NOW)
    actions.settle(a, 2025, rd, Source.TAX, "复核后以税务为准", world.user("supervisor"), LATER)

    settlement = Settlement.objects.get(enterprise=a, year=2025, field=rd)
    assert (settlement.source, settlement.settled_by, settlement.settled_at) == (
        Source.TAX, world.user("supervisor"), LATER,
    )  # fmt: skip
    assert settlement.history.count() == 2
    figure = queries.figures(innov.zone.pk, 2025, [a.pk])[(a.pk, rd.pk)]
    assert (figure.value, figure.source, figure.settled) == (Decimal(120), "tax", True)


def test_settle_refuses_a_source_with_no_figure(world: World, innov: Innov) -> None:
    a = innov.enterprises[0]
    rd = innov.fields["研发费用"]
    with pytest.raises(actions.Refused, match="没有这项数据"):
        actions.settle(a, 2025, rd, Source.STATS, "", world.user("supervisor"), NOW)
    with pytest.raises(actions.Refused):
        actions.settle(a, 2024, rd, Source.TAX, "", world.user("supervisor"), NOW)  # the year has none
    assert not Settlement.objects.exists()
