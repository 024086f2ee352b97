"""A supervision order printed in the official layout: a Word file for the office to stamp and send, and a PDF.

Both follow the usual 督办单: the title "督 办 单", the number line 督字〔2026〕12号, a bordered table (督办事项, 责任单位,
督办要求, 办理时限, 领导批示, 反馈情况, 评价) and the issuing office with the date at the foot, on A4 with the margins of
GB/T 9704-2012 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm). The Word file names the fonts offices have
(方正小标宋简体, 黑体, 仿宋_GB2312); the PDF embeds WenQuanYi Micro Hei, the CJK font Debian ships as
fonts-wqy-microhei (`make install` puts it there). Prints are in the site's language, like the orders' messages.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from luoshi.alerts.choices import OrderEventKind
from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.orders import person_name

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PDF_FONT_NAME = "WenQuanYiMicroHei"
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_FONT, LABEL_FONT, BODY_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312"


class PrintUnavailable(Exception):
    """The server cannot render the print (no CJK font); the message tells the administrator what to do."""


def chinese_date(day: date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


@dataclass(frozen=True)
class Sheet:
    """What the print shows, in words."""

    number: str
    rows: list[tuple[str, str]]
    office: str
    issued_on: str


def instructions(order: SupervisionOrder) -> str:
    """The 领导批示 box: each instruction, then who gave it and when (empty, for a hand-written one, when none)."""
    events = order.events.filter(kind=OrderEventKind.INSTRUCTED).select_related("by").order_by("at", "id")
    return "\n".join(
        _("%(text)s\n——%(leader)s　%(day)s")
        % {
            "text": event.text,
            "leader": person_name(event.by),
            "day": chinese_date(timezone.localdate(event.at)),
        }
        for event in events
    )


def sheet(order: SupervisionOrder) -> Sheet:
    with translation.override(settings.LANGUAGE_CODE):
        subject = order.subject
        if order.item is not None:
            subject += _("（事项：%(item)s）") % {"item": f"{order.item.code}{order.item.title}"}
        evaluation = ""
        if order.evaluation:
            evaluation = order.get_evaluation_display() + (f"　{order.comment}" if order.comment else "")
        rows = [
            (_("督办事项"), subject),
            (_("责任单位"), order.unit.name),
            (_("督办要求"), order.requirement),
            (_("办理时限"), chinese_date(order.deadline)),
            (_("领导批示"), instructions(order)),
            (_("反馈情况"), order.feedback),
            (_("评价"), evaluation),
        ]
        return Sheet(
            number=order.display_number,
            rows=rows,
            office=_("%(zone)s督查室") % {"zone": order.zone.name},
            issued_on=chinese_date(timezone.localdate(order.issued_at)),
        )


def _title() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("督 办 单")


# Word ---------------------------------------------------------------------------------------------------------


def order_docx(order: SupervisionOrder) -> bytes:
    data = sheet(order)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])

    def write(
        paragraph: DocxParagraph, text: str, font: str, size: float, bold: bool = False, red: bool = False
    ) -> None:
        run = paragraph.add_run(text)
        run.font.name, run.font.size, run.font.bold = font, Pt(size), bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)  # CJK text's font
        if red:
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)

    def line(
        text: str, font: str, size: float, align: WD_PARAGRAPH_ALIGNMENT, red: bool = False, after: float = 6
    ) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(after)
        write(paragraph, text, font, size, red=red)

    line(_title(), TITLE_FONT, 26, WD_ALIGN_PARAGRAPH.CENTER, red=True, after=12)  # 一号
    line(data.number, BODY_FONT, 16, WD_ALIGN_PARAGRAPH.CENTER, after=12)  # 三号
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"  # single borders all round
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in data.rows:
        row = table.add_row()
        cells = row.cells
        cells[0].width, cells[1].width = Mm(32), Mm(124)
        label_paragraph = cells[0].paragraphs[0]
        label_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        write(label_paragraph, label, LABEL_FONT, 14)  # 四号
        lines = value.splitlines() or [""]
        write(cells[1].paragraphs[0], lines[0], BODY_FONT, 14)
        for more in lines[1:]:
            write(cells[1].add_paragraph(), more, BODY_FONT, 14)
        if not value:  # room to write by hand, as tall as the PDF's
            cells[1].add_paragraph()
            row.height, row.height_rule = Mm(25), WD_ROW_HEIGHT_RULE.AT_LEAST
    document.add_paragraph()
    line(data.office, BODY_FONT, 16, WD_ALIGN_PARAGRAPH.RIGHT, after=0)
    line(data.issued_on, BODY_FONT, 16, WD_ALIGN_PARAGRAPH.RIGHT, after=0)
    core = document.core_properties
    core.title, core.author = f"{_title()} {data.number}", data.office
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# PDF ----------------------------------------------------------------------------------------------------------


def _pdf_font() -> str:
    """Register the CJK font once per process; a clear refusal when the server has none."""
    if PDF_FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return PDF_FONT_NAME
    unavailable = PrintUnavailable(
        _(
            "服务器缺少中文字体（文泉驿微米黑，%(path)s），无法生成 PDF。请管理员运行 make install 或安装 fonts-wqy-microhei；也可以下载 Word 版。"
        )
        % {"path": CJK_FONT}
    )
    if not CJK_FONT.is_file():
        raise unavailable
    try:
        pdfmetrics.registerFont(TTFont(PDF_FONT_NAME, str(CJK_FONT), subfontIndex=0))
    except (TTFError, OSError) as error:
        raise unavailable from error
    return PDF_FONT_NAME


def _markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in text.splitlines()) or "&nbsp;"


def order_pdf(order: SupervisionOrder) -> bytes:
    font = _pdf_font()
    data = sheet(order)

    def style(size: float, align: int = 0, **kwargs: Any) -> ParagraphStyle:
        return ParagraphStyle(
            f"s{size}{align}", fontName=font, fontSize=size, leading=size * 1.5, alignment=align,
            wordWrap="CJK", **kwargs,
        )  # fmt: skip

    title = style(26, TA_CENTER, textColor=colors.HexColor("#C00000"), spaceAfter=8)
    number, label, body, foot = (
        style(16, TA_CENTER, spaceAfter=10),
        style(14, TA_CENTER),
        style(14),
        style(16, TA_RIGHT),
    )
    width = A4[0] - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm
    # An empty feedback or evaluation row leaves room to write by hand.
    rows = [
        [Paragraph(_markup(k), label), [Paragraph(_markup(v), body)] if v else [Spacer(1, 25 * mm)]]
        for k, v in data.rows
    ]
    table = Table(rows, colWidths=[32 * mm, width - 32 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=MARGINS_MM["top"] * mm,
        bottomMargin=MARGINS_MM["bottom"] * mm,
        leftMargin=MARGINS_MM["left"] * mm,
        rightMargin=MARGINS_MM["right"] * mm,
        title=f"{_title()} {data.number}",
        author=data.office,
    )
    document.build(
        [
            Paragraph(_markup(_title()), title),
            Paragraph(_markup(data.number), number),
            table,
            Spacer(1, 12 * mm),
            Paragraph(_markup(data.office), foot),
            Paragraph(_markup(data.issued_on), foot),
        ]
    )
    return out.getvalue()
