"""Key-project ledgers as offices keep them (重点项目台账, .xlsx) → parsed projects + problems. No database, never
raises. Merged title rows, two-row headers with merged group headings ("2026年投资（万元）" over "计划投资 |
1-10月完成"), money in 亿元/万元/元 columns, dates as "2025.03" or "2026年3月", progress prose from which the
stage is read, blockers as prose, totals rows and sections ("一、先进制造业项目") that are not projects.

Sheets, merged ranges and cell values come from luoshi.sheets (the streamed reader, for speed), what each cell
says from luoshi.projects.cells; the header is read in luoshi.projects.ledger_columns, the rows here."""

import functools
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from stdnum.cn import uscc

from luoshi.lib.numbering import Kind, parse_code
from luoshi.projects.cells import (
    read_category,
    read_construction,
    read_level,
    read_stage,
    read_stage_cell,
    split_blockers,
)
from luoshi.projects.choices import Construction, Stage
from luoshi.projects.ledger_columns import MONEY_FIELDS, LedgerHeader, find_ledger_header, year_in
from luoshi.sheets.detect import failure_message
from luoshi.sheets.grid import Grid
from luoshi.sheets.guard import UploadRefused, check_upload
from luoshi.sheets.header import HEADER_SEARCH_ROWS, normalise_label
from luoshi.sheets.problems import Problem, error, has_errors, warning
from luoshi.sheets.stream import Workbook
from luoshi.sheets.text import cell_text, is_footnote, is_total, split_units
from luoshi.sheets.values import BLANK, NUMBER, read_date, read_money
from luoshi.sheets.xlsx import SheetInfo, scan_sheets, sheet_grid

logger = logging.getLogger(__name__)


@dataclass
class ParsedProject:
    ref: str  # the row's 序号 as written, or its row number
    row: int  # 1-based sheet row
    parent: str | None  # the major project's ref, for a sub-project
    name: str
    code: str = ""
    category: str = ""  # a Category value, or "" when not given
    level: str = ""
    construction: str = ""
    owner: str = ""
    owner_uscc: str = ""
    content: str = ""
    park: str = ""  # as written
    lead_unit: str = ""  # as written
    leader: str = ""
    service_officer: str = ""
    chain: str = ""
    stage: int = Stage.PLANNING
    stage_read: bool = False  # read from a stage column or the progress prose, not the default
    progress_text: str = ""
    total_investment_wan: Decimal | None = None
    annual_plan_wan: Decimal | None = None
    completed_wan: Decimal | None = None
    start: date | None = None
    finish: date | None = None
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    blockers: list[str] = field(default_factory=list)
    items: str = ""  # 对应任务 as written: plan item codes or titles, linked by goals after the import
    columns: dict[str, str] = field(default_factory=dict)  # field → column letter it came from

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)


@dataclass
class ParsedLedger:
    title: str
    year: int | None  # read from the title or a group heading ("2026年投资")
    completed_month: int | None  # N of a "1-N月完成" heading
    projects: list[ParsedProject]
    problems: list[Problem]
    sheet: str | None = None

    @property
    def has_errors(self) -> bool:
        return has_errors(self.problems)


def _failed(message: str, sheet: str | None = None) -> ParsedLedger:
    return ParsedLedger("", None, None, [], [error(message)], sheet)


def parse_ledger(data: bytes, filename: str, year: int | None = None) -> ParsedLedger:
    """`year` dates month-only cells ("3月"); without it, the year read from the file."""
    try:
        return _parse(data, filename, year)
    except UploadRefused as refused:  # by the checks before parsing, or a sheet past the row or column cap
        return _failed(refused.message)
    except Exception:  # a bug must not turn an upload into a server error: log it, tell the user
        logger.exception("parsing ledger %r failed", filename)
        return _failed(_("无法读取这个文件，请检查内容或另存后重新导入"))


