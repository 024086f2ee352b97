"""The two sheets the office collects: the enterprise registry (企业库) and a department's figures for a year.
Both are found by their 统一社会信用代码 header below any title rows, checked cell by cell, and come back with
every problem at its row and column; nothing is stored here."""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _

from luoshi.innovation.choices import Industry, LabelKind
from luoshi.innovation.inputs import (
    FALSE_TEXTS,
    TRUE_TEXTS,
    checked_codes,
    read_date,
    read_number,
)
from luoshi.innovation.table import CODE_LABEL, Table, blank
from luoshi.sheets.grid import column_letter
from luoshi.sheets.header import normalise_label
from luoshi.sheets.problems import Problem, error, warning

REGISTRY_COLUMNS = ("企业名称", "成立日期", "所属行业", "所在园区", "联系人", "联系电话", "资质")
MONEY = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}  # to 万元
_UNIT = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?(元|万元|亿元)\s*[）)]")
_LABEL = re.compile(
    r"^(?P<name>[^（(]+?)\s*(?:[（(]\s*(?P<first>\d{4})\s*(?:年)?\s*(?:[-–~至到]\s*(?P<last>\d{4})\s*年?|(?P<open>起|至今))?\s*[）)])?$"
)


@cache
def _written(kind: str) -> dict[str, str]:
    """Name → value of a choice as sheets write it, in Chinese whatever the reader's language; built on first use."""
    choices = {"industry": Industry, "label": LabelKind}[kind]
    with translation.override("zh-hans"):
        names = {str(label): str(value) for value, label in choices.choices}
    if kind == "label":
        names |= {"瞪羚": LabelKind.GAZELLE.value, "独角兽": LabelKind.UNICORN.value}
    return names


@dataclass
class RegistryRow:
    row: int
    credit_code: str
    name: str
    founded: date
    industry: str = ""
    park_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    labels: list[tuple[str, int, int | None]] = field(default_factory=list)


@dataclass
class FigureRow:
    row: int
    enterprise_id: int
    values: dict[int, Decimal]  # field id → value (万元 for money fields)


class _Checker:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[Problem] = []

    def fail(self, index: int, column: int, message: str, severity: str = "error") -> None:
        label = self.table.labels[column] if column < len(self.table.labels) else ""
        text = _("%(letter)s列“%(label)s”：%(message)s") % {
            "letter": column_letter(column), "label": label, "message": message,
        }  # fmt: skip
        make = error if severity == "error" else warning
        self.problems.append(make(text, row=self.table.numbers[index], column=label))

    def sorted(self) -> list[Problem]:
        """By row, as the sheet reads."""
        return sorted(self.problems, key=lambda p: p.row or 0)

    def codes(self) -> list[str]:
        """The rows' credit codes, "" where the code is wrong (and reported)."""
        c = self.table.column(CODE_LABEL) or 0
        codes, wrong = checked_codes(self.table.values(c), self.table.numbers)
        for i, message in wrong.items():
            self.fail(i, c, message)
        return codes


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell comes back as 13800000001.0
    return "" if blank(value) else unicodedata.normalize("NFKC", str(value)).strip()


def _industry(text: str) -> str | None:
    """A section letter from "C", "制造业", "C 制造业" or "C制造业"; None when unknown."""
    if not text:
        return ""
    by_name = _written("industry")
    match = re.fullmatch(r"([A-Ta-t])[\s.、:：]*(.*)", text)
    if match and match.group(1).upper() in Industry.values:
        letter, name = match.group(1).upper(), match.group(2).strip()
        if not name or by_name.get(name) == letter:
            return letter
    return by_name.get(text)


