"""Key-project ledgers as offices keep them (重点项目台账, .xlsx) → parsed projects + problems. No database, never
raises. Merged title rows, two-row headers with merged group headings ("2026年投资（万元）" over "计划投资 |
1-10月完成"), money in 亿元/万元/元 columns, dates as "2025.03" or "2026年3月", progress prose from which the
stage is read, blockers as prose, totals rows and sections ("一、先进制造业项目") that are not projects.

Sheets and merged ranges come from the plan import's reader (luoshi.plans.parsing.xlsx), cell values from the
faster luoshi.projects.sheet, what each cell says from luoshi.projects.cells; the header and the rows are the
ledger's own."""

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
from luoshi.plans.parsing._detect import failure_message
from luoshi.plans.parsing._header import HEADER_SEARCH_ROWS, normalise_label
from luoshi.plans.parsing._model import Problem, error, warning
from luoshi.plans.parsing._table import Grid
from luoshi.plans.parsing._text import cell_text, is_footnote, is_total, split_units
from luoshi.plans.parsing.xlsx import (
    BLANK_ROWS_AFTER_TABLE,
    SheetInfo,
    column_letter,
    scan_sheet,
    sheet_parts,
)
from luoshi.projects.cells import (
    BLANK,
    NUMBER,
    read_category,
    read_construction,
    read_date,
    read_level,
    read_money,
    read_stage,
    read_stage_cell,
    split_blockers,
)
from luoshi.projects.choices import Construction, Stage
from luoshi.projects.sheet import Workbook
from luoshi.sheets.guard import UploadRefused, capped, check_upload

logger = logging.getLogger(__name__)

MONEY_FIELDS = ("total_investment_wan", "annual_plan_wan", "completed_wan")


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
        return any(p.severity == "error" for p in self.problems)


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
        sheets = [scan_sheet(archive, *sheet) for sheet in sheet_parts(archive)]
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
    rows: list[tuple[object, ...]] = []
    blank_run = 0
    for row in capped(workbook.rows(sheet.path, max_row=max_row, max_col=max_col)):
        blank_run = 0 if any(v is not None for v in row) else blank_run + 1
        if blank_run > BLANK_ROWS_AFTER_TABLE:
            break  # the rest is formatting, not content
        rows.append(row)
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return Grid(rows=rows, merges=sheet.merges, column_name=column_letter)


# ---- header --------------------------------------------------------------------------------------------------

_OWNER = frozenset(
    "建设单位 业主单位 项目单位 建设主体 投资主体 项目业主 业主 实施主体 项目法人 企业名称 投资方 建设业主 投资企业".split()
)
_LEAD_UNIT = frozenset(
    "责任单位 责任部门 牵头单位 牵头部门 主责单位 推进单位 责任科室 服务单位 包抓单位".split()
)
_MONTH_SPAN = re.compile(r"(?:1\s*[-—–~～至到]|截至|截止)\s*(\d{1,2})\s*月")  # 1-10月完成, 截至10月底完成
_YEAR_IN = re.compile(r"(20\d{2})\s*年")


def classify(label: str, group: str) -> str | None:
    """The ledger field a header label names, with its group heading for money columns ("计划投资" under
    "2026年投资（万元）"). `label` is normalised (no spaces or parenthesised notes)."""
    if not label or len(label) > 14:
        return None
    if label in ("序号", "序", "No", "NO", "No.", "NO."):
        return "seq"
    if "信用代码" in label:
        return "owner_uscc"
    if label in ("项目编号", "项目代码", "编号", "项目编码", "代码"):
        return "code"
    if "经度" in label:
        return "longitude"
    if "纬度" in label:
        return "latitude"
    if "专员" in label:
        return "service_officer"
    if "领导" in label:
        return "leader"
    if "开工" in label and any(w in label for w in ("时间", "日期", "计划", "年月")):
        return "start"
    if ("竣工" in label or "完工" in label or "投产" in label) and any(
        w in label for w in ("时间", "日期", "计划", "年月")
    ):
        return "finish"
    if label in _LEAD_UNIT or (
        any(w in label for w in ("责任", "牵头", "主责")) and label.endswith(("单位", "部门", "科室"))
    ):
        return "lead_unit"
    if label in _OWNER or label.endswith(("建设单位", "业主单位")):
        return "owner"
    if "问题" in label or "困难" in label:
        return "blockers"
    if any(w in label for w in ("形象进度", "进展", "建设进度", "目前进度", "项目进度")):
        return "progress"
    if "阶段" in label:
        return "stage"
    if "产业链" in label:
        return "chain"
    if "园区" in label or label in ("所在区域", "所在片区"):
        return "park"
    if "性质" in label or label in ("新建/续建", "新建续建", "新/续建"):
        return "construction"
    if "级别" in label:
        return "level"
    if "类别" in label or "类型" in label or label == "行业":
        return "category"
    if "建设内容" in label or "建设规模" in label:
        return "content"
    money = "投资" in label or "投资" in group or "万元" in group or "亿元" in group
    if "总投资" in label:
        return "total_investment_wan"
    if "完成" in label and money:
        return "completed_wan"
    if "计划" in label and (money or label.startswith("年度")):
        return "annual_plan_wan"
    if "名称" in label or label in ("项目", "项目名"):
        return "name"
    return None


