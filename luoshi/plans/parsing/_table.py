"""A task table (an Excel sheet or a Word table) → items: header, merged cells, levels, units, deadlines."""

import re
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from luoshi.lib.deadlines import parse_deadline
from luoshi.lib.numbering import Code, Kind, parse_code, split_code
from luoshi.sheets.grid import Grid
from luoshi.sheets.header import header_values, normalise_label
from luoshi.sheets.problems import Problem, error, warning
from luoshi.sheets.text import cell_lines, cell_text, is_footnote, is_total

from ._header import LINKED, Header, find_header
from ._model import ParsedNode
from ._text import UnitSource, assign_units, several_leads_message, split_title, strip_count_note
from ._tree import (
    SECTION_RANK,
    UNCODED_RANK,
    Item,
    build_tree,
    code_rank,
    column_rank,
    level_names,
)

_EXCEL_ERRORS = frozenset(
    ("#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
)
_NOT_TITLE = re.compile(r"^(?:附件|附表|填报|报送|单位[：:]|日期|时间[：:]|制表|编制)")


@dataclass
class TableResult:
    title: str
    level_names: list[str]
    nodes: list[ParsedNode]


@dataclass(frozen=True)
class _Merge:
    row: int  # the anchor (top-left) cell
    col: int
    last_row: int
    value_col: int  # the used column that carries the value; -1 for none (section rows)
    section: bool


class _Cells:
    """Cell access over the data rows with merged ranges resolved once into a map of covered used cells."""

    def __init__(self, grid: Grid, header: Header, problems: list[Problem]) -> None:
        self.grid = grid
        self.cover: dict[tuple[int, int], _Merge] = {}
        self.sections: dict[int, _Merge] = {}
        used = header.used_columns
        plain = {*header.levels, *([header.seq] if header.seq is not None else [])}
        for r0, c0, r1, c1 in grid.merges:
            if r1 <= header.last_row:
                continue
            inside = [c for c in used if c0 <= c <= c1]
            if not inside:
                continue
            others = [c for c in inside if c not in plain]
            section = len(inside) > 1 and bool(header.levels) and header.levels[0] in inside and bool(others)
            if section:
                value_col = -1
            elif len(inside) > 1 and others:
                value_col = inside[0]
                problems.append(
                    warning(
                        _("合并单元格跨越了不同的列，已按左上角单元格的值读取，请拆分后核对"),
                        r0 + grid.row_base,
                        grid.column_name(c0),
                    )
                )
            else:  # vertical, or across level columns only (a task that has no measures)
                value_col = next((c for c in inside if c in header.levels), inside[0])
            merge = _Merge(r0, c0, r1, value_col, section)
            if section:
                self.sections[r0] = merge
            for r in range(max(r0, header.last_row + 1), r1 + 1):
                for c in inside:
                    self.cover[(r, c)] = merge

    def get(self, r: int, c: int) -> tuple[object, bool]:
        """(value, continuation): a merged cell's value on every row it covers, flagged after its first row."""
        merge = self.cover.get((r, c))
        if merge is None:
            return self.grid.value(r, c), False
        if c != merge.value_col:
            return None, False
        return self.grid.value(merge.row, merge.col), r != merge.row

    def span(self, r: int, c: int) -> tuple[int, int] | None:
        merge = self.cover.get((r, c))
        return (merge.row, merge.last_row) if merge else None

    def address(self, r: int, c: int) -> str:
        """Where a value really sits: the anchor of its merged range."""
        merge = self.cover.get((r, c))
        row = merge.row if merge else r
        return f"{self.grid.column_name(c)}{row + self.grid.row_base}"


def parse_grid(grid: Grid, year: int, problems: list[Problem]) -> TableResult | None:
    """None when no header row is found; problems are appended to `problems`."""
    header = find_grid_header(grid)
    if header is None:
        return None
    if header.lead is None and header.resp is None:
        problems.append(error(_("表头中没有找到“牵头单位”或“责任单位”列")))
    cells = _Cells(grid, header, problems)
    walker = _Walker(grid, header, cells, year, problems)
    items = walker.walk()
    multi = len(header.levels) > 1
    walker.rank(multi)
    ranks = sorted({item.rank for item in items})
    if not multi and ranks == [UNCODED_RANK]:
        names = header.level_labels[:1]
    else:
        names = level_names(ranks, header.level_labels if multi else None)
    # without a unit column, one error says it all: no warning on every row
    nodes = build_tree(
        items, names, problems, warn_missing_lead=header.lead is not None or header.resp is not None
    )
    return TableResult(_title(grid, header), names, nodes)


def find_grid_header(grid: Grid) -> Header | None:
    """Header cells are read with merged ranges spread, so "牵头单位" merged over two header rows counts on
    both and a group heading over two columns labels both."""
    return find_header(header_values(grid), len(grid.rows), grid.width)


def _title(grid: Grid, header: Header) -> str:
    for r in range(header.first_row):
        for value in grid.rows[r]:
            text = cell_text(value)
            if text and not _NOT_TITLE.match(text):
                return text
    return ""


@dataclass
class _Open:
    """The item currently open in a level column, so blank and merged cells below continue it."""

    item: Item
    text: str
    merged: bool


class _Walker:
    def __init__(self, grid: Grid, header: Header, cells: _Cells, year: int, problems: list[Problem]) -> None:
        self.grid, self.header, self.cells, self.year, self.problems = grid, header, cells, year, problems
        self.items: list[Item] = []
        self.seq_codes: dict[int, Code] = {}  # id(item) → the 序号 cell's code, ranked once all rows are read
        self.open: list[_Open | None] = [None] * len(header.levels)
        unit_col = header.lead if header.lead is not None else header.resp
        self.lead_col = grid.column_name(unit_col) if unit_col is not None else None

    def walk(self) -> list[Item]:
        header, footnotes = self.header, False
        attribute_cols = set(header.attribute_columns)
        blanks: set[tuple[int, int]] = set()  # candidates for formulas without a cached value
        check_formulas = self.grid.formulas_without_value is not None
        for r in range(header.last_row + 1, len(self.grid.rows)):
            if r in self.cells.sections:
                merge = self.cells.sections[r]
                text = cell_text(self.grid.value(merge.row, merge.col))
                footnotes = footnotes or is_footnote(text)
                if text and not footnotes and not is_total(text):
                    self._section(r, text)
                continue
            values = {c: self._value(r, c) for c in header.used_columns}
            own = [c for c, (v, cont) in values.items() if not cont and cell_text(v)]
            if check_formulas:
                blanks.update(
                    (r, c) for c, (v, _c) in values.items() if v is None and (r, c) not in self.cells.cover
                )
            if not own:
                continue
            first = cell_text(values[own[0]][0])
            if is_footnote(first):
                footnotes = True
                continue
            if is_total(first) or self._repeated_header(values):
                continue
            has_attributes = any(c in attribute_cols for c in own)
            if footnotes and not has_attributes:
                continue
            self._row(r, values, has_attributes)
        self._check_formulas(blanks)
        return self.items

    def _value(self, r: int, c: int) -> tuple[object, bool]:
        value, cont = self.cells.get(r, c)
        if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
            message = _("单元格是公式错误值 %(value)s，请改正后重新导入") % {"value": value.strip()}
            self.problems.append(error(message, r + self.grid.row_base, self.grid.column_name(c)))
            return None, cont
        return value, cont

    def _repeated_header(self, values: dict[int, tuple[object, bool]]) -> bool:
        labels = self.header.level_labels
        return all(
            normalise_label(values[c][0]) == label
            for c, label in zip(self.header.levels, labels, strict=True)
        )

    def _section(self, r: int, text: str) -> None:
        merge, seq = self.cells.sections[r], self.header.seq
        code, rest = split_code(text)
        title, description = split_title(strip_count_note(rest))
        column = self.grid.column_name(merge.col)
        item = Item(SECTION_RANK, code, code.text if code else "", title, r + self.grid.row_base, column)
        item.description, item.is_section = description, True
        if code is None and seq is not None and (r, seq) not in self.cells.cover:
            seq_code = parse_code(self.grid.value(r, seq))  # "一" in 序号, "科技创新" merged across the rest
            if seq_code is not None:
                self.seq_codes[id(item)] = seq_code
                item.code_text = seq_code.text
        self.items.append(item)
        self.open = [None] * len(self.open)

    def _row(self, r: int, values: dict[int, tuple[object, bool]], has_attributes: bool) -> None:
        header, row = self.header, r + self.grid.row_base
        new: list[tuple[int, Item]] = []
        for i, c in enumerate(header.levels):
            value, cont = values[c]
            text = cell_text(value)
            if not text or cont:
                continue  # blank: fill down; continuation: still the item of the merged cell
            current = self.open[i]
            deeper = any(cell_text(values[d][0]) and not values[d][1] for d in header.levels[i + 1 :])
            merged = self.cells.span(r, c) is not None
            if current and not current.merged and not merged and current.text == text and deeper:
                continue  # the task repeated on each of its measures' rows
            code, rest = split_code(cell_lines(value))
            title, description = split_title(rest)
            item = Item(column_rank(i), code, code.text if code else "", title, row, self.grid.column_name(c))
            item.lead_col, item.description = self.lead_col, description
            self.open[i] = _Open(item, text, merged)
            self.open[i + 1 :] = [None] * (len(self.open) - i - 1)
            new.append((c, item))
        if not new:
            if has_attributes:
                col = next(
                    c for c in header.attribute_columns if cell_text(values[c][0]) and not values[c][1]
                )
                message = _("这一行有单位或时限，但没有任务内容")
                self.problems.append(error(message, row, self.grid.column_name(col)))
            return
        self._attributes(r, values, new[-1][1])
        self._seq(r, values, new)
        self.items.extend(item for _c, item in new)

    def _attributes(self, r: int, values: dict[int, tuple[object, bool]], item: Item) -> None:
        header, cells = self.header, self.cells

        def source(c: int | None) -> UnitSource | None:
            if c is None or values[c][0] is None:
                return None
            return UnitSource(cells.address(r, c), str(values[c][0]))

        co = [s for s in (source(c) for c in header.co) if s is not None]
        units = assign_units(source(header.lead), source(header.resp), co)
        item.lead_unit, item.co_units, item.unit_cells = units.lead, units.co, units.cells
        if units.several_leads and header.lead is not None:
            at = cells.span(r, header.lead)
            row = (at[0] if at else r) + self.grid.row_base
            message = several_leads_message(units.several_leads)
            self.problems.append(warning(message, row, self.grid.column_name(header.lead)))
        if header.due is not None and values[header.due][0] is not None:
            deadline = parse_deadline(values[header.due][0], self.year)
            item.set_deadline(deadline)
            at = cells.span(r, header.due)
            where = ((at[0] if at else r) + self.grid.row_base, self.grid.column_name(header.due))
            if deadline.error:
                self.problems.append(error(deadline.error, *where))
            elif deadline.warning:
                self.problems.append(warning(deadline.warning, *where))
        if header.target is not None:
            item.target = cell_text(values[header.target][0])
        for kind in LINKED:
            col = getattr(header, kind)
            if col is not None and (text := cell_text(values[col][0])):
                item.links[kind] = (cells.address(r, col), text)

    def _seq(self, r: int, values: dict[int, tuple[object, bool]], new: list[tuple[int, Item]]) -> None:
        """A 序号 cell numbers the deepest new item, or the one whose merged cell spans the same rows."""
        seq = self.header.seq
        if seq is None:
            return
        value, cont = values[seq]
        code = parse_code(value) if not cont else None
        if code is None:
            return
        span = self.cells.span(r, seq)
        target = next((item for c, item in new if span and self.cells.span(r, c) == span), new[-1][1])
        self.seq_codes[id(target)] = code
        if not target.code_text:
            target.code_text = code.text

    def rank(self, multi: bool) -> None:
        """Rank items once all rows are read: a plain 序号 count is a level only beside other codes in 序号."""
        kinds = {code.kind for code in self.seq_codes.values()}
        counts_are_levels = Kind.PLAIN in kinds and len(kinds) > 1
        for item in self.items:
            seq = self.seq_codes.get(id(item))
            if seq is not None and seq.kind == Kind.PLAIN:
                seq = replace(seq, kind=Kind.ARABIC) if counts_are_levels else None
            if item.code is None:
                item.code = seq
            if item.is_section:
                item.rank = code_rank(item.code.kind) if item.code else SECTION_RANK
            elif not multi:
                item.rank = code_rank(item.code.kind) if item.code else UNCODED_RANK

    def _check_formulas(self, blanks: set[tuple[int, int]]) -> None:
        if not blanks or self.grid.formulas_without_value is None:
            return
        for r, c in sorted(self.grid.formulas_without_value(blanks)):
            message = _("公式没有计算结果，请在 Excel 中打开文件、保存后重新导入")
            self.problems.append(error(message, r + self.grid.row_base, self.grid.column_name(c)))
