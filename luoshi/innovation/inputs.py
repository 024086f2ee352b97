"""The enterprises of a data table as arrays for scoring: credit codes (check digit verified, no duplicates),
names, founding years, each number column as floats with NaN for "not reported", each veto column as flags.
Every problem is reported with the spreadsheet's row and the column's label, and nothing is scored while any
remains."""

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from luoshi.innovation.framework import Framework
from luoshi.innovation.table import CODE_LABEL, Table, blank
from luoshi.sheets.grid import column_letter
from luoshi.sheets.problems import Problem, error

NAME_LABEL = "企业名称"
FOUNDED_LABEL = "成立日期"
MAX_PROBLEMS = 1000  # a column of the wrong kind gives one per row: the first thousand say enough
TRUE_TEXTS = frozenset(("是", "1", "y", "yes", "true", "有"))
FALSE_TEXTS = frozenset(("否", "0", "n", "no", "false", "无", "没有"))
DASHES = frozenset(("-", "—", "——", "/", "／"))  # how sheets write "nothing to report"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
# GB 32100-2015: the code's alphabet and the weights of its first 17 characters.
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)])


@dataclass
class Inputs:
    codes: list[str]
    names: list[str]
    rows: list[int]  # spreadsheet row numbers
    founded: np.ndarray  # founding year
    numbers: dict[str, np.ndarray]  # column → values, NaN where not reported
    flags: dict[str, np.ndarray]  # veto column → bool


