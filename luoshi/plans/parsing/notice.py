"""Division-of-responsibility notices (分工方案, .docx or .txt) → ParsedPlan.

Numbered paragraphs are items; "牵头单位：…" lines (or "（牵头单位：…；完成时限：…）" inside the item) describe the
item above them. Rows are paragraph numbers: a .txt file's line numbers, a .docx file's non-empty paragraphs.
A .docx whose table has a task-table header (or a .txt of tab-separated lines, or a .csv) is read like a
sheet instead; rows and columns are then the table's."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from luoshi.lib.deadlines import parse_deadline
from luoshi.lib.numbering import Code, split_code
from luoshi.sheets.grid import Grid, column_letter
from luoshi.sheets.guard import MAX_ROWS, UploadRefused, capped, too_many_rows
from luoshi.sheets.problems import Problem, error, warning
from luoshi.sheets.text import CLOSE_BRACKETS, OPEN_BRACKETS

from ._docx import read_docx
from ._model import ParsedPlan, failed
from ._table import TableResult, parse_grid
from ._text import (
    UnitSource,
    assign_units,
    several_leads_message,
    split_title,
)
from ._tree import Item, build_tree, code_rank, dedupe, level_names

_LABELS = {
    "lead": ("牵头单位", "牵头部门", "主责单位", "主责部门"),
    "resp": ("责任单位", "责任部门"),
    "co": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位"),
    "due": ("完成时限", "时间节点", "完成时间", "时限要求"),
    "target": ("工作目标", "目标任务", "预期目标"),
}
_FIELD = {label: name for name, labels in _LABELS.items() for label in labels}
_LABEL = re.compile(r"[【\[［〖〔]?\s*(" + "|".join(_FIELD) + r")\s*[】\]］〗〕]?\s*[：:]")
_OTHER_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,6}[：:]\s*\S")  # 牵头领导：…, 联系人：… — not ours, not text
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*(?:[：:]|$)")
_CLOSING = re.compile(
    r"^(?:各(?:单位|部门|责任单位|有关单位|相关单位|街道|牵头单位)|请各|本方案|本通知|特此通知|联系人|联系电话)"
)
_SIGNATURE = re.compile(r"(?:办公室|委员会|管委会|人民政府|领导小组|指挥部|办公厅)$")
_DATE_LINE = re.compile(
    r"^[\d〇零一二三四五六七八九十]{2,4}\s*年[\d一二三四五六七八九十]{1,3}\s*月[\d一二三四五六七八九十]{1,3}\s*日$"
)
_DOCUMENT_NUMBER = re.compile(r"[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d+\s*号")  # 青高管办发〔2026〕5号
_TITLE_MAX = 60


@dataclass
class _Attributes:
    values: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # field → (label, text, paragraph)
    co: list[tuple[str, str, int]] = field(default_factory=list)

    def read(self, text: str, row: int) -> None:
        """Every "label：value" in `text`; a value runs to the next label."""
        matches = list(_LABEL.finditer(text))
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            value = _clean_value(text[match.end() : end])
            label = match.group(1)
            if _FIELD[label] == "co":
                self.co.append((label, value, row))
            else:
                self.values[_FIELD[label]] = (label, value, row)


def _clean_value(value: str) -> str:
    """Without the closing bracket of an inline "（牵头单位：…）" or "【…；责任单位：各街办（新区）】" group: a
    closing bracket at the end that closes nothing opened in the value."""
    value = value.strip().rstrip("；;，,。 ")
    while value and value[-1] in CLOSE_BRACKETS and _unmatched_close(value):
        value = value[:-1].rstrip("；;，,。 ")
    return value


def _unmatched_close(value: str) -> bool:
    depth = 0
    for ch in value:
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth -= 1
    return depth < 0


def parse_docx(data: bytes, year: int) -> ParsedPlan:
    try:
        paragraphs, tables = read_docx(data)
    except Exception:  # python-docx and lxml raise many kinds of error on damaged files
        return failed(_("Word 文件已损坏，无法打开，请在 Word 中另存为 .docx 后重新导入"))
    return _parse(paragraphs, tables, year)


def parse_text(text: str, filename: str, year: int) -> ParsedPlan:
    lines = text.splitlines()
    tables = []
    if filename.lower().endswith(".csv"):
        tables.append(_grid([row for row in csv.reader(io.StringIO(text))]))
    elif sum("\t" in line for line in lines) >= 2:  # a table pasted from Excel
        tables.append(_grid([line.split("\t") for line in lines]))
    return _parse([(i + 1, line) for i, line in enumerate(lines)], tables, year)


def _check_caps(paragraphs: list[tuple[int, str]], tables: list[Grid]) -> None:
    """The row and column caps of every import, before reading what the lines say."""
    if sum(1 for _n, text in paragraphs if text.strip()) > MAX_ROWS:
        raise UploadRefused(too_many_rows())
    for grid in tables:
        for _row in capped(grid.rows):
            pass


def _grid(rows: list[list[str]]) -> Grid:
    return Grid(rows=rows, merges=[], column_name=column_letter)


def _parse(paragraphs: list[tuple[int, str]], tables: list[Grid], year: int) -> ParsedPlan:
    _check_caps(paragraphs, tables)
    problems: list[Problem] = []
    for grid in tables:
        result = parse_grid(grid, year, problems)
        if result is not None:
            return _from_table(result, paragraphs, problems)
    title, items = _Reader(year, problems).read(paragraphs)
    if not items:
        message = _("没有找到带编号的任务条目，请确认任务以“一、”“（一）”“1.”等编号开头")
        return ParsedPlan(title, [], [], [error(message)])
    ranks = sorted({item.rank for item in items})
    names = level_names(ranks)
    nodes = build_tree(items, names, problems)
    return ParsedPlan(title, names, nodes, dedupe(sorted(problems, key=lambda p: p.row or 0)))


def _from_table(
    result: TableResult, paragraphs: list[tuple[int, str]], problems: list[Problem]
) -> ParsedPlan:
    title = result.title or _heading(paragraphs)
    if not result.nodes and not any(p.severity == "error" for p in problems):
        problems.append(error(_("表头下面没有任务，请检查表格内容")))
    return ParsedPlan(
        title, result.level_names, result.nodes, dedupe(sorted(problems, key=lambda p: p.row or 0))
    )


def _heading(paragraphs: list[tuple[int, str]]) -> str:
    """The first lines before the addressee/preamble: up to two short lines, joined."""
    lines: list[str] = []
    for _row, raw in paragraphs:
        text = raw.strip()
        if not text or _ATTACHMENT.match(text) or _DOCUMENT_NUMBER.search(text):
            if lines:
                break
            continue
        code, _rest = split_code(text)
        if code or text.endswith(("：", ":")) or len(text) > _TITLE_MAX or text.startswith(("（", "(")):
            break
        lines.append(text)
        if len(lines) == 2:
            break
    return "".join(lines)


class _Reader:
    """Paragraphs → items: a numbered paragraph opens an item; until the next one, label lines fill in its
    attributes and plain paragraphs (before any label line or closing remark) extend its description."""

    def __init__(self, year: int, problems: list[Problem]) -> None:
        self.year, self.problems = year, problems
        self.items: list[Item] = []
        self.attributes: list[_Attributes] = []

    def read(self, paragraphs: list[tuple[int, str]]) -> tuple[str, list[Item]]:
        item: Item | None = None
        attributes_seen = closed = False
        for row, raw in paragraphs:
            text = raw.strip()
            if not text:
                continue
            if _ATTACHMENT.match(text):
                break  # attachments list their own numbered items
            if _LABEL.match(text.lstrip("（( ")):
                if item is not None:
                    self.attributes[-1].read(text, row)
                    attributes_seen = True
                continue
            code, rest = split_code(text)
            if code is not None:
                item = self._item(code, rest, row)
                attributes_seen = closed = False
            elif item is not None and not (closed or attributes_seen):
                if _CLOSING.match(text) or _SIGNATURE.search(text) or _DATE_LINE.match(text):
                    closed = True
                elif not _OTHER_LABEL.match(text):
                    item.description = "\n".join(filter(None, (item.description, text)))
        for item, attributes in zip(self.items, self.attributes, strict=True):
            self._apply(item, attributes)
        return _heading(paragraphs), self.items

    def _item(self, code: Code, rest: str, row: int) -> Item:
        attributes = _Attributes()
        inline = _LABEL.search(rest)
        if inline:
            attributes.read(rest[inline.start() :], row)
            rest = rest[: inline.start()].rstrip(" ；;，," + OPEN_BRACKETS)
        title, description = split_title(rest)
        item = Item(code_rank(code.kind), code, code.text, title, row, None)
        item.description = description
        self.items.append(item)
        self.attributes.append(attributes)
        return item

    def _apply(self, item: Item, attributes: _Attributes) -> None:
        def source(name: str) -> UnitSource | None:
            found = attributes.values.get(name)
            return UnitSource(found[0], found[1]) if found else None

        co = [UnitSource(label, text) for label, text, _row in attributes.co]
        units = assign_units(source("lead"), source("resp"), co)
        item.lead_unit, item.co_units, item.unit_cells = units.lead, units.co, units.cells
        if units.several_leads:
            label, _text, row = attributes.values["lead"]
            self.problems.append(warning(several_leads_message(units.several_leads), row, label))
        unit_label = attributes.values.get("lead") or attributes.values.get("resp")
        item.lead_col = unit_label[0] if unit_label else None
        if "due" in attributes.values:
            label, text, row = attributes.values["due"]
            deadline = parse_deadline(text, self.year)
            item.set_deadline(deadline)
            if deadline.error:
                self.problems.append(error(deadline.error, row, label))
            elif deadline.warning:
                self.problems.append(warning(deadline.warning, row, label))
        if "target" in attributes.values:
            item.target = attributes.values["target"][1]
