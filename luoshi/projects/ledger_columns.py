"""A ledger's header: which column holds which field, read from labels as offices write them ("计划投资" under a
merged "2026年投资（万元）"), with the money unit of each amount column and the year and month the headings
name."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from luoshi.sheets.grid import Grid
from luoshi.sheets.header import header_rows, header_values, normalise_label
from luoshi.sheets.text import cell_text

MONEY_FIELDS = ("total_investment_wan", "annual_plan_wan", "completed_wan")

_OWNER = frozenset(
    "建设单位 业主单位 项目单位 建设主体 投资主体 项目业主 业主 实施主体 项目法人 企业名称 投资方 建设业主 投资企业".split()
)
_LEAD_UNIT = frozenset(
    "责任单位 责任部门 牵头单位 牵头部门 主责单位 推进单位 责任科室 服务单位 包抓单位".split()
)
# Words that name a field wherever they stand in the label, in the order they are tried.
_PLAIN_WORDS = (("经度", "longitude"), ("纬度", "latitude"), ("专员", "service_officer"), ("领导", "leader"))
_MONTH_SPAN = re.compile(r"(?:1\s*[-—–~～至到]|截至|截止)\s*(\d{1,2})\s*月")  # 1-10月完成, 截至10月底完成
_YEAR_IN = re.compile(r"(20\d{2})\s*年")


def classify(label: str, group: str) -> str | None:
    """The ledger field a header label names, with its group heading for money columns ("计划投资" under
    "2026年投资（万元）"). `label` is normalised (no spaces or parenthesised notes)."""
    if not label or len(label) > 14:
        return None
    if label in ("序号", "序", "No", "NO", "No.", "NO."):
        return "seq"
    if label.startswith(("对应", "关联", "所属")) and label.endswith(("任务", "事项", "措施")):
        return "items"  # the plan items the project carries (the line of sight, goals.imports)
    if "信用代码" in label:
        return "owner_uscc"
    if label in ("项目编号", "项目代码", "编号", "项目编码", "代码"):
        return "code"
    for word, kind in _PLAIN_WORDS:
        if word in label:
            return kind
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
    value, width = header_values(grid), grid.width
    rows = [[cell_text(value(r, c)) for c in range(width)] for r in header_rows(grid)]
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


def year_in(text: str) -> int | None:
    """The year a title or heading names: "2026年" → 2026."""
    found = _YEAR_IN.search(text)
    return int(found.group(1)) if found else None