class InputsError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class _Problems:
    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.more = 0

    def add(self, message: str, row: int | None, column: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(error(message, row=row, column=column))
        else:
            self.more += 1

    def all(self) -> list[Problem]:
        if not self.more:
            return self.found
        more = error(_("另有 %(count)s 处错误未列出，请先改正以上错误") % {"count": f"{self.more:,}"})
        return [*self.found, more]


def read(table: Table, framework: Framework) -> Inputs:
    """The table's enterprises; InputsError with every problem (at most MAX_PROBLEMS listed)."""
    problems = _Problems()
    needed = [CODE_LABEL, NAME_LABEL, FOUNDED_LABEL, *framework.number_columns(), *framework.flag_columns()]
    where: dict[str, int] = {}
    for label in needed:
        column = table.column(label)
        if column is None:
            problems.add(_("缺少“%(label)s”列") % {"label": label}, table.header_row, label)
        else:
            where[label] = column
    if problems.found:
        raise InputsError(problems.all())
    cells = _Cells(table, where, problems)
    codes = cells.codes()
    names = cells.names()
    founded = cells.years()
    numbers = {label: cells.numbers(label) for label in framework.number_columns()}
    flags = {label: cells.flags(label) for label in framework.flag_columns()}
    if problems.found:
        raise InputsError(problems.all())
    return Inputs(codes, names, table.numbers, founded, numbers, flags)


class _Cells:
    """One column at a time, each cell checked."""

    def __init__(self, table: Table, where: dict[str, int], problems: _Problems) -> None:
        self.table, self.where, self.problems = table, where, problems

    def column(self, label: str) -> Sequence[object]:
        return self.table.values(self.where[label])

    def fail(self, index: int, label: str, message: str) -> None:
        letter = column_letter(self.where[label])
        text = _("%(letter)s列“%(label)s”：%(message)s") % {
            "letter": letter,
            "label": label,
            "message": message,
        }
        self.problems.add(text, self.table.numbers[index], label)

    def codes(self) -> list[str]:
        codes, wrong = checked_codes(self.column(CODE_LABEL), self.table.numbers)
        for i, message in wrong.items():
            self.fail(i, CODE_LABEL, message)
        return codes

    def names(self) -> list[str]:
        names = ["" if blank(v) else str(v).strip() for v in self.column(NAME_LABEL)]
        for i, name in enumerate(names):
            if not name:
                self.fail(i, NAME_LABEL, _("企业名称为空"))
        return names

    def years(self) -> np.ndarray:
        years = np.zeros(len(self.table.rows), dtype=np.int64)
        for i, value in enumerate(self.column(FOUNDED_LABEL)):
            found = read_date(value)
            if found is None:
                shown = "" if blank(value) else str(value)
                message = (
                    _("成立日期为空")
                    if not shown
                    else _("无法识别日期“%(text)s”，请写成 2020-03-15") % {"text": shown}
                )
                self.fail(i, FOUNDED_LABEL, message)
            else:
                years[i] = found.year
        return years

    def numbers(self, label: str) -> np.ndarray:
        values = self.column(label)
        out = np.full(len(values), np.nan)
        for i, value in enumerate(values):
            if value is None:
                continue
            number: float | None
            kind = type(value)
            if kind is str:
                try:
                    number = float(value)  # type: ignore[arg-type]  # the common case, in C
                except ValueError:
                    number = read_number(str(value))
                else:
                    number = number if math.isfinite(number) else None  # "nan", "inf" typed as text
            elif kind is float or kind is int:
                number = float(value) if math.isfinite(value) else None  # type: ignore[arg-type]
            else:
                number = None  # a boolean or a date
            if number is None:
                self.fail(i, label, _("“%(text)s”不是数字") % {"text": value})
            elif number == number:
                out[i] = number
        return out

    def flags(self, label: str) -> np.ndarray:
        out = np.zeros(len(self.table.rows), dtype=bool)
        for i, value in enumerate(self.column(label)):
            if blank(value):
                continue
            if isinstance(value, int | float) and value in (0, 1):  # an Excel number or boolean cell
                out[i] = bool(value)
                continue
            text = unicodedata.normalize("NFKC", str(value)).strip().lower()
            if text in TRUE_TEXTS:
                out[i] = True
            elif text not in FALSE_TEXTS:
                self.fail(i, label, _("“%(text)s”无法识别，请填写“是”或“否”") % {"text": value})
        return out


def checked_codes(raw: Sequence[object], rows: Sequence[int]) -> tuple[list[str], dict[int, str]]:
    """A column's credit codes, "" where one is wrong, and what is wrong by row index: a bad code, or a repeat
    of an earlier row (named by its spreadsheet number from `rows`)."""
    codes = [compact_code(v) for v in raw]
    valid = valid_codes(codes)
    first: dict[str, int] = {}
    wrong: dict[int, str] = {}
    for i, code in enumerate(codes):
        if not valid[i]:
            wrong[i] = code_problem(code, raw[i])
            codes[i] = ""
        elif code in first:
            wrong[i] = _("“%(code)s”与第%(row)d行重复") % {"code": code, "row": rows[first[code]]}
        else:
            first[code] = i
    return codes, wrong


def compact_code(value: object) -> str:
    """A credit code as written, without spaces or dashes, in capitals."""
    return "" if blank(value) else re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", str(value))).upper()


def read_number(text: str) -> float | None:
    """A number written with thousands separators or a percent sign; NaN for a blank or a dash (not
    reported); None when it is not a number."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or text in DASHES:
        return math.nan
    compact = re.sub(r"[,\s]", "", text)
    percent = compact.endswith("%")
    if percent:
        compact = compact[:-1]
    if not _NUMBER.fullmatch(compact):
        return None
    return float(compact) / 100 if percent else float(compact)


def read_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or isinstance(value, bool | int | float):
        return None
    match = _DATE.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def valid_codes(codes: Sequence[str]) -> np.ndarray:
    """Which codes have the right form and check digit, computed for all at once (100,000 in milliseconds)."""
    valid = np.array([len(c) == 18 and c[:8].isdigit() and c.isascii() for c in codes], dtype=bool)
    if not valid.any():
        return valid
    table = np.full(128, -1, dtype=np.int64)
    table[[ord(ch) for ch in _ALPHABET]] = np.arange(len(_ALPHABET))
    chars = np.frombuffer(
        "".join(c for c, ok in zip(codes, valid, strict=True) if ok).encode(), dtype=np.uint8
    )
    digits = table[chars].reshape(-1, 18)
    check = (31 - (digits[:, :17] * _WEIGHTS).sum(axis=1) % 31) % 31
    good = (digits >= 0).all(axis=1) & (digits[:, 17] == check)
    valid[valid] = good
    return valid


def code_problem(code: str, value: object) -> str:
    if not code:
        return _("统一社会信用代码为空")
    if isinstance(value, int | float):
        return _("代码被存成了数字（%(value)s），后几位已经丢失：请把这一列设为“文本”格式后重新填写") % {
            "value": value
        }
    try:
        uscc.validate(code)
    except InvalidLength:
        return _("“%(code)s”不是18位统一社会信用代码") % {"code": code}
    except InvalidChecksum:
        return _("“%(code)s”的校验位不正确，请核对代码") % {"code": code}
    except ValidationError:
        pass
    return _("“%(code)s”不是有效的统一社会信用代码（只能由数字和大写字母组成，不含 I、O、Z、S、V）") % {
        "code": code
    }
