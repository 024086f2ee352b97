"""`luoshi bulletin --zone CODE --month YYYY-MM --out FILE.docx [--pdf FILE.pdf] [--json]`: the month's bulletin
drafted from the data (nothing stored), or the issued one as issued; bad arguments refused in Chinese."""

import json
from io import BytesIO, StringIO
from pathlib import Path

import docx
import pytest
import time_machine
from django.core.management import CommandError, call_command

from luoshi.alerts import prints
from luoshi.bulletins import actions, drafting
from luoshi.bulletins.choices import PeriodKind
from luoshi.bulletins.facts import Period, gather
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.tests.conftest import NOVEMBER, TODAY
from luoshi.conftest import World

needs_font = pytest.mark.skipif(not prints.CJK_FONT.is_file(), reason="fonts-wqy-microhei is not installed")
TITLE = "关于2026年11月全区重点工作推进情况的通报"


def run(*args: str) -> str:
    out = StringIO()
    call_command("bulletin", *args, stdout=out)
    return out.getvalue()


def test_the_json_contract_and_the_word_file(
    world: World, clock: time_machine.Traveller, tmp_path: Path
) -> None:
    out = tmp_path / "通报.docx"
    found = json.loads(run("--zone", "alpha", "--month", "2026-11", "--out", str(out), "--json"))
    assert list(found) == ["number", "period", "sections", "tables"]
    assert (found["number"], found["period"]) == (1, "2026-11")
    assert all(list(s) == ["title", "paragraphs"] for s in found["sections"])
    assert all(list(t) == ["title", "columns", "rows"] for t in found["tables"])
    # The numbers of the database: 1. and 3. overdue on 30 November, 2. on pace.
    assert found["sections"][0]["paragraphs"][0] == (
        "截至2026年11月30日，全区2026年度工作计划共分解末级事项3项，其中已完成0项、按序时推进1项、进度滞后0项、"
        "逾期未完成2项，完成率0.0%。"
    )
    facts = gather(world.zone, NOVEMBER, TODAY)
    assert found == drafting.draft(facts, None, office="甲高新区督查室", number=1, dated=TODAY).as_json()
    assert [row[1] for row in found["tables"][0]["rows"]] == [r["name"] for r in facts["ranking"]]
    assert not Bulletin.objects.exists()  # the command stores nothing
    texts = [p.text for p in docx.Document(BytesIO(out.read_bytes())).paragraphs]
    assert texts[:3] == ["督查通报", "（草稿）", "第1期"] and TITLE in texts


def test_without_json_it_says_where(world: World, clock: time_machine.Traveller, tmp_path: Path) -> None:
    out = tmp_path / "bulletin.docx"
    assert run("--zone", "alpha", "--month", "2026-11", "--out", str(out)).strip() == f"已生成：{out}"
    assert out.stat().st_size > 0


@needs_font
def test_the_pdf_too(world: World, clock: time_machine.Traveller, tmp_path: Path) -> None:
    out, pdf = tmp_path / "bulletin.docx", tmp_path / "bulletin.pdf"
    run("--zone", "alpha", "--month", "2026-11", "--out", str(out), "--pdf", str(pdf))
    assert out.is_file() and pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "zone, month, message",
    [
        ("gamma", "2026-11", "没有代码为“gamma”的园区"),
        ("alpha", "2026-13", "月份“2026-13”不对，应写成 YYYY-MM，如 2026-11"),
        ("alpha", "11-2026", "月份“11-2026”不对，应写成 YYYY-MM，如 2026-11"),
        ("alpha", "2026-00", "月份“2026-00”不对，应写成 YYYY-MM，如 2026-11"),
        ("alpha", "2026年11月", "月份“2026年11月”不对，应写成 YYYY-MM，如 2026-11"),
    ],
)
def test_bad_arguments(
    world: World, clock: time_machine.Traveller, tmp_path: Path, zone: str, month: str, message: str
) -> None:
    out, pdf = tmp_path / "bulletin.docx", tmp_path / "bulletin.pdf"
    with pytest.raises(CommandError) as refused:
        run("--zone", zone, "--month", month, "--out", str(out), "--pdf", str(pdf), "--json")
    assert str(refused.value) == message
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_cannot_be_written(world: World, clock: time_machine.Traveller, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file or directory"):
        run("--zone", "alpha", "--month", "2026-11", "--out", str(tmp_path / "missing" / "bulletin.docx"))


def test_an_issued_month_prints_the_issued_bulletin(
    world: World, clock: time_machine.Traveller, tmp_path: Path
) -> None:
    supervisor = world.user("supervisor")
    earlier = actions.draft_bulletin(world.zone, NOVEMBER.previous(), supervisor)
    actions.issue_bulletin(earlier, supervisor)  # 第1期
    bulletin = actions.draft_bulletin(world.zone, NOVEMBER, supervisor)
    actions.edit_paragraph(bulletin, 0, 0, "改定的总体情况。", supervisor)
    actions.edit_title(bulletin, "关于11月重点工作的通报", supervisor)
    actions.issue_bulletin(bulletin, supervisor)  # 第2期
    out = tmp_path / "bulletin.docx"
    found = json.loads(run("--zone", "alpha", "--month", "2026-11", "--out", str(out), "--json"))
    assert (found["number"], found["period"]) == (2, "2026-11")
    assert found["sections"][0]["paragraphs"][0] == "改定的总体情况。"
    bulletin.refresh_from_db()
    assert found["sections"] == bulletin.content["sections"]  # the stored words, edits included
    assert found["tables"] == [
        {k: t[k] for k in ("title", "columns", "rows")} for t in bulletin.content["tables"]
    ]
    texts = [p.text for p in docx.Document(BytesIO(out.read_bytes())).paragraphs]
    assert (
        texts[:2] == ["督查通报", "第2期"] and "关于11月重点工作的通报" in texts and "（草稿）" not in texts
    )
    # A month drafted but not issued is drafted afresh from the data, its edits unseen.
    december = actions.draft_bulletin(world.zone, Period(PeriodKind.MONTH, 2026, 12), supervisor)
    actions.edit_paragraph(december, 0, 0, "未印发的修改。", supervisor)
    found = json.loads(run("--zone", "alpha", "--month", "2026-12", "--out", str(out), "--json"))
    assert found["number"] == 3 and found["sections"][0]["paragraphs"][0] != "未印发的修改。"
