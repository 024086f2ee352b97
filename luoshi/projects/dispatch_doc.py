"""The minutes of a weekly dispatch meeting (周调度会议纪要) as a Word file in the official layout: the title
"甲高新区重点项目第3期周调度会议纪要", the date, chair and attendees, the notes, then four sections as bordered
tables — 一、上期议定事项落实情况 二、滞后项目 三、存在问题及责任单位 四、本期议定事项 — on A4 with the margins
of GB/T 9704-2012 (shared with the supervision order's print) and the page number in the footer ("— 1 —").
Fonts are named both ways (SimSun and 宋体 for East Asian text) so Word and LibreOffice find them."""

from collections.abc import Sequence
from io import BytesIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from luoshi.alerts.choices import Level
from luoshi.alerts.prints import MARGINS_MM, chinese_date
from luoshi.projects.agenda import Agenda
from luoshi.projects.choices import BlockerStatus, DecisionStatus
from luoshi.projects.models import Blocker
from luoshi.projects.templatetags.project_figures import money, percent

# (Latin name, East Asian name): 宋体 stands in for 方正小标宋 in the title, which not every office has.
SONG, HEI = ("SimSun", "宋体"), ("SimHei", "黑体")
TITLE_PT, HEADING_PT, BODY_PT, TABLE_PT = 22, 16, 14, 10.5  # 二号, 三号, 四号, 五号


def _run(paragraph: Paragraph, text: str, font: tuple[str, str], size: float, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.font.bold = font[0], Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font[1])


def _paragraph(
    document: DocumentObject,
    text: str,
    font: tuple[str, str] = SONG,
    size: float = BODY_PT,
    align: WD_ALIGN_PARAGRAPH | None = None,
    bold: bool = False,
    indent: bool = False,
) -> Paragraph:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(6)
    if indent:  # 首行缩进两字
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _run(paragraph, text, font, size, bold)
    return paragraph


def _table(document: DocumentObject, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"  # single borders all round
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, HEI, TABLE_PT)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            lines = text.splitlines() or [""]
            _run(cell.paragraphs[0], lines[0], SONG, TABLE_PT)
            for line in lines[1:]:
                _run(cell.add_paragraph(), line, SONG, TABLE_PT)
    document.add_paragraph()
    return table


def _page_number(paragraph: Paragraph) -> None:
    """The page number as "— N —" (GB/T 9704): a PAGE field that Word and LibreOffice fill in per page."""
    _run(paragraph, "— ", SONG, BODY_PT)
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", "PAGE"), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
    run.font.name, run.font.size = SONG[0], Pt(BODY_PT)
    _run(paragraph, " —", SONG, BODY_PT)


def _carried_rows(plan: Agenda) -> list[list[str]]:
    rows = []
    for n, decision in enumerate(plan.carried, 1):
        if decision.status == DecisionStatus.DONE and decision.done_on:
            state = _("已落实（%(date)s）") % {"date": chinese_date(decision.done_on)}
            state += f"\n{decision.outcome}" if decision.outcome else ""
        else:
            state = str(decision.get_status_display())
        text = _("第%(number)d期：%(text)s") % {"number": decision.meeting.number, "text": decision.text}
        due = chinese_date(decision.due) if decision.due else ""
        rows.append([str(n), text, decision.unit.name if decision.unit else "", due, state])
    return rows


def _lagging_rows(plan: Agenda) -> list[list[str]]:
    rows = []
    for n, row in enumerate(plan.lagging, 1):
        project, pace = row.project, row.pace
        notes = []
        if row.gap is not None and row.gap > 0:
            notes.append(_("落后序时%(gap)s个百分点") % {"gap": percent(row.gap)})
        if row.level:
            notes.append(_("%(level)s预警") % {"level": Level(row.level).label})
        rows.append(
            [
                str(n),
                project.name,
                str(project.get_stage_display()),
                money(project.annual_plan_wan),
                money(pace.actual_wan) if pace else money(project.completed_wan),
                f"{percent(pace.completion)}%" if pace and pace.completion is not None else "—",
                "；".join(notes),
                project.lead_unit.name if project.lead_unit else "",
                project.leader,
            ]
        )
    return rows


