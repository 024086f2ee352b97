"""Editing a draft (bulletins.actions.edit_paragraph, edit_title): a paragraph rewritten or removed, the title
changed, bad input refused in Chinese with nothing written, and nothing written once the bulletin is issued."""

import pytest

from luoshi.bulletins import actions
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.tests.conftest import paragraphs
from luoshi.conftest import World

TITLE = "关于2026年11月全区重点工作推进情况的通报"


def _reasons(bulletin: Bulletin) -> list[str]:
    return list(bulletin.history.order_by("history_id").values_list("history_change_reason", flat=True))


def test_rewrite_a_paragraph(world: World, drafted: Bulletin) -> None:
    before = paragraphs(drafted, 4)
    edited = actions.edit_paragraph(
        drafted, 4, 0, "  区发展和改革局：请加快推进。\n", world.user("supervisor")
    )
    assert paragraphs(drafted, 4) == ["区发展和改革局：请加快推进。", *before[1:]]
    assert edited.content == Bulletin.objects.get().content
    assert paragraphs(drafted, 0) == drafted.content["sections"][0]["paragraphs"]  # other sections untouched
    assert _reasons(drafted) == ["起草", "修改正文"]


def test_an_empty_text_removes_the_paragraph(world: World, drafted: Bulletin) -> None:
    before = paragraphs(drafted, 0)
    assert len(before) == 2
    actions.edit_paragraph(drafted, 0, 0, "   ", world.user("admin"))
    assert paragraphs(drafted, 0) == before[1:]


def test_edits_of_a_stale_copy_keep_each_other(world: World, drafted: Bulletin) -> None:
    """Each edit reads the row afresh under a lock: a page opened before another edit does not undo it."""
    stale = Bulletin.objects.get(pk=drafted.pk)
    actions.edit_paragraph(drafted, 0, 0, "第一处修改。", world.user("supervisor"))
    actions.edit_paragraph(stale, 5, 0, "第二处修改。", world.user("admin"))
    assert paragraphs(drafted, 0)[0] == "第一处修改。" and paragraphs(drafted, 5) == ["第二处修改。"]


@pytest.mark.parametrize("section, index", [(-1, 0), (7, 0), (0, -1), (0, 2), (99, 99)])
def test_a_paragraph_that_is_not_there(world: World, drafted: Bulletin, section: int, index: int) -> None:
    content = Bulletin.objects.get().content
    with pytest.raises(actions.BulletinRefused, match="^要修改的段落不存在，请刷新页面后重试。$"):
        actions.edit_paragraph(drafted, section, index, "新的一段。", world.user("supervisor"))
    assert Bulletin.objects.get().content == content and _reasons(drafted) == ["起草"]


def test_a_paragraph_too_long(world: World, drafted: Bulletin) -> None:
    content = Bulletin.objects.get().content
    with pytest.raises(actions.BulletinRefused, match="^段落不能超过2000个字。$"):
        actions.edit_paragraph(drafted, 0, 0, "字" * 2001, world.user("supervisor"))
    assert Bulletin.objects.get().content == content
    actions.edit_paragraph(drafted, 0, 0, "字" * 2000, world.user("supervisor"))  # the limit itself is fine
    assert paragraphs(drafted, 0)[0] == "字" * 2000


def test_the_title(world: World, drafted: Bulletin) -> None:
    actions.edit_title(drafted, "  关于2026年11月\n重点工作的通报 ", world.user("supervisor"))
    drafted.refresh_from_db()
    assert drafted.title == "关于2026年11月 重点工作的通报"
    assert _reasons(drafted) == ["起草", "修改标题"]


@pytest.mark.parametrize(
    "title, message", [(" \n ", "^标题不能为空。$"), ("题" * 201, "^标题不能超过200个字。$")]
)
def test_a_bad_title(world: World, drafted: Bulletin, title: str, message: str) -> None:
    with pytest.raises(actions.BulletinRefused, match=message):
        actions.edit_title(drafted, title, world.user("supervisor"))
    assert Bulletin.objects.get().title == TITLE


def test_nothing_changes_once_issued(world: World, drafted: Bulletin) -> None:
    supervisor = world.user("supervisor")
    actions.issue_bulletin(drafted, supervisor)
    content = Bulletin.objects.get().content
    for edit in (
        lambda: actions.edit_paragraph(drafted, 0, 0, "印发后的修改。", supervisor),
        lambda: actions.edit_paragraph(drafted, 0, 0, "", supervisor),
        lambda: actions.edit_title(drafted, "印发后的标题", supervisor),
        lambda: actions.issue_bulletin(drafted, supervisor),
    ):
        with pytest.raises(actions.BulletinRefused, match="^通报已印发，不能再修改。$"):
            edit()
    issued = Bulletin.objects.get()
    assert (issued.content, issued.title, issued.number) == (content, TITLE, 1)
    assert _reasons(issued) == ["起草", "印发"]
