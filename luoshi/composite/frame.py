"""The engine's inputs in COINr's format: a units × indicators table (iData) and its metadata (iMeta) with the
hierarchy. Reading and checking them is most of what can go wrong, so every check names the row, column or code.

iMeta columns: Level, iCode, Parent, Direction, Weight, Denominator, Type (Indicator, Aggregate, Group,
Denominator), optionally iName and Target. iData: uCode, optional uName and Time, then one column per indicator,
group and denominator. Rows of iData are sorted by uCode, as COINr's new_coin does."""

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from luoshi.composite.errors import CompositeError, _

INDICATOR, AGGREGATE, GROUP, DENOMINATOR = "Indicator", "Aggregate", "Group", "Denominator"
TYPES = (INDICATOR, AGGREGATE, GROUP, DENOMINATOR)
PASSED_THROUGH = ("uCode", "uName", "Time")
MISSING = ("", "NA", "N/A", "NaN", "nan", "-", "—", "/")


@dataclass(frozen=True)
class Node:
    code: str
    level: int
    parent: str | None
    weight: float
    direction: int
    denominator: str | None = None
    name: str = ""
    target: float | None = None


@dataclass(frozen=True)
class Hierarchy:
    """Indicators (level 1, in iMeta order) and aggregates (bottom-up: by level, then iMeta order)."""

    nodes: dict[str, Node]
    indicators: tuple[str, ...]
    aggregates: tuple[str, ...]
    children: dict[str, tuple[str, ...]]
    groups: tuple[str, ...] = ()
    denominators: tuple[str, ...] = ()

    @property
    def top(self) -> str:
        return self.aggregates[-1]

    @property
    def codes(self) -> tuple[str, ...]:
        return self.indicators + self.aggregates

    def level(self, n: int) -> tuple[str, ...]:
        return tuple(c for c in self.codes if self.nodes[c].level == n)

    def directions(self) -> np.ndarray:
        return np.array([self.nodes[c].direction for c in self.indicators], dtype=float)


@dataclass
class Dataset:
    """Units (sorted uCode) × indicators (the hierarchy's order), NaN for missing; `meta` holds each unit's
    other columns (groups as text, denominators as numbers, uName)."""

    units: tuple[str, ...]
    values: np.ndarray
    meta: dict[str, list[Any]] = field(default_factory=dict)