def _parse(data: bytes, filename: str, year: int | None) -> ParsedLedger:
    kind = check_upload(data)
    if kind != "xlsx":
        message = failure_message(kind, filename) if kind not in ("docx", "text") else None
        return _failed(message or _("项目台账请上传 Excel 文件（.xlsx）"))
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        sheets = scan_sheets(archive)
        workbook = Workbook(archive)
        found = _find_sheet(workbook, sheets)
        grid = _grid(workbook, found[0], found[1]) if found else None
    except UploadRefused:
        raise
    except Exception:  # zipfile and lxml raise many kinds of error on damaged files
        return _failed(_("Excel 文件已损坏，无法打开，请在 Excel 中另存为 .xlsx 后重新导入"))
    header = find_ledger_header(grid) if grid else None
    if found is None or grid is None or header is None:
        return _failed(_("没有找到表头，请确认表中有“项目名称”列，以及“总投资”、“责任单位”等列"))
    ledger = _Rows(grid, header, year).read()
    ledger.sheet = found[0].name
    if not ledger.projects and not ledger.has_errors:
        ledger.problems.append(error(_("表头下面没有项目，请检查工作表内容")))
    return ledger


def _find_sheet(workbook: Workbook, sheets: list[SheetInfo]) -> tuple[SheetInfo, int] | None:
    """The sheet whose header names the most ledger fields (visible sheets first), and the width to read."""
    best: tuple[int, SheetInfo, int] | None = None
    for sheet in sorted(sheets, key=lambda s: not s.visible):
        header = find_ledger_header(_grid(workbook, sheet, max_row=HEADER_SEARCH_ROWS + 2))
        if header is not None and (best is None or len(header.columns) > best[0]):
            best = (len(header.columns), sheet, max(header.columns.values()) + 1)
    return (best[1], best[2]) if best else None


def _grid(
    workbook: Workbook, sheet: SheetInfo, max_col: int | None = None, max_row: int | None = None
) -> Grid:
    return sheet_grid(workbook.rows(sheet.path, max_row=max_row, max_col=max_col), sheet)


# ---- rows ------------------------------------------------------------------------------------------------------

_TEXT_FIELDS = ("code", "owner", "content", "park", "leader", "service_officer", "chain", "items")
# Filled down over the rows a vertical merge covers: one unit or leader for a project and its sub-projects,
# one 建设性质 (续建/新建) for a run of projects.
_FILL_DOWN = frozenset(
    ("lead_unit", "leader", "service_officer", "park", "category", "level", "chain", "construction")
)
_RANK = {
    Kind.CN: 1,
    Kind.CN_PAREN: 2,
    Kind.ARABIC: 3,
    Kind.PLAIN: 3,
    Kind.DECIMAL2: 4,
    Kind.DECIMAL3: 5,
    Kind.ARABIC_PAREN: 6,
    Kind.CIRCLED: 7,
}
_SECTION_TEXT = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")