def money_factor(text: str) -> Decimal:
    """万元 per unit of a money heading: 亿元 → 10000, 元 → 0.0001, 万元 or nothing → 1."""
    if "亿" in text:
        return Decimal(10000)
    if "万" in text:
        return Decimal(1)
    if "元" in text:
        return Decimal("0.0001")
    return Decimal(1)


@dataclass
class LedgerHeader:
    first_row: int  # 0-based grid rows
    last_row: int
    columns: dict[str, int]  # field → 0-based column
    headings: dict[str, str]  # field → the heading as written, for messages
    factors: dict[str, Decimal]  # money field → 万元 per unit
    completed_month: int | None
    year: int | None


def _header_from(
    lower: list[str], upper: list[str] | None, first_row: int, last_row: int
) -> LedgerHeader | None:
    columns: dict[str, int] = {}
    headings: dict[str, str] = {}
    factors: dict[str, Decimal] = {}
    month: int | None = None
    year: int | None = None
    for col, low in enumerate(lower):
        up = upper[col] if upper is not None else ""
        label_text = low or up
        group = up if low and up and up != low else ""
        kind = classify(normalise_label(label_text), normalise_label(group) + group)
        if kind is None or kind in columns:
            continue
        columns[kind] = col
        headings[kind] = f"{group}·{label_text}" if group else label_text
        if kind in MONEY_FIELDS:
            # the unit may sit on the label ("总投资（亿元）") or on the group heading over it
            factors[kind] = money_factor(label_text if "元" in label_text else group)
            span = _MONTH_SPAN.search(unicodedata.normalize("NFKC", label_text))
            if kind == "completed_wan" and span and 1 <= int(span.group(1)) <= 12:
                month = int(span.group(1))
            found = _YEAR_IN.search(group + label_text)
            year = year or (int(found.group(1)) if found else None)
    if "name" not in columns or len(columns) < 2:
        return None
    return LedgerHeader(first_row, last_row, columns, headings, factors, month, year)


def find_ledger_header(grid: Grid) -> LedgerHeader | None:
    """The row, or pair of rows under merged group headings, that names the most ledger fields. Merged header
    cells are spread over the cells they cover, so a group heading labels each column below it."""
    spread: dict[tuple[int, int], object] = {}
    for r0, c0, r1, c1 in grid.merges:
        if r0 <= HEADER_SEARCH_ROWS:
            for r in range(r0, min(r1, HEADER_SEARCH_ROWS + 1) + 1):
                for c in range(c0, c1 + 1):
                    spread[(r, c)] = grid.value(r0, c0)
    width = grid.width
    rows = [
        [cell_text(spread.get((r, c), grid.value(r, c))) for c in range(width)]
        for r in range(min(len(grid.rows), HEADER_SEARCH_ROWS + 1))
    ]
    best: tuple[int, LedgerHeader] | None = None
    for r, labels in enumerate(rows):
        candidates = [(_header_from(labels, None, r, r), 1)]  # one row wins a tie with a pair
        if r + 1 < len(rows):
            candidates.append((_header_from(rows[r + 1], labels, r, r + 1), 0))
        for header, bonus in candidates:
            score = 2 * len(header.columns) + bonus if header else 0
            if header is not None and (best is None or score > best[0]):
                best = (score, header)
    return best[1] if best else None


# ---- rows ------------------------------------------------------------------------------------------------------

_TEXT_FIELDS = ("code", "owner", "content", "park", "leader", "service_officer", "chain")
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
        self.cover: dict[tuple[int, int], tuple[int, int]] = {}  # covered cell → anchor, below the header
        self.wide: set[int] = set()  # rows whose name cell is merged across other fields
        self.letters = {f: grid.column_name(c) for f, c in header.columns.items()}  # shared by all rows
        name_col = header.columns["name"]
        for r0, c0, r1, c1 in grid.merges:
            if r1 <= header.last_row:
                continue
            if r0 > header.last_row and c0 <= name_col <= c1 and c1 > c0:
                self.wide.add(r0)
            for r in range(max(r0, header.last_row + 1), r1 + 1):
                for c in range(c0, c1 + 1):
                    self.cover[(r, c)] = (r0, c0)

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
    found = _YEAR_IN.search(_title(grid, header))
    return int(found.group(1)) if found else None
