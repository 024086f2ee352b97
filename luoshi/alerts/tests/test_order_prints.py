"""The order printed in the official layout: Word and PDF."""

import re
import shutil
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import docx
import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from docx.oxml.ns import qn
from docx.shared import Length

from luoshi.alerts import orders, prints
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, order_url
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
needs_font = pytest.mark.skipif(not prints.CJK_FONT.is_file(), reason="fonts-wqy-microhei is not installed")


def _mm(length: Length | None) -> int:
    assert length is not None
    return round(length.mm)


@pytest.fixture
def closed(world: World, order: SupervisionOrder) -> SupervisionOrder:
    orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))
    orders.submit_feedback(
        order, "已完成12家企业申报\n另有3家正在辅导", world.user("liaison"), at(2026, 7, 10, 9)
    )
    return orders.close_order(order, "good", "按时完成", world.user("supervisor"), at(2026, 7, 11, 9))


def test_docx_in_the_official_layout(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, closed: SupervisionOrder
) -> None:
    response = login(world.user("viewer")).get(order_url("order_docx", closed))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert "attachment; filename*=UTF-8''%E7%9D%A3" in response["Content-Disposition"]  # 督字〔2026〕1号.docx
    document = docx.Document(BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:2] == ["督 办 单", "督字〔2026〕1号"]
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows == [
        ["督办事项", "加快高企培育进度（事项：1.培育高新技术企业）"],
        ["责任单位", "区科技创新局"],
        ["督办要求", "请于7月15日前报送高企申报推进情况"],
        ["办理时限", "2026年7月15日"],
        ["领导批示", "\n"],  # an empty box, as on the paper form
        ["反馈情况", "已完成12家企业申报\n另有3家正在辅导"],
        ["评价", "良好　按时完成"],
    ]
    style = document.tables[0].style
    assert style is not None and style.name == "Table Grid"
    assert paragraphs[-2:] == ["甲高新区督查室", "2026年7月1日"]
    section = document.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert [_mm(m) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [_mm(m) for m in (section.left_margin, section.right_margin)] == [28, 26]
    title = document.paragraphs[0].runs[0]
    properties = title._element.rPr
    assert properties is not None
    fonts = properties.rFonts
    assert fonts is not None
    assert title.font.name == "方正小标宋简体" and fonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_an_open_order_leaves_room_to_write(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, order: SupervisionOrder
) -> None:
    document = docx.Document(
        BytesIO(login(world.user("liaison")).get(order_url("order_docx", order)).content)
    )
    rows = {row.cells[0].text: row.cells[1] for row in document.tables[0].rows}
    assert rows["反馈情况"].text.strip() == "" and len(rows["反馈情况"].paragraphs) == 2


@needs_font
def test_pdf_with_the_chinese_font_embedded(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, closed: SupervisionOrder
) -> None:
    response = login(world.user("supervisor")).get(order_url("order_pdf", closed))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    assert re.search(rb"/BaseFont /[A-Z]{6}\+WenQuanYiMicroHei", content)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
        text = text.replace(" ", "")
        for words in (
            "督办单",
            "督字〔2026〕1号",
            "区科技创新局",
            "请于7月15日前报送高企申报推进情况",
            "甲高新区督查室",
        ):
            assert words in text


def test_pdf_without_the_font_says_so(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prints, "CJK_FONT", Path("/nonexistent/wqy-microhei.ttc"))
    monkeypatch.setattr(prints, "PDF_FONT_NAME", "MissingFontForTest")
    response = login(world.user("supervisor")).get(order_url("order_pdf", order), follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "服务器缺少中文字体" in shown[0] and "fonts-wqy-microhei" in shown[0]


@pytest.mark.parametrize("persona", ["liaison_dev", "outsider"])
def test_prints_follow_the_order_access(
    world: World,
    login: Callable[[User], Client],
    clock: time_machine.Traveller,
    order: SupervisionOrder,
    persona: str,
) -> None:
    client = login(world.user(persona))
    assert client.get(order_url("order_docx", order)).status_code == 404
    assert client.get(order_url("order_pdf", order)).status_code == 404


def test_the_print_is_audited(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, order: SupervisionOrder
) -> None:
    assert login(world.user("viewer")).get(order_url("order_docx", order)).status_code == 200
    event = AuditEvent.objects.get(event="print")
    assert (event.user, event.zone, event.object_id) == (world.user("viewer"), world.zone, str(order.pk))


@pytest.fixture
def instructed(world: World, order: SupervisionOrder) -> SupervisionOrder:
    """Escalated on 18 July, instructed twice by its leader (named 李主任 here, as people call them)."""
    leader = world.user("leader")
    leader.first_name = "李主任"
    leader.save(update_fields=["first_name"])
    orders.escalate_order(order, world.user("supervisor"), at(2026, 7, 18, 9))
    orders.instruct_order(order, "请三日内拿出整改方案", leader, at(2026, 7, 18, 10))
    return orders.instruct_order(order, "督查室跟踪落实", leader, at(2026, 7, 20, 9))


def test_docx_has_the_leaders_instructions(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, instructed: SupervisionOrder
) -> None:
    document = docx.Document(
        BytesIO(login(world.user("liaison")).get(order_url("order_docx", instructed)).content)
    )
    rows = [row.cells[0].text for row in document.tables[0].rows]
    assert rows.index("办理时限") + 1 == rows.index("领导批示") == rows.index("反馈情况") - 1
    box = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}["领导批示"]
    assert box == "请三日内拿出整改方案\n——李主任　2026年7月18日\n督查室跟踪落实\n——李主任　2026年7月20日"


@needs_font
def test_pdf_has_the_leaders_instructions(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller, instructed: SupervisionOrder
) -> None:
    content = login(world.user("leader")).get(order_url("order_pdf", instructed)).content
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
        text = text.replace(" ", "")
        for words in ("领导批示", "请三日内拿出整改方案", "——李主任　2026年7月18日", "督查室跟踪落实"):
            assert words in text
