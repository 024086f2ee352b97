"""Drafting a bulletin (bulletins.actions.draft_bulletin): one row per zone and period, drawn afresh from the data
on a redraft (the edits are dropped), refused once issued and for a period not begun; the change sentence
compares with the facts of the last bulletin issued."""

import pytest
import time_machine
from django.contrib.auth.models import User

from luoshi.bulletins import actions
from luoshi.bulletins.choices import BulletinStatus, PeriodKind
from luoshi.bulletins.facts import Period, gather
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.tests.conftest import NOVEMBER, NOW, OCTOBER, TODAY, paragraphs
from luoshi.conftest import World
from luoshi.plans import actions as plan_actions
from luoshi.plans.choices import ItemStatus


def _reasons(bulletin: Bulletin) -> list[str]:
    return list(bulletin.history.order_by("history_id").values_list("history_change_reason", flat=True))


def test_the_draft_from_the_data(world: World, drafted: Bulletin) -> None:
    assert (drafted.zone, drafted.year, drafted.kind, drafted.index) == (
        world.zone,
        2026,
        PeriodKind.MONTH,
        11,
    )
    assert drafted.status == BulletinStatus.DRAFT and drafted.number is None and not drafted.is_issued
    assert drafted.title == "关于2026年11月全区重点工作推进情况的通报" and drafted.period == "2026-11"
    assert (drafted.drafted_at, drafted.drafted_by) == (NOW, world.user("supervisor"))
    assert (drafted.issued_at, drafted.issued_by) == (None, None)
    assert drafted.facts == gather(world.zone, NOVEMBER, TODAY)
    assert drafted.facts["pace"] == {"on_pace": 1, "behind": 0, "overdue": 2, "done": 0}
    assert set(drafted.content) == {"title", "sections", "tables"}
    assert [s["title"] for s in drafted.content["sections"]][0] == "一、总体推进情况"
    assert [t["title"] for t in drafted.content["tables"]] == [
        "附件1：单位排名",
        "附件2：滞后事项清单",
        "附件3：投资滞后项目",
    ]
    assert _reasons(drafted) == ["起草"]


def test_one_row_per_period(world: World, drafted: Bulletin) -> None:
    supervisor = world.user("supervisor")
    again = actions.draft_bulletin(world.zone, NOVEMBER, supervisor)
    assert again.pk == drafted.pk and Bulletin.objects.count() == 1
    quarter = actions.draft_bulletin(world.zone, Period(PeriodKind.QUARTER, 2026, 4), supervisor)
    december = actions.draft_bulletin(world.zone, Period(PeriodKind.MONTH, 2026, 12), supervisor)  # begun
    other = actions.draft_bulletin(world.other_zone, NOVEMBER, world.user("outsider"))
    assert len({drafted.pk, quarter.pk, december.pk, other.pk}) == 4 and Bulletin.objects.count() == 4
    assert quarter.period == "2026-Q4" and quarter.title == "关于2026年第4季度全区重点工作推进情况的通报"


def test_a_redraft_replaces_the_words_and_drops_the_edits(
    world: World, drafted: Bulletin, clock: time_machine.Traveller
) -> None:
    supervisor = world.user("supervisor")
    drafted_text = paragraphs(drafted, 0)
    actions.edit_paragraph(drafted, 0, 0, "改过的一段。", supervisor)
    actions.edit_title(drafted, "改过的标题", supervisor)
    plan_actions.set_item_status(world.item_c, ItemStatus.DONE, None)  # the data moves on
    clock.shift(3600)
    redrafted = actions.draft_bulletin(world.zone, NOVEMBER, world.user("admin"))
    assert redrafted.pk == drafted.pk and Bulletin.objects.count() == 1
    assert redrafted.title == "关于2026年11月全区重点工作推进情况的通报"
    assert redrafted.facts["pace"] == {"on_pace": 1, "behind": 0, "overdue": 1, "done": 1}
    now = paragraphs(redrafted, 0)
    assert "改过的一段。" not in now and now[0] != drafted_text[0] and "已完成1项" in now[0]
    assert redrafted.drafted_by == world.user("admin") and redrafted.drafted_at > drafted.drafted_at
    assert _reasons(redrafted) == ["起草", "修改正文", "修改标题", "重新生成"]


