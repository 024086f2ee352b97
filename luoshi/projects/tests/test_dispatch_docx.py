"""The meeting's minutes as a Word file in the official layout."""

from collections.abc import Callable
from datetime import date
from io import BytesIO

import docx
import pytest
from django.contrib.auth.models import User
from django.test import Client
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table

from luoshi.alerts.models import Warning
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.projects.actions import blockers as blocker_actions
from luoshi.projects.actions import dispatch as dispatch_actions
from luoshi.projects.models import DispatchMeeting
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.dispatch_fixtures import Past, clock_fixture, past_fixture, red_hub_fixture, url  # noqa: F401

pytestmark = pytest.mark.usefixtures("clock")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def this_week(world: World, ledger: Ledger, past: Past, red_hub: Warning) -> DispatchMeeting:
    user = world.user("supervisor")
    meeting = dispatch_actions.open_meeting(
        world.zone, date(2026, 12, 10), "王副区长", "区发改局、区科技局", user
    )
    dispatch_actions.update_meeting(
        meeting, {"notes": "会议听取了重点项目推进情况。\n会议要求各单位抓紧落实。"}, user
    )
    blocker_actions.raise_blocker(ledger.hub, {"description": "征地拆迁未完成"}, date(2026, 11, 1), None)
    blocker_actions.raise_blocker(
        ledger.factory, {"description": "施工许可未办结", "unit": world.tech}, date(2026, 11, 2), None
    )
    dispatch_actions.record_decision(
        meeting, {"text": "12月20日前完成征地", "project": ledger.hub, "due": date(2026, 12, 20)}, user
    )
    return meeting


def _document(client: Client, meeting: DispatchMeeting) -> docx.document.Document:
    response = client.get(url("dispatch_docx", meeting.pk))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''2026")
    return docx.Document(BytesIO(response.content))


def _mm(length: Length | None) -> int:
    assert length is not None
    return round(length.mm)


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_minutes_in_the_official_layout(
    world: World, login: Callable[[User], Client], ledger: Ledger, this_week: DispatchMeeting
) -> None:
    document = _document(login(world.user("viewer")), this_week)
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:4] == [
        "甲高新区重点项目第2期周调度会议纪要",
        "2026年12月10日",
        "主持人：王副区长",
        "参会单位及人员：区发改局、区科技局",
    ]
    assert "会议听取了重点项目推进情况。" in paragraphs and "会议要求各单位抓紧落实。" in paragraphs
    headings = ["一、上期议定事项落实情况", "二、滞后项目", "三、存在问题及责任单位", "四、本期议定事项"]
    assert [p for p in paragraphs if p in headings] == headings
    carried, lagging, blockers, decisions = document.tables
    assert all(table.style is not None and table.style.name == "Table Grid" for table in document.tables)

    assert _rows(carried)[1:] == [
        ["1", "第1期：协调供电公司接入线路", "区发展和改革局", "2026年12月20日", "落实中"],
        ["2", "第1期：报送科创中心用地手续清单", "区发展和改革局", "", "已落实（2026年12月5日）\n已报送"],
    ]
    assert _rows(lagging)[0][1] == "项目名称"
    assert [row[1] for row in _rows(lagging)[1:]] == ["科创中心", "智能装备产业园"]
    assert _rows(lagging)[2][3:] == [
        "6,000",
        "1,000",
        "16.7%",
        "落后序时66.7个百分点",
        "区科技创新局",
        "王副区长",
    ]
    assert _rows(lagging)[1][6] == "红色预警"
    # By the unit asked, else the project's lead unit: dev has two (one unit cell over both), tech one.
    assert [row[:4] for row in _rows(blockers)[1:]] == [
        ["区发展和改革局", "1", "智能装备产业园", "供电线路未接入"],
        ["区发展和改革局", "2", "科创中心", "征地拆迁未完成"],
        ["区科技创新局", "1", "智能装备产业园", "施工许可未办结"],
    ]
    assert blockers.cell(1, 0)._tc is blockers.cell(2, 0)._tc
    assert _rows(blockers)[1][6] == "10"  # days past the deadline at the meeting
    assert _rows(decisions)[1:] == [
        ["1", "12月20日前完成征地", "科创中心", "区发展和改革局", "2026年12月20日"]
    ]


def test_page_size_margins_fonts_and_page_numbers(
    world: World, login: Callable[[User], Client], this_week: DispatchMeeting
) -> None:
    document = _document(login(world.user("supervisor")), this_week)
    section = document.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert [_mm(m) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [_mm(m) for m in (section.left_margin, section.right_margin)] == [28, 26]
    title = document.paragraphs[0].runs[0]
    properties = title._element.rPr
    assert properties is not None and properties.rFonts is not None
    assert title.font.name == "SimSun" and properties.rFonts.get(qn("w:eastAsia")) == "宋体"
    footer = section.footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("— ") and footer.text.endswith(" —")


def test_an_empty_first_meeting(world: World, login: Callable[[User], Client]) -> None:
    meeting = dispatch_actions.open_meeting(world.zone, date(2026, 12, 10), "", "", None)
    document = _document(login(world.user("supervisor")), meeting)
    assert len(document.tables) == 0
    assert [p.text for p in document.paragraphs].count("无。") == 4


@pytest.mark.parametrize("persona", ["liaison", "liaison_dev", "outsider"])
def test_only_zone_wide_readers_download_it(
    world: World, login: Callable[[User], Client], this_week: DispatchMeeting, persona: str
) -> None:
    assert login(world.user(persona)).get(url("dispatch_docx", this_week.pk)).status_code == 404


def test_a_blocker_cleared_at_the_meeting_says_so(
    world: World, login: Callable[[User], Client], ledger: Ledger, this_week: DispatchMeeting
) -> None:
    blocker_actions.clear_blocker(ledger.blocker, "线路已接通", date(2026, 12, 10), None)
    blockers = _document(login(world.user("supervisor")), this_week).tables[2]
    assert _rows(blockers)[1][3] == "供电线路未接入\n已于2026年12月10日销号：线路已接通"


def test_the_minutes_download_is_audited_as_a_print(
    world: World, login: Callable[[User], Client], this_week: DispatchMeeting
) -> None:
    _document(login(world.user("viewer")), this_week)
    event = AuditEvent.objects.get(event="print")
    assert (event.user, event.object_id, event.detail) == (
        world.user("viewer"),
        str(this_week.pk),
        {"format": "docx"},
    )