def _number(text: str | float | None) -> float | None:
    """A cell as a number: None when it is empty or marked missing; ValueError when it is text."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return None if math.isnan(text) else float(text)
    cleaned = text.strip().replace(",", "")
    if cleaned in MISSING:
        return None
    return float(cleaned)


def read_csv(path: str | Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV (a BOM from Excel is fine) as dicts; row 2 of the file is the first."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError:
        raise CompositeError(_("找不到文件 %(path)s"), path=str(path)) from None
    except UnicodeDecodeError:
        raise CompositeError(_("文件 %(path)s 不是 UTF-8 编码的 CSV"), path=str(path)) from None


def hierarchy(rows: Iterable[Mapping[str, str]]) -> Hierarchy:
    """Check iMeta (rows as read from the CSV, the first being file row 2) and build the hierarchy."""
    rows = list(rows)
    if not rows:
        raise CompositeError(_("指标元数据是空的"))
    for column in ("iCode", "Type", "Level", "Parent", "Direction", "Weight"):
        if column not in rows[0]:
            raise CompositeError(_("指标元数据缺少“%(column)s”列"), column=column)
    nodes: dict[str, Node] = {}
    groups, denominators, order = [], [], []
    for n, row in enumerate(rows, start=2):
        code, kind = (row.get("iCode") or "").strip(), (row.get("Type") or "").strip()
        if not code:
            raise CompositeError(_("缺少代码"), row=n, column="iCode")
        if code in nodes or code in groups or code in denominators:
            raise CompositeError(_("代码重复"), row=n, column="iCode", code=code)
        if kind not in TYPES:
            raise CompositeError(
                _("类型“%(kind)s”不可识别，应为 Indicator、Aggregate、Group 或 Denominator"),
                row=n,
                column="Type",
                code=code,
                kind=kind,
            )
        if kind == GROUP:
            groups.append(code)
            continue
        if kind == DENOMINATOR:
            denominators.append(code)
            continue
        nodes[code] = _node(row, n, code)
        order.append(code)
    _check_tree(nodes, rows)
    by_level = sorted(order, key=lambda c: (nodes[c].level, order.index(c)))
    indicators = tuple(c for c in by_level if nodes[c].level == 1)
    aggregates = tuple(c for c in by_level if nodes[c].level > 1)
    _check_levels(nodes, indicators, aggregates, rows, denominators)
    children = {a: tuple(c for c in by_level if nodes[c].parent == a) for a in aggregates}
    return Hierarchy(nodes, indicators, aggregates, children, tuple(groups), tuple(denominators))


def _check_levels(
    nodes: Mapping[str, Node],
    indicators: Sequence[str],
    aggregates: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    denominators: Sequence[str],
) -> None:
    """Level 1 holds indicators, the levels above aggregates; an indicator's denominator is one of iMeta's."""
    kinds = {(r.get("iCode") or "").strip(): (r.get("Type") or "").strip() for r in rows}
    for code in indicators:
        if kinds[code] != INDICATOR:
            raise CompositeError(_("第1层只能是指标（Indicator）"), code=code)
    for code in aggregates:
        if kinds[code] != AGGREGATE:
            raise CompositeError(_("第2层及以上只能是汇总项（Aggregate）"), code=code)
    for code in indicators:
        den = nodes[code].denominator
        if den and den not in denominators:
            raise CompositeError(
                _("分母“%(denominator)s”不是元数据中的分母（Denominator）"),
                column="Denominator",
                code=code,
                denominator=den,
            )


def _node(row: Mapping[str, str], n: int, code: str) -> Node:
    def number(column: str, required: bool = True) -> float | None:
        try:
            value = _number(row.get(column))
        except ValueError:
            raise CompositeError(
                _("“%(value)s”不是数字"), row=n, column=column, code=code, value=row.get(column)
            ) from None
        if value is None and required:
            raise CompositeError(_("缺少数值"), row=n, column=column, code=code)
        return value

    level = number("Level")
    if level is None or level < 1 or not float(level).is_integer():
        raise CompositeError(_("层级应为 1 起的整数"), row=n, column="Level", code=code)
    direction = number("Direction")
    if direction not in (1.0, -1.0):
        raise CompositeError(_("方向应为 1 或 -1"), row=n, column="Direction", code=code)
    weight = number("Weight")
    if weight is None or weight < 0:
        raise CompositeError(_("权重不能为负数"), row=n, column="Weight", code=code)
    parent = (row.get("Parent") or "").strip() or None
    denominator = (row.get("Denominator") or "").strip()
    return Node(
        code=code,
        level=int(level),
        parent=None if parent in MISSING else parent,
        weight=float(weight),
        direction=int(direction),
        denominator=None if denominator in MISSING else denominator,
        name=(row.get("iName") or "").strip(),
        target=number("Target", required=False) if "Target" in row else None,
    )


def _check_tree(nodes: dict[str, Node], rows: list[Mapping[str, str]]) -> None:
    """One top node; every parent exists, is one level up, and no code is its own ancestor; every level between
    1 and the top is used; every aggregate has children."""
    line = {(r.get("iCode") or "").strip(): n for n, r in enumerate(rows, start=2)}
    tops = [c for c, node in nodes.items() if node.parent is None]
    if len(tops) != 1:
        raise CompositeError(
            _("应有且只有一个顶层（无上级）的汇总项，现在有 %(n)d 个：%(codes)s"),
            n=len(tops),
            codes="、".join(tops),
        )
    for code, node in nodes.items():
        if node.parent is None:
            continue
        parent = nodes.get(node.parent)
        if parent is None or parent.level != node.level + 1:
            raise CompositeError(
                _("上级“%(parent)s”不在元数据中")
                if parent is None
                else _("上级“%(parent)s”在第%(plevel)d层，应在第%(want)d层"),
                row=line[code],
                column="Parent",
                code=code,
                parent=node.parent,
                plevel=parent.level if parent else 0,
                want=node.level + 1,
            )
    # Levels strictly increase towards the parent, so a cycle cannot pass the check above; the top must be the
    # highest level, and every level between must appear.
    top = nodes[tops[0]]
    used = {node.level for node in nodes.values()}
    missing = [lvl for lvl in range(1, top.level + 1) if lvl not in used]
    if missing or max(used) != top.level:
        raise CompositeError(_("层级不连续：缺少第%(levels)s层"), levels="、".join(map(str, missing)) or "?")
    parents = {node.parent for node in nodes.values()}
    for code, node in nodes.items():
        if node.level > 1 and code not in parents:
            raise CompositeError(_("汇总项没有下级"), row=line[code], code=code)


def dataset(rows: Iterable[Mapping[str, str]], tree: Hierarchy) -> Dataset:
    """Check iData against the hierarchy and build the table, rows sorted by uCode."""
    rows = list(rows)
    if not rows:
        raise CompositeError(_("数据表是空的"))
    columns = list(rows[0])
    if "uCode" not in columns:
        raise CompositeError(_("数据表缺少“uCode”列"), column="uCode")
    known = set(tree.indicators) | set(tree.groups) | set(tree.denominators)
    for column in columns:
        if column in tree.aggregates:
            raise CompositeError(_("汇总项不应出现在数据表中"), column=column)
        if column not in PASSED_THROUGH and column not in known:
            raise CompositeError(_("数据表中的这一列不在指标元数据中"), column=column)
    for code in (*tree.indicators, *tree.denominators):
        if code not in columns:
            raise CompositeError(_("元数据中的这一项在数据表中没有对应的列"), column=code)
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        unit = (row.get("uCode") or "").strip()
        if not unit:
            raise CompositeError(_("缺少单位代码"), row=n, column="uCode")
        if unit in seen:
            raise CompositeError(
                _("单位代码与第%(other)d行重复"), row=n, column="uCode", code=unit, other=seen[unit]
            )
        seen[unit] = n
    ordered = sorted(rows, key=lambda r: r["uCode"].strip())
    values = np.full((len(ordered), len(tree.indicators)), np.nan)
    meta: dict[str, list[Any]] = {c: [] for c in columns if c not in tree.indicators and c != "uCode"}
    for i, row in enumerate(ordered):
        n = seen[row["uCode"].strip()]
        for j, code in enumerate(tree.indicators):
            values[i, j] = _cell(row.get(code), n, code)
        for column in meta:
            raw = row.get(column)
            if column in tree.denominators:
                meta[column].append(_cell(raw, n, column))
            else:
                text = (raw or "").strip()
                meta[column].append(None if text in MISSING else text)
    return Dataset(tuple(r["uCode"].strip() for r in ordered), values, meta)


def _cell(raw: str | None, row: int, column: str) -> float:
    try:
        value = _number(raw)
    except ValueError:
        raise CompositeError(_("“%(value)s”不是数字"), row=row, column=column, value=raw) from None
    if value is not None and not math.isfinite(value):
        raise CompositeError(_("“%(value)s”不是有限的数字"), row=row, column=column, value=raw)
    return np.nan if value is None else value


def load(data: str | Path, meta: str | Path) -> tuple[Dataset, Hierarchy]:
    tree = hierarchy(read_csv(meta))
    return dataset(read_csv(data), tree), tree
