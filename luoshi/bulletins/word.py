"""The 督查通报 as a Word file in the official layout, for the office to check, stamp and send.

It follows GB/T 9704-2012 as the zone's other prints do (`luoshi.alerts.prints`, `luoshi.projects.dispatch_doc`):
A4 with margins of 37, 35, 28 and 26 mm; a red 版头 — the mark "督查通报" in 方正小标宋简体, 第N期, the office and the
date on one line, a red rule; the title in 二号 小标宋; each section's title in 黑体 and its paragraphs in 仿宋_GB2312
三号 at an exact 28 pt, indented two characters; the annex tables each on a page of its own, their header row
repeated; and the page number "— N —" at the outer edge of the footer (odd pages right, even pages left). Fonts
are named both ways, a Latin name and an East Asian one, so that Word and LibreOffice find them. The fixed words
are in the site's language, like the other prints; everything else is the bulletin's own text.
"""

import re
from io import BytesIO
from typing import NamedTuple

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from luoshi.alerts.prints import MARGINS_MM, chinese_date
from luoshi.bulletins.document import AnnexTable, Bulletin, Section
from luoshi.projects.dispatch_doc import HEI, _page_number, _run

# (Latin name, East Asian name), as dispatch_doc names its fonts.
XIAOBIAOSONG = ("SimSun", "方正小标宋简体")
FANGSONG, KAI = ("FangSong", "仿宋_GB2312"), ("KaiTi", "楷体_GB2312")
MARK_PT, TITLE_PT, BODY_PT, NOTE_PT, TABLE_PT = 42, 22, 16, 12, 10.5  # 初号, 二号, 三号, 小四, 五号
LINE_PT = 28  # exact line spacing of the body: 22 lines to the page
RED = "C00000"
TEXT_WIDTH = Mm(210 - MARGINS_MM["left"] - MARGINS_MM["right"])
# "（一）……。" opens a paragraph with its sub-heading, set in 楷体.
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）[^。]*。")


class Masthead(NamedTuple):
    """The fixed words of the 版头, shared by the Word and the PDF writer."""

    mark: str  # 督查通报
    number: str  # 第3期
    draft: str  # （草稿）, or "" once issued
    dated: str  # 2026年12月5日
    caption: str  # the file's title: 督查通报 第3期 <title>


def masthead(doc: Bulletin) -> Masthead:
    with translation.override(settings.LANGUAGE_CODE):
        mark, number = _("督查通报"), _("第%(n)d期") % {"n": doc.number}
        return Masthead(
            mark=mark,
            number=number,
            draft=_("（草稿）") if doc.draft else "",
            dated=chinese_date(doc.dated),
            caption=f"{mark} {number} {doc.title}",
        )