def _cleared(blocker: Blocker) -> str:
    """The problem, and when it was cleared if that happened at or after the meeting."""
    if blocker.status != BlockerStatus.CLEARED or blocker.cleared_on is None:
        return blocker.description
    cleared = _("已于%(date)s销号") % {"date": chinese_date(blocker.cleared_on)}
    return f"{blocker.description}\n{cleared}" + (f"：{blocker.resolution}" if blocker.resolution else "")


def _blocker_table(document: DocumentObject, plan: Agenda) -> None:
    header = [_("责任单位"), _("序号"), _("项目"), _("存在问题"), _("类别"), _("解决时限"), _("逾期天数")]
    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    for group in plan.blocker_units:
        spans.append((len(rows) + 1, len(group.rows)))
        for n, row in enumerate(group.rows, 1):
            blocker = row.blocker
            rows.append(
                [
                    group.unit.name if group.unit else _("未明确责任单位"),
                    str(n),
                    blocker.project.name,
                    _cleared(blocker),
                    str(blocker.get_category_display()),
                    chinese_date(blocker.deadline) if blocker.deadline else "",
                    str(row.days_over) if row.days_over else "",
                ]
            )
    table = _table(document, header, rows)
    for first, count in spans:  # one unit cell over its blockers
        if count > 1:
            top = table.cell(first, 0)
            text = top.text
            merged = top.merge(table.cell(first + count - 1, 0))
            for paragraph in merged.paragraphs[1:]:
                paragraph._element.getparent().remove(paragraph._element)
            merged.paragraphs[0].clear()
            _run(merged.paragraphs[0], text, SONG, TABLE_PT)


def _section(document: DocumentObject, heading: str, empty: bool) -> bool:
    _paragraph(document, heading, HEI, HEADING_PT)
    if empty:
        _paragraph(document, _("无。"), indent=True)
    return not empty


def meeting_docx(plan: Agenda) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return _build(plan)


def _page_setup(document: DocumentObject) -> None:
    """A4 with the official-document margins and the page number centred in the footer."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)


def _decision_rows(plan: Agenda) -> list[list[str]]:
    return [
        [
            str(n),
            d.text,
            d.project.name if d.project else "",
            d.unit.name if d.unit else "",
            chinese_date(d.due) if d.due else "",
        ]
        for n, d in enumerate(plan.decisions, 1)
    ]


def _build(plan: Agenda) -> bytes:
    meeting = plan.meeting
    document = Document()
    _page_setup(document)

    title = _("%(zone)s重点项目第%(number)d期周调度会议纪要") % {
        "zone": meeting.zone.name,
        "number": meeting.number,
    }
    _paragraph(document, title, SONG, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    _paragraph(document, chinese_date(meeting.held_on), align=WD_ALIGN_PARAGRAPH.CENTER)
    if meeting.chair:
        _paragraph(document, _("主持人：%(chair)s") % {"chair": meeting.chair})
    if meeting.attendees:
        _paragraph(document, _("参会单位及人员：%(attendees)s") % {"attendees": meeting.attendees})
    for line in meeting.notes.splitlines():
        if line.strip():
            _paragraph(document, line.strip(), indent=True)

    if _section(document, _("一、上期议定事项落实情况"), not plan.carried):
        header = [_("序号"), _("议定事项"), _("落实单位"), _("完成时限"), _("落实情况")]
        _table(document, header, _carried_rows(plan))
    if _section(document, _("二、滞后项目"), not plan.lagging):
        header = [
            _("序号"),
            _("项目名称"),
            _("所处阶段"),
            _("年度计划（万元）"),
            _("累计完成（万元）"),
            _("完成率"),
            _("滞后情况"),
            _("责任单位"),
            _("包抓领导"),
        ]
        _table(document, header, _lagging_rows(plan))
    if _section(document, _("三、存在问题及责任单位"), not plan.blocker_units):
        _blocker_table(document, plan)
    if _section(document, _("四、本期议定事项"), not plan.decisions):
        header = [_("序号"), _("议定事项"), _("项目"), _("落实单位"), _("完成时限")]
        _table(document, header, _decision_rows(plan))

    core = document.core_properties
    core.title, core.author = title, _("%(zone)s督查室") % {"zone": meeting.zone.name}
    out = BytesIO()
    document.save(out)
    return out.getvalue()
