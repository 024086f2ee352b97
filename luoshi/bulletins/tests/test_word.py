"""The bulletin's Word file in the official layout (GB/T 9704-2012): page, 版头, body, annex tables, page numbers.

No database: the writers take a `Bulletin` built by hand. `sample` is shared with test_pdf.
"""

from datetime import date
from io import BytesIO

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Length, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from luoshi.bulletins.document import AnnexTable, Bulletin, Section
from luoshi.bulletins.word import bulletin_docx

TITLE = "关于2026年11月重点任务推进情况的通报"
PARAGRAPH = "11月，全区各责任单位围绕年度目标任务，狠抓工作落实，重点任务总体推进有序，多数指标完成序时进度。"
RANKED = 60  # rows in the annex: enough to run onto a second page


def sample(draft: bool = False) -> Bulletin:
    rows = [
        [str(n), f"第{n}责任单位", f"{100 - n * 0.5:.1f}", "按序时推进" if n % 3 else "滞后"]
        for n in range(1, 61)
    ]
    return Bulletin(
        office="甲高新区督查室",
        number=3,
        year=2026,
        period="2026-11",
        title=TITLE,
        dated=date(2026, 12, 5),
        sections=[
            Section("一、总体进展", [PARAGRAPH, "（一）项目建设提速。12个重点项目开工，完成投资18.6亿元。"]),
            Section(
                "二、存在问题", ["部分单位报送不及时，个别任务滞后序时进度。", "请各单位对照问题抓好整改。"]
            ),
        ],
        tables=[AnnexTable("附件1：单位排名", ["序号", "单位", "得分", "推进情况"], rows, "共60家单位")],
        draft=draft,
    )


def _open(bulletin: Bulletin) -> DocumentObject:
    return docx.Document(BytesIO(bulletin_docx(bulletin)))


def _paragraph(document: DocumentObject, text: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text == text)


def _east_asian(run: Run) -> str | None:
    properties = run._element.rPr
    assert properties is not None and properties.rFonts is not None
    return properties.rFonts.get(qn("w:eastAsia"))


def _mm(length: Length | None) -> float:
    assert length is not None
    return round(length.mm, 1)  # Word keeps twips: Mm(37) comes back 0.02 mm off


def test_a4_with_the_official_margins() -> None:
    section = _open(sample()).sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [_mm(m) for m in margins] == [37, 35, 28, 26]


def test_the_red_masthead() -> None:
    document = _open(sample())
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["督查通报", "第3期", "甲高新区督查室\t2026年12月5日"]
    mark = document.paragraphs[0].runs[0]
    assert mark.font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert _east_asian(mark) == "方正小标宋简体" and mark.font.size is not None and mark.font.size >= Pt(36)
    rule = document.paragraphs[2]._p.pPr
    assert rule is not None
    bottom = rule.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert bottom is not None and bottom.get(qn("w:color")) == "C00000" and bottom.get(qn("w:sz")) == "12"
    assert document.core_properties.title == f"督查通报 第3期 {TITLE}"
    assert document.core_properties.author == "甲高新区督查室"


def test_the_draft_marker_only_on_a_draft() -> None:
    assert "（草稿）" not in [p.text for p in _open(sample()).paragraphs]
    texts = [p.text for p in _open(sample(draft=True)).paragraphs]
    assert texts[:3] == ["督查通报", "（草稿）", "第3期"]


def test_title_and_body_fonts() -> None:
    document = _open(sample())
    title = _paragraph(document, TITLE)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].font.size == Pt(22)
    heading = _paragraph(document, "一、总体进展").runs[0]
    assert _east_asian(heading) == "黑体" and heading.font.size == Pt(16)
    body = _paragraph(document, PARAGRAPH)
    spacing = body.paragraph_format
    assert spacing.first_line_indent == Pt(32) and body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert spacing.line_spacing_rule == WD_LINE_SPACING.EXACTLY and spacing.line_spacing == Pt(28)
    for run in body.runs:
        assert run.font.size == Pt(16) and run.font.name == "FangSong" and _east_asian(run) == "仿宋_GB2312"


def test_a_sub_heading_opens_in_kai() -> None:
    runs = _paragraph(_open(sample()), "（一）项目建设提速。12个重点项目开工，完成投资18.6亿元。").runs
    assert [(r.text, _east_asian(r)) for r in runs] == [
        ("（一）项目建设提速。", "楷体_GB2312"),
        ("12个重点项目开工，完成投资18.6亿元。", "仿宋_GB2312"),
    ]


def test_the_annex_on_its_own_page_with_a_repeating_header() -> None:
    document = _open(sample())
    title = _paragraph(document, "附件1：单位排名")
    assert title.paragraph_format.page_break_before and _east_asian(title.runs[0]) == "黑体"
    (table,) = document.tables
    assert table.style is not None and table.style.name == "Table Grid"
    assert len(table.rows) == RANKED + 1
    assert [c.text for c in table.rows[0].cells] == ["序号", "单位", "得分", "推进情况"]
    assert [c.text for c in table.rows[1].cells] == ["1", "第1责任单位", "99.5", "按序时推进"]
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None
    assert _east_asian(table.rows[0].cells[0].paragraphs[0].runs[0]) == "黑体"
    cell = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert _east_asian(cell) == "仿宋_GB2312" and cell.font.size == Pt(10.5)
    assert document.paragraphs[-1].text == "共60家单位"


@pytest.mark.parametrize("side", ["footer", "even_page_footer"])
def test_page_numbers_in_the_footer(side: str) -> None:
    document = _open(sample())
    assert document.settings.odd_and_even_pages_header_footer
    footer = getattr(document.sections[0], side)
    paragraph = footer.paragraphs[0]
    assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
    fields = [e.text for e in paragraph._p.iter(qn("w:instrText"))]
    assert fields == ["PAGE"]
    expected = WD_ALIGN_PARAGRAPH.RIGHT if side == "footer" else WD_ALIGN_PARAGRAPH.LEFT
    assert paragraph.alignment == expected and paragraph.runs[0].font.size == Pt(14)
