"""The 督查通报 as a PDF, laid out like the Word file, for reading on screen and for the record.

The same page as `luoshi.bulletins.word`: A4 with the margins of GB/T 9704-2012, the red mark "督查通报", 第N期, the
office and the date over a red rule, the title, the sections with their paragraphs indented two characters at 28 pt
a line, each annex table on a page of its own with its header row repeated, and "— N —" under the text at the
outer edge (odd pages right, even pages left). A PDF carries its font, and the server has one CJK font, WenQuanYi
Micro Hei (`luoshi.alerts.prints._pdf_font` registers it, or refuses with PrintUnavailable, which the caller shows
the user), so headings differ from the body by size and place rather than by typeface.
"""

from functools import partial
from io import BytesIO
from typing import Any

from django.conf import settings
from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from luoshi.alerts.prints import MARGINS_MM, PrintUnavailable, _markup, _pdf_font
from luoshi.bulletins.document import AnnexTable, Bulletin
from luoshi.bulletins.word import (
    BODY_PT,
    LINE_PT,
    MARK_PT,
    NOTE_PT,
    RED,
    TABLE_PT,
    TITLE_PT,
    Masthead,
    masthead,
)

__all__ = ["PrintUnavailable", "bulletin_pdf"]

TEXT_WIDTH = A4[0] - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm
FOLIO_PT = 14  # 四号
Styles = dict[str, ParagraphStyle]


def bulletin_pdf(doc: Bulletin) -> bytes:
    """The bulletin as PDF bytes; PrintUnavailable when the server has no CJK font."""
    with translation.override(settings.LANGUAGE_CODE):
        font = _pdf_font()
    head = masthead(doc)
    styles = _styles(font)
    story = _masthead(head, doc.office, styles)
    story.append(Paragraph(_markup(doc.title), styles["title"]))
    for section in doc.sections:
        story.append(Paragraph(_markup(section.title), styles["heading"]))
        story.extend(Paragraph(_markup(text), styles["body"]) for text in section.paragraphs)
    for annex in doc.tables:
        story.extend(_annex(annex, styles))
    out = BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=MARGINS_MM["top"] * mm,
        bottomMargin=MARGINS_MM["bottom"] * mm,
        leftMargin=MARGINS_MM["left"] * mm,
        rightMargin=MARGINS_MM["right"] * mm,
        title=head.caption,
        author=doc.office,
    )
    folio = partial(_folio, font)
    template.build(story, onFirstPage=folio, onLaterPages=folio)
    return out.getvalue()


def _styles(font: str) -> Styles:
    def style(name: str, size: float, leading: float, **kwargs: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kwargs)

    red = colors.HexColor(f"#{RED}")
    return {
        "mark": style("mark", MARK_PT, MARK_PT * 1.3, alignment=TA_CENTER, textColor=red),
        "draft": style("draft", BODY_PT, LINE_PT, alignment=TA_CENTER, textColor=red),
        "number": style("number", BODY_PT, LINE_PT, alignment=TA_CENTER, spaceBefore=12),
        "office": style("office", BODY_PT, LINE_PT, alignment=TA_LEFT),
        "dated": style("dated", BODY_PT, LINE_PT, alignment=TA_RIGHT),
        "title": style("title", TITLE_PT, TITLE_PT * 1.5, alignment=TA_CENTER, spaceAfter=LINE_PT),
        "heading": style("heading", BODY_PT, LINE_PT, firstLineIndent=BODY_PT * 2, keepWithNext=1),
        "body": style("body", BODY_PT, LINE_PT, firstLineIndent=BODY_PT * 2, alignment=TA_JUSTIFY),
        "annex": style("annex", BODY_PT, LINE_PT, spaceAfter=12),
        "th": style("th", TABLE_PT, TABLE_PT * 1.4, alignment=TA_CENTER),
        "td": style("td", TABLE_PT, TABLE_PT * 1.4),
        "note": style("note", NOTE_PT, NOTE_PT * 1.5, spaceBefore=6),
    }


def _masthead(head: Masthead, office: str, styles: Styles) -> list[Flowable]:
    """The 版头: the red mark, the draft marker, 第N期, then the office (左空一字) and date (右空一字) over a red rule."""
    story: list[Flowable] = [Paragraph(_markup(head.mark), styles["mark"])]
    if head.draft:
        story.append(Paragraph(_markup(head.draft), styles["draft"]))
    story.append(Paragraph(_markup(head.number), styles["number"]))
    issued = Table(
        [[Paragraph(_markup(office), styles["office"]), Paragraph(_markup(head.dated), styles["dated"])]],
        colWidths=[TEXT_WIDTH * 0.6, TEXT_WIDTH * 0.4],
    )
    issued.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (0, 0), BODY_PT),
                ("RIGHTPADDING", (1, 0), (1, 0), BODY_PT),
                ("LEFTPADDING", (1, 0), (1, 0), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 0),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    story += [Spacer(1, 12), issued]
    story.append(
        HRFlowable(width="100%", thickness=1.5, color=colors.HexColor(f"#{RED}"), spaceAfter=LINE_PT)
    )
    return story


def _column_widths(annex: AnnexTable) -> list[float]:
    """Columns share the width by their longest text, a short column getting at least two characters' room."""
    weights = []
    for n, name in enumerate(annex.columns):
        longest = max([len(name), *(len(row[n]) for row in annex.rows if n < len(row))])
        weights.append(min(max(longest, 2), 20))
    return [TEXT_WIDTH * weight / sum(weights) for weight in weights]


def _annex(annex: AnnexTable, styles: Styles) -> list[Flowable]:
    width = len(annex.columns)
    rows = [[Paragraph(_markup(name), styles["th"]) for name in annex.columns]]
    for values in annex.rows:
        padded = [*values[:width], *[""] * (width - len(values))]  # an edited row may come short
        rows.append([Paragraph(_markup(text), styles["td"]) for text in padded])
    table = Table(rows, colWidths=_column_widths(annex), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story: list[Flowable] = [PageBreak(), Paragraph(_markup(annex.title), styles["annex"]), table]
    if annex.note:
        story.append(Paragraph(_markup(annex.note), styles["note"]))
    return story


def _folio(font: str, canvas: Canvas, template: SimpleDocTemplate) -> None:
    """The page number, "— N —", 7 mm under the text, one character in from the outer edge: right on odd pages, left on even."""
    page = canvas.getPageNumber()
    text = f"— {page} —"
    baseline = MARGINS_MM["bottom"] * mm - 7 * mm - FOLIO_PT
    canvas.saveState()
    canvas.setFont(font, FOLIO_PT)
    if page % 2:
        canvas.drawRightString(A4[0] - MARGINS_MM["right"] * mm - FOLIO_PT, baseline, text)
    else:
        canvas.drawString(MARGINS_MM["left"] * mm + FOLIO_PT, baseline, text)
    canvas.restoreState()
