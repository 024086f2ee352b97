"""The bulletin's PDF: the Chinese text comes back out of it, it runs over pages numbered "— N —", and a server
without the CJK font refuses with PrintUnavailable. No database."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from luoshi.alerts import prints
from luoshi.bulletins.pdf import PrintUnavailable, bulletin_pdf
from luoshi.bulletins.tests.test_word import PARAGRAPH, TITLE, sample

needs_font = pytest.mark.skipif(
    not prints.CJK_FONT.is_file(),
    reason=f"the CJK font {prints.CJK_FONT} is missing (apt install fonts-wqy-microhei)",
)


def _text(reader: PdfReader) -> str:
    """All the pages' text, without the spaces and line breaks that CJK extraction puts in."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@needs_font
def test_the_bulletin_as_pdf() -> None:
    content = bulletin_pdf(sample())
    assert content.startswith(b"%PDF")
    assert re.search(rb"/BaseFont /[A-Z]{6}\+WenQuanYiMicroHei", content)  # embedded, as a subset
    reader = PdfReader(BytesIO(content))
    assert len(reader.pages) > 1
    text = _text(reader)
    for words in ("督查通报", "第3期", "甲高新区督查室", "2026年12月5日", TITLE, PARAGRAPH, "一、总体进展"):
        assert re.sub(r"\s+", "", words) in text
    for words in ("附件1：单位排名", "推进情况", "第60责任单位", "共60家单位"):
        assert words in text
    assert "—1—" in text and "—2—" in text
    assert "草稿" not in text
    assert reader.metadata is not None
    assert reader.metadata.title == f"督查通报 第3期 {TITLE}" and reader.metadata.author == "甲高新区督查室"


@needs_font
def test_the_annex_starts_a_page_and_repeats_its_header() -> None:
    reader = PdfReader(BytesIO(bulletin_pdf(sample())))
    # each page's text without its number, which is drawn first
    pages = [re.sub(r"^—\d+—", "", re.sub(r"\s+", "", page.extract_text())) for page in reader.pages]
    with_annex = [n for n, text in enumerate(pages) if "第1责任单位" in text or "第60责任单位" in text]
    assert len(with_annex) >= 2  # the table runs over pages
    first = with_annex[0]
    assert pages[first].startswith("附件1：单位排名") and "二、存在问题" not in pages[first]
    for n in with_annex:
        assert "序号单位得分推进情况" in pages[n]


@needs_font
def test_a_draft_says_so() -> None:
    text = _text(PdfReader(BytesIO(bulletin_pdf(sample(draft=True)))))
    assert "督查通报（草稿）第3期" in text


def test_without_the_font_it_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    # `_pdf_font` keeps the font once registered under its name: a fresh name makes it look for the file again.
    monkeypatch.setattr(prints, "CJK_FONT", Path("/nonexistent/wqy-microhei.ttc"))
    monkeypatch.setattr(prints, "PDF_FONT_NAME", "MissingFontForBulletinTest")
    with pytest.raises(PrintUnavailable, match="fonts-wqy-microhei"):
        bulletin_pdf(sample())