def bulletin_docx(doc: Bulletin) -> bytes:
    head = masthead(doc)
    document = Document()
    _page_setup(document)
    _write_masthead(document, head, doc.office)
    title = _line(document, doc.title, XIAOBIAOSONG, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = Pt(LINE_PT)
    for section in doc.sections:
        _write_section(document, section)
    for annex in doc.tables:
        _write_annex(document, annex)
    core = document.core_properties
    core.title, core.author = head.caption, doc.office
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _page_setup(document: DocumentObject) -> None:
    """A4, the official margins, and "— N —" one character in from the outer edge, 7 mm under the text."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 5)  # the number's line is about 5 mm tall
    document.settings.odd_and_even_pages_header_footer = True
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    odd.alignment, odd.paragraph_format.right_indent = WD_ALIGN_PARAGRAPH.RIGHT, Pt(14)
    even.alignment, even.paragraph_format.left_indent = WD_ALIGN_PARAGRAPH.LEFT, Pt(14)
    for paragraph in (odd, even):
        _page_number(paragraph)


def _line(
    document: DocumentObject, text: str, font: tuple[str, str], size: float, align: WD_ALIGN_PARAGRAPH
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, font, size)
    return paragraph


def _red(paragraph: Paragraph) -> None:
    for run in paragraph.runs:
        run.font.color.rgb = RGBColor.from_string(RED)


def _write_masthead(document: DocumentObject, head: Masthead, office: str) -> None:
    mark = _line(document, head.mark, XIAOBIAOSONG, MARK_PT, WD_ALIGN_PARAGRAPH.CENTER)
    _red(mark)
    if head.draft:
        _red(_line(document, head.draft, HEI, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER))
    number = _line(document, head.number, FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER)
    number.paragraph_format.space_before = Pt(12)
    issued = _line(document, f"{office}\t{head.dated}", FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.LEFT)
    spacing = issued.paragraph_format
    spacing.space_before, spacing.space_after = Pt(12), Pt(LINE_PT)
    spacing.left_indent = Pt(BODY_PT)  # 左空一字 …
    spacing.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(BODY_PT), WD_TAB_ALIGNMENT.RIGHT)  # … 右空一字
    _rule(issued)


def _rule(paragraph: Paragraph) -> None:
    """The red rule under the 版头: the paragraph's bottom border, 1.5 pt (sz counts eighths of a point)."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "12"), ("space", "6"), ("color", RED)):
        bottom.set(qn(f"w:{name}"), value)
    border.append(bottom)
    # pBdr comes before these in a paragraph's properties (ECMA-376 CT_PPrBase).
    after = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
    paragraph._p.get_or_add_pPr().insert_element_before(border, *after)


def _body_format(paragraph: Paragraph) -> None:
    """仿宋 三号 body: first line indented two characters, exactly 28 pt a line."""
    spacing = paragraph.paragraph_format
    spacing.first_line_indent = Pt(BODY_PT * 2)
    spacing.line_spacing_rule, spacing.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    spacing.space_after = Pt(0)


def _write_section(document: DocumentObject, section: Section) -> None:
    heading = _line(document, section.title, HEI, BODY_PT, WD_ALIGN_PARAGRAPH.LEFT)
    _body_format(heading)
    heading.paragraph_format.keep_with_next = True
    for text in section.paragraphs:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _body_format(paragraph)
        match = SUBHEADING.match(text)
        lead = match.group(0) if match else ""
        if lead:
            _run(paragraph, lead, KAI, BODY_PT)
        if text[len(lead) :] or not lead:
            _run(paragraph, text[len(lead) :], FANGSONG, BODY_PT)


def _cell(cell: _Cell, text: str, font: tuple[str, str], align: WD_ALIGN_PARAGRAPH | None) -> None:
    lines = text.splitlines() or [""]
    paragraph = cell.paragraphs[0]
    for n, line in enumerate(lines):
        if n:
            paragraph = cell.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, line, font, TABLE_PT)


def _repeat_header(row: _Row) -> None:
    """The header row repeats at the top of every page the table runs onto (w:tblHeader)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _write_annex(document: DocumentObject, annex: AnnexTable) -> None:
    title = _line(document, annex.title, HEI, BODY_PT, WD_ALIGN_PARAGRAPH.LEFT)
    title.paragraph_format.page_break_before = True
    title.paragraph_format.space_after = Pt(12)
    width = len(annex.columns)
    table = document.add_table(rows=1, cols=width)
    table.style = "Table Grid"  # single borders all round
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, annex.columns, strict=True):
        _cell(cell, text, HEI, WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(table.rows[0])
    for values in annex.rows:
        padded = [*values[:width], *[""] * (width - len(values))]  # an edited row may come short
        for cell, text in zip(table.add_row().cells, padded, strict=True):
            _cell(cell, text, FANGSONG, None)
    if annex.note:
        note = _line(document, annex.note, FANGSONG, NOTE_PT, WD_ALIGN_PARAGRAPH.LEFT)
        note.paragraph_format.space_before = Pt(6)
