"""The order printed in the official layout: Word and PDF."""

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import docx
import pytest

from luoshi.alerts import orders, prints
from luoshi.alerts.tests.conftest import at, order_url
from luoshi.audit.models import AuditEvent

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
needs_font = pytest.mark.skipif(not prints.CJK_FONT.is_file(), reason="fonts-wqy-microhei is not installed")


@pytest.fixture
def closed(world, order):
    orders.sign_order(order, world.user("liaison"), at(2026, 7, 1, 10))
    orders.submit_feedback(
        order, "已完成12家企业申报\n另有3家正在辅导", world.user("liaison"), at(2026, 7, 10, 9)
    )
    return orders.close_order(order, "good", "按时完成", world.user("supervisor"), at(2026, 7, 11, 9))


def test_docx_in_the_official_layout(world, login, clock, closed):
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
        ["反馈情况", "已完成12家企业申报\n另有3家正在辅导"],
        ["评价", "良好　按时完成"],
    ]
    assert document.tables[0].style.name == "Table Grid"
    assert paragraphs[-2:] == ["甲高新区督查室", "2026年7月1日"]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]
    title = document.paragraphs[0].runs[0]
    fonts = title._element.rPr.rFonts
    assert (
        title.font.name == "方正小标宋简体" and fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "方正小标宋简体"
    )


def test_an_open_order_leaves_room_to_write(world, login, clock, order):
    document = docx.Document(
        BytesIO(login(world.user("liaison")).get(order_url("order_docx", order)).content)
    )
    rows = {row.cells[0].text: row.cells[1] for row in document.tables[0].rows}
    assert rows["反馈情况"].text.strip() == "" and len(rows["反馈情况"].paragraphs) == 2


@needs_font
def test_pdf_with_the_chinese_font_embedded(world, login, clock, closed):
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


def test_pdf_without_the_font_says_so(world, login, clock, order, monkeypatch):
    monkeypatch.setattr(prints, "CJK_FONT", Path("/nonexistent/wqy-microhei.ttc"))
    monkeypatch.setattr(prints, "PDF_FONT_NAME", "MissingFontForTest")
    response = login(world.user("supervisor")).get(order_url("order_pdf", order), follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "服务器缺少中文字体" in shown[0] and "fonts-wqy-microhei" in shown[0]


@pytest.mark.parametrize("persona", ["liaison_dev", "outsider"])
def test_prints_follow_the_order_access(world, login, clock, order, persona):
    client = login(world.user(persona))
    assert client.get(order_url("order_docx", order)).status_code == 404
    assert client.get(order_url("order_pdf", order)).status_code == 404


def test_the_print_is_audited(world, login, clock, order):
    assert login(world.user("viewer")).get(order_url("order_docx", order)).status_code == 200
    event = AuditEvent.objects.get(event="print")
    assert (event.user, event.zone, event.object_id) == (world.user("viewer"), world.zone, str(order.pk))
