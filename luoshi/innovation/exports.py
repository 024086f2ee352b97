"""The ranking and a bank list as the office prints and sends them: the shared table layout, text kept text."""

from django.utils.translation import gettext as _
from openpyxl.styles import Font

from luoshi.innovation.choices import Industry
from luoshi.innovation.framework import Framework as Rules
from luoshi.innovation.models import BankList, Run, Score
from luoshi.sheets.cells import append_row
from luoshi.sheets.layout import (
    column_widths,
    freeze_below,
    header_row,
    new_sheet,
    print_setup,
    style_range,
    subtitle_row,
    title_row,
    workbook_bytes,
)

TITLE_FONT = Font(name="方正小标宋简体", size=16, bold=True)


def _rows(scores: list[Score], rules: Rules) -> list[list[object]]:
    stages = {s.code: s.name for s in rules.stages}
    industries = dict(Industry.choices)
    return [
        [
            s.rank or "", s.enterprise.name, s.enterprise.credit_code, stages.get(s.stage, s.stage),
            str(industries.get(s.enterprise.industry, "")), s.enterprise.park.name if s.enterprise.park else "",
            round(s.points, 2), round(s.core, 2), round(s.bonus, 2), round(s.penalty, 2),
            s.stage_rank or "", _("一票否决") if s.tier == "ineligible" else s.tier,
        ]
        for s in scores
    ]  # fmt: skip


HEADERS = [
    "名次",
    "企业名称",
    "统一社会信用代码",
    "发展阶段",
    "所属行业",
    "所在园区",
    "创新积分",
    "核心得分",
    "加分",
    "扣分",
    "阶段内名次",
    "档次",
]
WIDTHS = [7, 34, 22, 10, 22, 14, 10, 10, 8, 8, 11, 9]


def _table(title: str, subtitle: str, rows: list[list[object]]) -> bytes:
    book, ws = new_sheet(title)
    width = len(HEADERS)
    title_row(ws, 1, title, width, TITLE_FONT, height=30)
    subtitle_row(ws, 2, subtitle, width)
    top = header_row(ws, [_(h) for h in HEADERS], row=3)
    for row in rows:
        append_row(ws, row)
    if rows:
        style_range(ws, (top + 1, top + len(rows)), width)
    column_widths(ws, WIDTHS)
    freeze_below(ws, top, columns=2)
    print_setup(ws, (top, top))
    return workbook_bytes(book)


def ranking_workbook(run: Run, rules: Rules, scores: list[Score]) -> bytes:
    title = _("%(year)d年企业创新积分排行") % {"year": run.year}
    subtitle = _("积分框架：%(name)s（第%(number)d版）　计分时间：%(at)s") % {
        "name": run.version.framework.name, "number": run.version.number, "at": run.created_at.strftime("%Y-%m-%d %H:%M"),
    }  # fmt: skip
    return _table(title, subtitle, _rows(scores, rules))


def bank_list_workbook(bank_list: BankList, rules: Rules, scores: list[Score]) -> bytes:
    subtitle = _("%(year)d年度创新积分　名单日期：%(dated)s　共 %(n)d 家（均已同意向金融机构推荐）") % {
        "year": bank_list.run.year, "dated": bank_list.dated.isoformat(), "n": len(scores),
    }  # fmt: skip
    return _table(bank_list.name, subtitle, _rows(scores, rules))


def template_workbook(title: str, headings: list[str], note: str) -> bytes:
    """An empty sheet to fill in: a title, a line saying how, and the heading row the import looks for."""
    book, ws = new_sheet(title)
    width = len(headings)
    title_row(ws, 1, title, width, TITLE_FONT, height=30)
    subtitle_row(ws, 2, note, width)
    top = header_row(ws, headings, row=3)
    column_widths(ws, [22, 34, *([14] * (width - 2))])
    freeze_below(ws, top, columns=2)
    for column in ("A",):  # credit codes typed as text, or Excel turns the all-digit ones into numbers
        for row in range(top + 1, top + 501):
            ws[f"{column}{row}"].number_format = "@"
    return workbook_bytes(book)