def test_refused_once_issued(world: World, drafted: Bulletin) -> None:
    actions.edit_paragraph(drafted, 0, 0, "印发的一段。", world.user("supervisor"))
    actions.issue_bulletin(drafted, world.user("supervisor"))
    with pytest.raises(
        actions.BulletinRefused, match="^关于2026年11月全区重点工作推进情况的通报已印发，不能重新生成。$"
    ):
        actions.draft_bulletin(world.zone, NOVEMBER, world.user("supervisor"))
    assert paragraphs(drafted, 0)[0] == "印发的一段。" and drafted.number == 1
    assert _reasons(drafted) == ["起草", "修改正文", "印发"]


@pytest.mark.parametrize(
    "period, label",
    [
        (Period(PeriodKind.MONTH, 2027, 1), "2027年1月"),
        (Period(PeriodKind.QUARTER, 2027, 1), "2027年第1季度"),
    ],
)
def test_refused_for_a_period_not_begun(
    world: World, clock: time_machine.Traveller, period: Period, label: str
) -> None:
    with pytest.raises(actions.BulletinRefused, match=f"^{label}还没有开始，不能起草通报。$"):
        actions.draft_bulletin(world.zone, period, world.user("supervisor"))
    assert not Bulletin.objects.exists()


def test_the_change_from_the_last_issued_bulletin(world: World, clock: time_machine.Traveller) -> None:
    """November compares with October's facts as issued, not with October read again from today's data."""
    supervisor = world.user("supervisor")
    first = actions.draft_bulletin(world.zone, OCTOBER, supervisor)
    assert paragraphs(first, 0)[1] == "上期未印发通报，本期起逐期对比。"
    actions.issue_bulletin(first, supervisor)
    plan_actions.set_item_status(
        world.item_c, ItemStatus.DONE, None
    )  # done since: October's facts keep it overdue
    second = actions.draft_bulletin(world.zone, NOVEMBER, supervisor)
    assert first.facts["pace"] == {"on_pace": 1, "behind": 0, "overdue": 2, "done": 0}
    assert paragraphs(second, 0)[1] == "与2026年10月相比，已完成增加1项，进度滞后持平，逾期未完成减少1项。"


def test_a_draft_is_not_a_last_bulletin(world: World, clock: time_machine.Traveller) -> None:
    supervisor = world.user("supervisor")
    actions.draft_bulletin(world.zone, OCTOBER, supervisor)  # never issued
    other = actions.draft_bulletin(world.other_zone, OCTOBER, world.user("outsider"))
    actions.issue_bulletin(other, world.user("outsider"))  # another zone's
    quarter = actions.draft_bulletin(world.zone, Period(PeriodKind.QUARTER, 2026, 3), supervisor)
    actions.issue_bulletin(quarter, supervisor)  # another kind of period
    november = actions.draft_bulletin(world.zone, NOVEMBER, supervisor)
    assert paragraphs(november, 0)[1] == "上期未印发通报，本期起逐期对比。"


def test_the_last_year_s_december_comes_before_january(world: World, clock: time_machine.Traveller) -> None:
    supervisor: User = world.user("supervisor")
    december = actions.draft_bulletin(world.zone, Period(PeriodKind.MONTH, 2025, 12), supervisor)
    actions.issue_bulletin(december, supervisor)
    january = actions.draft_bulletin(world.zone, Period(PeriodKind.MONTH, 2026, 1), supervisor)
    assert paragraphs(january, 0)[1].startswith("与2025年12月相比，")