def _labels(text: str) -> list[tuple[str, int, int | None]] | str:
    """("高新技术企业（2023-2025）；专精特新（2024起）") → kinds with years, or what is wrong."""
    found = []
    for part in re.split(r"[;；、,，\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = _LABEL.match(part)
        kind = _written("label").get(match.group("name").strip()) if match else None
        if match is None or kind is None:
            choices = "、".join(list(_written("label"))[: len(LabelKind)])
            return _("不认识的资质“%(text)s”，可填：%(choices)s，并在括号中写明年度") % {
                "text": part,
                "choices": choices,
            }
        if not match.group("first"):
            return _("资质“%(text)s”缺少年度，请写成“%(text)s（2024-2026）”或“%(text)s（2024起）”") % {
                "text": part
            }
        first = int(match.group("first"))
        last = int(match.group("last")) if match.group("last") else None if match.group("open") else first
        if last is not None and last < first:
            return _("资质“%(text)s”的截止年度早于起始年度") % {"text": part}
        found.append((str(kind), first, last))
    return found


def read_registry(table: Table, parks: Mapping[str, int]) -> tuple[list[RegistryRow], list[Problem]]:
    check = _Checker(table)
    where = {label: table.column(label) for label in REGISTRY_COLUMNS}
    for label in ("企业名称", "成立日期"):
        if where[label] is None:
            check.problems.append(error(_("缺少“%(label)s”列") % {"label": label}, table.header_row, label))
    if check.problems:
        return [], check.problems
    codes = check.codes()
    columns = {label: table.values(c) if c is not None else None for label, c in where.items()}
    rows = []
    for i, code in enumerate(codes):
        cell = {label: (_text(values[i]) if values is not None else "") for label, values in columns.items()}
        raw_founded = columns["成立日期"][i] if columns["成立日期"] is not None else None
        founded = read_date(raw_founded)
        found = RegistryRow(table.numbers[i], code, cell["企业名称"], founded or date.min)
        if not found.name:
            check.fail(i, where["企业名称"] or 0, _("企业名称为空"))
        if founded is None:
            message = _("无法识别日期“%(text)s”，请写成 2020-03-15") % {"text": cell["成立日期"]}
            check.fail(i, where["成立日期"] or 0, message if cell["成立日期"] else _("成立日期为空"))
        industry = _industry(cell["所属行业"])
        if industry is None:
            check.fail(
                i,
                where["所属行业"] or 0,
                _("不认识的行业“%(text)s”，请填写国民经济行业门类，如“C”或“制造业”")
                % {"text": cell["所属行业"]},
            )
        found.industry = industry or ""
        if cell["所在园区"]:
            found.park_id = parks.get(cell["所在园区"])
            if found.park_id is None:
                names = "、".join(parks) or _("（尚未设置园区）")
                check.fail(
                    i,
                    where["所在园区"] or 0,
                    _("园区“%(park)s”不存在，已有：%(parks)s") % {"park": cell["所在园区"], "parks": names},
                )
        found.contact_name, found.contact_phone = cell["联系人"][:50], cell["联系电话"][:30]
        labels = _labels(cell["资质"])
        if isinstance(labels, str):
            check.fail(i, where["资质"] or 0, labels)
        else:
            found.labels = labels
        rows.append(found)
    return rows, check.sorted()


@dataclass
class DataField:
    """What reading a department sheet needs of a catalogue field."""

    id: int
    column: str
    unit: str
    is_flag: bool


def read_figures(
    table: Table, fields: Sequence[DataField], enterprises: Mapping[str, int]
) -> tuple[list[FigureRow], list[Problem], list[str]]:
    """The sheet's figures for the catalogue fields it has (money converted to the field's unit from 元, 万元 or
    亿元 named in the heading); rows of enterprises not in the registry are left out with a warning. Returns
    the rows, the problems and the names of the fields found."""
    check = _Checker(table)
    matched: list[tuple[DataField, int, Decimal]] = []
    by_label = {normalise_label(f.column): f for f in fields}
    seen: dict[int, str] = {}
    for c, label in enumerate(table.labels):
        known = by_label.get(normalise_label(label))
        if known is None:
            continue
        if (
            known.id in seen
        ):  # "营业收入（本年）" and "营业收入（上年）": which one is meant is not ours to guess
            message = _("“%(first)s”和“%(second)s”都对应数据项“%(field)s”，请删去或改名其中一列") % {
                "first": seen[known.id], "second": label, "field": known.column,
            }  # fmt: skip
            check.problems.append(error(message, table.header_row, label))
            continue
        seen[known.id] = label
        written = _UNIT.search(label)
        factor = Decimal(1)
        if written and known.unit in MONEY:
            factor = MONEY[written.group(1)] / MONEY[known.unit]
        matched.append((known, c, factor))
    if not matched:
        names = "、".join(f.column for f in fields)
        check.problems.append(
            error(
                _("表中没有可识别的数据项，表头应使用数据目录中的名称：%(names)s") % {"names": names},
                table.header_row,
            )
        )
        return [], check.problems, []
    codes = check.codes()
    rows = []
    for i, code in enumerate(codes):
        if not code:
            continue
        enterprise_id = enterprises.get(code)
        if enterprise_id is None:
            check.fail(
                i,
                table.column(CODE_LABEL) or 0,
                _("企业库中没有“%(code)s”，本行未导入；请先在企业库中登记这家企业") % {"code": code},
                "warning",
            )
            continue
        values: dict[int, Decimal] = {}
        for known, c, factor in matched:
            figure = _figure(check, i, c, table.values(c)[i], known.is_flag)
            if figure is not None:
                values[known.id] = (figure * factor).quantize(Decimal("0.0001"))
        rows.append(FigureRow(table.numbers[i], enterprise_id, values))
    return rows, check.sorted(), [f.column for f, _c, _factor in matched]


def _figure(check: _Checker, i: int, c: int, value: object, is_flag: bool) -> Decimal | None:
    if blank(value):
        return None
    if is_flag:
        text = _text(value).lower()
        if text in TRUE_TEXTS or value is True or value == 1:
            return Decimal(1)
        if text in FALSE_TEXTS or value is False or value == 0:
            return Decimal(0)
        check.fail(i, c, _("“%(text)s”无法识别，请填写“是”或“否”") % {"text": value})
        return None
    if isinstance(value, bool):
        number: float | None = None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        number = read_number(_text(value))
    if number is not None and number != number:
        return None  # a dash: not reported
    if number is None or not abs(number) < 1e15:
        check.fail(i, c, _("“%(text)s”不是数字") % {"text": value})
        return None
    return Decimal(str(number))