class _Rows:
    def __init__(self, grid: Grid, header: LedgerHeader, year: int | None) -> None:
        self.grid, self.header = grid, header
        self.file_year = header.year or _year_in_title(grid, header)
        self.year = year or self.file_year  # for month-only dates ("3月")
        self.problems: list[Problem] = []
        self.projects: list[ParsedProject] = []
        self.cover = grid.anchors(below=header.last_row)  # covered cell → anchor, below the header
        self.letters = {f: grid.column_name(c) for f, c in header.columns.items()}  # shared by all rows
        name_col = header.columns["name"]
        # rows whose name cell is merged across other fields
        self.wide = {
            r0 for r0, c0, _r1, c1 in grid.merges if r0 > header.last_row and c0 <= name_col <= c1 and c1 > c0
        }

    def read(self) -> ParsedLedger:
        header, category = self.header, ""
        stack: list[tuple[int, ParsedProject]] = []  # open major projects by numbering rank
        names: dict[str, int] = {}
        refs: set[str] = set()
        footnotes = False
        for r in range(header.last_row + 1, len(self.grid.rows)):
            if not self.cover and not any(v is not None for v in self.grid.rows[r]):
                continue  # blank row: the common case, decided without a lookup per field
            cells = {f: self._cell(r, f) for f in header.columns}
            texts = {f: t for f, v in cells.items() if v is not None and (t := cell_text(v))}
            own = [f for f in texts if f in _FILL_DOWN or self._anchor(r, f)]
            if not own:
                continue
            name = texts.get("name", "")
            seq_text = texts.get("seq", "")
            first = seq_text or name
            if is_footnote(first) or is_footnote(name):
                footnotes = True
                continue
            if is_total(first) or is_total(name) or (name and normalise_label(name) == "项目名称"):
                continue
            data = [f for f in own if f not in ("seq", "name") and f not in _FILL_DOWN]
            if footnotes and not data:
                continue
            if self._is_section(r, seq_text, name, data):
                category = read_category(name or seq_text) or category
                stack.clear()
                continue
            if not name:
                if data:
                    self._error(r, "name", _("这一行有数据，但没有项目名称"))
                continue
            project = self._project(r, cells, texts)
            project.category = project.category or category
            rank = _rank(cells.get("seq"), seq_text)
            while stack and stack[-1][0] >= rank:
                stack.pop()
            if stack:
                project.parent = stack[-1][1].ref
            stack.append((rank, project))
            if project.ref in refs:
                project.ref = f"{project.parent}-{project.ref}" if project.parent else str(project.row)
            refs.add(project.ref)
            if name in names:
                self._error(
                    r,
                    "name",
                    _("项目名称“%(name)s”与第%(row)d行重复") % {"name": name, "row": names[name]},
                )
            else:
                names[name] = project.row
            self.projects.append(project)
        self.problems.sort(key=lambda p: p.row or 0)
        return ParsedLedger(
            _title(self.grid, header),
            self.file_year,
            header.completed_month,
            self.projects,
            self.problems,
        )

    def _anchor(self, r: int, f: str) -> bool:
        if not self.cover:
            return True
        c = self.header.columns[f]
        return self.cover.get((r, c), (r, c))[0] == r

    def _cell(self, r: int, f: str) -> object:
        c = self.header.columns[f]
        if not self.cover:
            return self.grid.value(r, c)
        r0, c0 = self.cover.get((r, c), (r, c))
        if (r0 != r or c0 != c) and not (f in _FILL_DOWN and c0 == c):
            return None  # money, names and numbers count once, on the merged range's first row
        return self.grid.value(r0, c0)

    def _is_section(self, r: int, seq_text: str, name: str, data: list[str]) -> bool:
        """A group heading ("一、先进制造业项目（20个）") rather than a project: no figures of its own, and
        either merged across the row or numbered with 一、二、 where projects are numbered 1, 2."""
        if data:
            return False
        code = parse_code(seq_text) if seq_text else None
        return (
            r in self.wide
            or (code is not None and code.kind in (Kind.CN, Kind.CN_PAREN))
            or bool(_SECTION_TEXT.match(name))
        )

    def _project(self, r: int, cells: dict[str, object], texts: dict[str, str]) -> ParsedProject:
        row = r + self.grid.row_base
        name, seq_text = texts["name"], texts.get("seq", "")
        project = ParsedProject(ref=seq_text or str(row), row=row, parent=None, name=name[:200])
        project.columns = self.letters
        for f in _TEXT_FIELDS:
            if f in texts:
                setattr(project, f, texts[f])
        if "lead_unit" in texts:
            units = split_units(texts["lead_unit"])
            marked = [u for u, lead in units if lead]
            project.lead_unit = (marked or [u for u, _lead in units] or [""])[0]
        for f, reader in (
            ("category", read_category),
            ("level", read_level),
            ("construction", read_construction),
        ):
            if f in texts:
                setattr(project, f, reader(texts[f]))
        self._money(r, cells, project)
        self._dates(r, cells, project)
        self._stage(r, texts, project)
        self._coordinates(r, texts, project)
        if "owner_uscc" in texts:
            self._uscc(r, texts["owner_uscc"], project)
        if "blockers" in texts:
            project.blockers = split_blockers(str(cells["blockers"]))
        return project

    def _money(self, r: int, cells: dict[str, object], project: ParsedProject) -> None:
        for f in MONEY_FIELDS:
            if f not in cells:
                continue
            amount, problem = read_money(cells[f], self.header.factors[f])
            if problem:
                self._error(r, f, problem)
            setattr(project, f, amount)
        total, done = project.total_investment_wan, project.completed_wan
        if total and done is not None and done > total:
            self._error(
                r,
                "completed_wan",
                _("完成投资 %(done)s 万元超过总投资 %(total)s 万元")
                % {"done": f"{done:,}", "total": f"{total:,}"},
            )
        plan = project.annual_plan_wan
        if total and plan is not None and plan > total:
            self._warn(
                r,
                "annual_plan_wan",
                _("年度计划投资 %(plan)s 万元超过总投资 %(total)s 万元")
                % {"plan": f"{plan:,}", "total": f"{total:,}"},
            )

    def _dates(self, r: int, cells: dict[str, object], project: ParsedProject) -> None:
        for f in ("start", "finish"):
            if f not in cells:
                continue
            when, problem, severity = read_date(cells[f], self.year)
            if problem:
                (self._error if severity == "error" else self._warn)(r, f, problem)
            setattr(project, f, when)
        if project.start and project.finish and project.finish < project.start:
            self._error(
                r,
                "finish",
                _("竣工时间 %(finish)s 早于开工时间 %(start)s")
                % {"finish": project.finish.isoformat(), "start": project.start.isoformat()},
            )

    def _stage(self, r: int, texts: dict[str, str], project: ParsedProject) -> None:
        project.progress_text = texts.get("progress", "")
        written = texts.get("stage", "")
        stage = read_stage_cell(written) if written else None
        if written and stage is None:
            self._warn(r, "stage", _("无法识别阶段“%(text)s”") % {"text": written})
        continuing = project.construction == Construction.CONTINUING
        if stage is None and project.progress_text:
            stage = read_stage(project.progress_text)
            if stage is None and not continuing:
                message = _("没有从形象进度中读出所处阶段，按“谋划”导入")
                self._warn(r, "progress", message)
        if continuing and (stage is None or stage < Stage.STARTED):
            stage = Stage.STARTED  # 续建: started in an earlier year, whatever the progress says (暂停, 平地)
        project.stage, project.stage_read = stage or Stage.PLANNING, stage is not None

    def _coordinates(self, r: int, texts: dict[str, str], project: ParsedProject) -> None:
        for f in ("longitude", "latitude"):
            text = unicodedata.normalize("NFKC", texts.get(f, "")).strip()
            if not text or text in BLANK:
                continue
            if not NUMBER.fullmatch(text):
                self._error(r, f, _("“%(text)s”不是十进制度数，请写成 120.3826 这样的数字") % {"text": text})
                continue
            setattr(project, f, Decimal(text).quantize(Decimal("0.000001")))

    def _uscc(self, r: int, text: str, project: ParsedProject) -> None:
        code = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
        project.owner_uscc = code
        if code and not _valid_uscc(code):
            self._error(
                r, "owner_uscc", _("统一社会信用代码“%(code)s”无效（位数或校验位不对）") % {"code": code}
            )

    def _error(self, r: int, f: str, message: str) -> None:
        self._add(error, r, f, message)

    def _warn(self, r: int, f: str, message: str) -> None:
        self._add(warning, r, f, message)

    def _add(
        self, kind: Callable[[str, int | None, str | None], Problem], r: int, f: str, message: str
    ) -> None:
        c = self.header.columns[f]
        heading = self.header.headings[f]
        self.problems.append(kind(f"{heading}：{message}", r + self.grid.row_base, self.grid.column_name(c)))


_DECIMAL_REF = re.compile(r"\d+[.．]\d+")


def _rank(value: object, text: str) -> int:
    """How deep a 序号 numbers: "1" or "一" a project, "1.1" and "（1）" a sub-project of the one above."""
    if isinstance(value, float) and not value.is_integer():
        value = repr(value)  # a 序号 typed as 1.1 arrives as a float
    code = parse_code(value)
    if code is not None:
        return _RANK.get(code.kind, 3)
    return _RANK[Kind.DECIMAL2] if _DECIMAL_REF.fullmatch(text) else 3


@functools.lru_cache(maxsize=4096)
def _valid_uscc(code: str) -> bool:
    """Cached: one owner often has several projects in a ledger."""
    return uscc.is_valid(code)


def _title(grid: Grid, header: LedgerHeader) -> str:
    for r in range(header.first_row):
        for value in grid.rows[r]:
            text = cell_text(value)
            if text and not re.match(r"^(?:附件|附表|填报|单位[：:]|日期|制表)", text):
                return text
    return ""


def _year_in_title(grid: Grid, header: LedgerHeader) -> int | None:
    return year_in(_title(grid, header))
