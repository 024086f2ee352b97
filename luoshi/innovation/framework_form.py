"""A framework as a form instead of TOML: stages, indicators with a weight per stage, methods and their
parameters, bonus items, penalties and tiers as rows of fields, turned back into the TOML the framework checks
read. Nothing is checked here: a value that is not a number stays text, and `framework.parse` names its table
and key like any other mistake."""

import math
import tomllib
from collections.abc import Mapping
from typing import Any

import tomli_w

PARAMS = ("ref", "low", "high", "growth_cap")
LISTS = ("cuts", "scores")


MEASURE_KEYS = ("code", "name", "group", "column", "previous", "method", "weights", "points", *PARAMS, *LISTS)


def rows(text: str) -> dict[str, Any]:
    """The TOML's tables as the form's rows (every key present), with one empty row to add each kind of item."""
    try:
        doc = tomllib.loads(text) if text.strip() else {}
    except tomllib.TOMLDecodeError:
        doc = {}
    head = doc.get("framework", {})
    return {
        "head": _row(head, ("name", "core_points", "bonus_cap")),
        "stages": [_row(s, ("code", "name", "max_age")) for s in [*doc.get("stage", []), {}]],
        "indicators": [
            _row(_shown(m), MEASURE_KEYS) for m in [*doc.get("indicator", []), {"method": "capped_ratio"}]
        ],
        "bonuses": [
            _row(_shown(m), MEASURE_KEYS) for m in [*doc.get("bonus", []), {"method": "capped_ratio"}]
        ],
        "penalties": [
            _row(p, ("code", "name", "column", "veto", "points_each", "max"))
            for p in [*doc.get("penalty", []), {}]
        ],
        "tiers": _row(doc.get("tiers", {"method": "percentile"}), ("method", "A", "B", "C")),
    }


def _row(table: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """Every key, "" where the TOML has none (an empty field, never the text "None")."""
    return {key: table.get(key, {} if key == "weights" else "") for key in keys}


def _shown(measure: Mapping[str, Any]) -> dict[str, Any]:
    """Lists as the comma-separated text the form edits."""
    shown = dict(measure)
    for key in LISTS:
        if key in shown and isinstance(shown[key], list):
            shown[key] = ", ".join(_plain(v) for v in shown[key])
    return shown


def _plain(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _number(text: str) -> int | float | str:
    """A number if the text is one (so the TOML holds a number), else the text, for the checks to refuse."""
    text = text.strip().replace("，", ",")
    try:
        value = float(text)
    except ValueError:
        return text
    if not math.isfinite(value):
        return text
    return int(value) if value.is_integer() and "." not in text else value


def _numbers(text: str) -> list[int | float | str]:
    return [_number(part) for part in text.replace("，", ",").split(",") if part.strip()]


def _indexed(data: Mapping[str, str], prefix: str) -> list[int]:
    found = {
        int(key.split("-")[1]) for key in data if key.startswith(prefix + "-") and key.split("-")[1].isdigit()
    }
    return sorted(found)


def _measure(data: Mapping[str, str], prefix: str, n: int, stages: list[str]) -> dict[str, Any] | None:
    get = lambda key: data.get(f"{prefix}-{n}-{key}", "").strip()  # noqa: E731
    if not get("code") or get("delete"):
        return None
    item: dict[str, Any] = {"code": get("code"), "name": get("name"), "column": get("column")}
    if prefix == "indicator" and get("group"):
        item["group"] = get("group")
    if get("previous"):
        item["previous"] = get("previous")
    item["method"] = get("method")
    for key in PARAMS:
        if get(key):
            item[key] = _number(get(key))
    for key in LISTS:
        if get(key):
            item[key] = _numbers(get(key))
    if prefix == "indicator":
        item["weights"] = {s: _number(get(f"w-{s}") or "0") for s in stages}
    else:
        item["points"] = _number(get("points"))
    return item


def _penalty(data: Mapping[str, str], n: int) -> dict[str, Any] | None:
    get = lambda key: data.get(f"penalty-{n}-{key}", "").strip()  # noqa: E731
    if not get("code") or get("delete"):
        return None
    item: dict[str, Any] = {"code": get("code"), "name": get("name"), "column": get("column")}
    if get("veto"):
        item["veto"] = True
    else:
        item["points_each"], item["max"] = _number(get("points_each")), _number(get("max"))
    return item


def toml(data: Mapping[str, str]) -> str:
    """The form's fields as framework TOML."""
    stages = []
    for n in _indexed(data, "stage"):
        code = data.get(f"stage-{n}-code", "").strip()
        if code and not data.get(f"stage-{n}-delete"):
            stage: dict[str, Any] = {"code": code, "name": data.get(f"stage-{n}-name", "").strip()}
            if data.get(f"stage-{n}-max_age", "").strip():
                stage["max_age"] = _number(data[f"stage-{n}-max_age"])
            stages.append(stage)
    codes = [s["code"] for s in stages]
    head: dict[str, Any] = {
        "name": data.get("name", "").strip(),
        "core_points": _number(data.get("core_points", "")),
    }
    if data.get("bonus_cap", "").strip():
        head["bonus_cap"] = _number(data["bonus_cap"])
    doc: dict[str, Any] = {"framework": head, "stage": stages}
    doc["indicator"] = [
        m for n in _indexed(data, "indicator") if (m := _measure(data, "indicator", n, codes))
    ]
    doc["bonus"] = [m for n in _indexed(data, "bonus") if (m := _measure(data, "bonus", n, codes))]
    doc["penalty"] = [p for n in _indexed(data, "penalty") if (p := _penalty(data, n))]
    doc["tiers"] = {"method": data.get("tiers-method", "")} | {
        t: _number(data.get(f"tiers-{t}", "")) for t in "ABC"
    }
    return tomli_w.dumps({k: v for k, v in doc.items() if v != []})
