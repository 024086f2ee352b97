"""Whatever a framework file holds, the checks answer with FrameworkError (problems naming table and key) or a
framework — never another exception, which the command and the form would show as a crash."""

from typing import Any

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.innovation.framework import FrameworkError, parse
from luoshi.innovation.tests.conftest import small_framework

leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=6), st.lists(st.integers(-2, 5), max_size=3),
)  # fmt: skip
value = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = ["name", "core_points", "bonus_cap", "code", "column", "method", "weights", "ref", "low", "high", "cuts",
        "scores", "previous", "growth_cap", "points", "veto", "points_each", "max", "max_age", "A", "B", "C"]  # fmt: skip


def _without_none(x: Any) -> Any:
    """TOML has no null."""
    if isinstance(x, dict):
        return {k: _without_none(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [_without_none(v) for v in x if v is not None]
    return x


@settings(max_examples=300, deadline=None)
@given(
    table=st.sampled_from(["framework", "stage", "indicator", "bonus", "penalty", "tiers"]),
    index=st.integers(0, 4),
    key=st.sampled_from(KEYS),
    new=value,
)
def test_any_value_anywhere_is_checked_not_crashed(table: str, index: int, key: str, new: Any) -> None:
    spec: dict[str, Any] = small_framework()
    target = spec[table] if isinstance(spec[table], dict) else spec[table][index % len(spec[table])]
    target[key] = new
    try:
        text = tomli_w.dumps(_without_none(spec))
    except (TypeError, ValueError):
        return  # not writable as TOML: no file could hold it
    try:
        parse(text)
    except FrameworkError as e:
        assert e.problems and all(p.column and p.message for p in e.problems)


@settings(max_examples=100, deadline=None)
@given(table=st.sampled_from(["framework", "stage", "indicator", "bonus", "penalty", "tiers"]), new=value)
def test_a_whole_table_replaced(table: str, new: Any) -> None:
    spec: dict[str, Any] = small_framework()
    spec[table] = new
    try:
        text = tomli_w.dumps(_without_none(spec))
    except (TypeError, ValueError):
        return
    try:
        parse(text)
    except FrameworkError as e:
        assert e.problems


cell = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["", "-", "1e999", "nan", "１２", "3,5", "50%", "是", "２０２０-０１-０１"]),
)


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.lists(cell, min_size=12, max_size=12), min_size=1, max_size=4))
def test_any_cell_text_is_checked_not_crashed(cells: list[list[str]]) -> None:
    """Random text in every data cell (codes, dates, numbers, flags): InputsError or inputs, nothing else."""
    from luoshi.innovation import inputs, table
    from luoshi.innovation.framework import parse as parse_framework
    from luoshi.innovation.tests.conftest import COLUMNS, HEADER

    rules = parse_framework(tomli_w.dumps(small_framework()))
    lines = [",".join(HEADER + COLUMNS)] + [
        ",".join(c.replace(",", "").replace("\n", "").replace('"', "") for c in row) for row in cells
    ]
    try:
        found = table.read("\n".join(lines).encode("utf-8"), "data.csv")
        inputs.read(found, rules)
    except (table.TableError, inputs.InputsError):
        pass
