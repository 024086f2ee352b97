"""A scheme version and a table of figures → the composite engine's inputs → scores, ranks and explanations.
Pure (no database): actions load the figures and store what comes out."""

import csv
import io
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import tomli_w

from luoshi.composite import frame, pipeline, steps
from luoshi.composite.errors import CompositeError, _
from luoshi.composite.uncertainty import SensitivityResult
from luoshi.composite.uncertainty import sensitivity as sobol
from luoshi.composite.uncertainty import uncertainty as rank_uncertainty

COLUMNS = ("iCode", "iName", "Level", "Parent", "Weight", "Direction", "Type")
KINDS = ("bonus", "penalty")

Figures = Mapping[str, float | None]  # indicator code → value (None when missing)
Table = Mapping[int, Figures]  # by unit id


def parse_structure(text: str) -> list[dict[str, str]]:
    """The hierarchy as pasted or uploaded: CSV with COINr's iMeta headings (iCode, iName, Level, Parent,
    Weight, Direction, Type). Type may be left out: level 1 is an indicator, higher levels aggregates."""
    reader = csv.DictReader(io.StringIO(text.strip().lstrip("\ufeff")))
    rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    if not rows:
        raise CompositeError(_("指标体系是空的"))
    for row in rows:
        if not row.get("Type"):
            row["Type"] = frame.INDICATOR if row.get("Level") == "1" else frame.AGGREGATE
    return rows


def parse_pipeline(text: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CompositeError(_("配置文件不是有效的 TOML：%(error)s"), error=str(e)) from None
    pipeline.config(data)  # checked here, so a version never stores one the engine refuses
    return data


def check_adjustments(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, item in enumerate(items, start=1):
        kind, cap = item.get("kind"), item.get("cap")
        if kind not in KINDS:
            raise CompositeError(_("加减分项的类别应为 bonus 或 penalty"), row=n, column="kind")
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int | float) or cap < 0):
            raise CompositeError(_("加减分项的上限应为不小于 0 的数"), row=n, column="cap")
        points = item.get("points", 1)
        if isinstance(points, bool) or not isinstance(points, int | float) or not points > 0:
            raise CompositeError(_("加减分项的每项分值应为大于 0 的数"), row=n, column="points")
        out.append({"indicator": str(item.get("indicator", "")), "kind": kind, "cap": cap, "points": points})
    return out


def sectors(structure: Sequence[Mapping[str, str]]) -> list[str]:
    """The children of the top aggregate (the row without a parent), in the order written: the sectors stars
    are awarded in and the results page shows."""
    top = next((r["iCode"] for r in structure if not r.get("Parent")), None)
    return [r["iCode"] for r in structure if top is not None and r.get("Parent") == top]


def tree_for(structure: Sequence[Mapping[str, str]], directions: Mapping[str, int]) -> frame.Hierarchy:
    """The hierarchy, indicators without a Direction taking their library's."""
    rows = []
    for row in structure:
        filled = dict(row)
        if not filled.get("Direction"):
            filled["Direction"] = str(directions.get(filled.get("iCode", ""), 1))
        rows.append(filled)
    return frame.hierarchy(rows)


@dataclass
class Scored:
    units: list[int]
    codes: tuple[str, ...]
    top: str
    scores: np.ndarray  # units × codes
    final: np.ndarray  # the top aggregate with adjustments
    adjustment: np.ndarray
    ranks: np.ndarray  # of `final`
    code_ranks: np.ndarray  # units × codes
    # per unit: [code, weight, value, contribution] of each of the top's children
    contributions: list[list[list[str | float | None]]]
    interval: tuple[np.ndarray, np.ndarray, np.ndarray] | None  # median, q05, q95 ranks of the top


def compute(
    tree: frame.Hierarchy,
    steps_config: Mapping[str, Any],
    adjustments: Sequence[Mapping[str, Any]],
    table: Table,
    replications: int = 0,
    seed: int = 0,
) -> Scored:
    cfg = pipeline.config(steps_config)
    if not table:
        raise CompositeError(_("这一期没有任何单位的指标数据"))
    data = dataset(tree, table)
    result = pipeline.run(data, tree, cfg)
    units = [int(u) for u in result.units]
    top = result.column(tree.top)
    adjustment = np.zeros(len(units))
    for item in adjustments:
        # Counted items (a missing report, an overdue order) are worth `points` each; versions stored before
        # points existed count the value itself.
        values = np.array([_figure(table[u].get(item["indicator"])) for u in units]) * item.get("points", 1)
        if item["cap"] is not None:
            values = np.minimum(values, item["cap"])
        adjustment += values if item["kind"] == "bonus" else -values
    final = top + adjustment
    code_ranks = result.ranks
    contributions = []
    for u in result.units:
        explained = pipeline.explain(result, tree, u, tree.top)
        contributions.append(
            [[c.code, _json(c.weight), _json(c.value), _json(c.contribution)] for c in explained.children]
        )
    interval = None
    if replications:
        found = rank_uncertainty(data, tree, cfg, replications, seed=seed)
        interval = (found.median, found.q05, found.q95)
    return Scored(
        units, tree.codes, tree.top, result.scores, final, adjustment, steps.rank_min(final), code_ranks,
        contributions, interval,
    )  # fmt: skip


def sensitivity(params: Mapping[str, Any], directions: Mapping[str, int], n: int = 256) -> SensitivityResult:
    """Sobol indices of a stored run's uncertain choices (weights, normalisation, aggregation, imputation), from
    the run's own parameters and figures: which choice moves the ranking most."""
    tree = tree_for(params["structure"], directions)
    data = dataset(tree, params["data"])
    return sobol(data, tree, pipeline.config(params["pipeline"]), n, seed=params["seed"])


def dataset(tree: frame.Hierarchy, table: Table | Mapping[str, Figures]) -> frame.Dataset:
    """A table of figures (unit → code → value, None when missing) as the engine's dataset: the engine reads
    iData text as offices write it, so each figure goes in as text and a missing one as an empty cell."""
    rows = [
        {"uCode": str(unit), **{c: _cell(f.get(c)) for c in tree.indicators}} for unit, f in table.items()
    ]
    return frame.dataset(rows, tree)


def _cell(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def _json(value: float) -> float | None:
    """A child the unit has no figure for is left out of its score (weights renormalised): stored as null."""
    return None if np.isnan(value) else float(value)


def _figure(value: float | None) -> float:
    return 0.0 if value is None else float(value)


DEFAULT_PIPELINE = """[normalise]
method = "minmax"
range = [0, 100]

[aggregate]
method = "arithmetic_mean"
"""


# The default quarterly unit assessment (domain.md §4.1, §6.3(e)): the execution facts Luoshi computes
# (assessment.facts) on fixed goalposts, so a unit's score says how well it did, not only how it compares;
# 2 points off per missing report (at most 20) and the supervision office's evaluation (0–20) on top.
UNIT_QUARTERLY_STRUCTURE = """iCode,iName,Level,Parent,Weight
EXEC_ONTIME,按时报送率,1,EXECUTION,30
EXEC_ON_TRACK,事项序时推进率,1,EXECUTION,30
EXEC_RED,红色预警,1,EXECUTION,20
EXEC_ORDERS,督办按期办结率,1,EXECUTION,20
EXECUTION,落实情况,2,,1
"""
UNIT_QUARTERLY_PIPELINE = """[normalise]
method = "goalposts"
lower = 0
upper = 100

[normalise.by_indicator.EXEC_RED]
method = "goalposts"
lower = 0
upper = 5

[aggregate]
method = "arithmetic_mean"
"""
UNIT_QUARTERLY_ADJUSTMENTS = """EXEC_MISSING,penalty,20,2
OFFICE_EVAL,bonus,20
"""


def adjustment_line(item: Mapping[str, Any]) -> str:
    """A stored bonus or penalty item back as the line the version form reads."""
    cap = "" if item["cap"] is None else f"{item['cap']:g}"
    points = item.get("points", 1)
    return f"{item['indicator']},{item['kind']},{cap}" + ("" if points == 1 else f",{points:g}")


def pipeline_text(config: Mapping[str, Any]) -> str:
    """A stored pipeline back as TOML, for editing the next version."""
    return tomli_w.dumps(dict(config))


def contest_text(contest: Mapping[str, Any]) -> str:
    """Stored contest rules back as TOML, for editing the next version."""
    if not contest:
        return ""
    data: dict[str, Any] = {"stars": {"enabled": bool(contest.get("stars"))}}
    if contest.get("flags"):
        data["flags"] = list(contest["flags"])
    return tomli_w.dumps(data)


def parse_contest(text: str) -> dict[str, Any]:
    """The star-and-flag rules, in TOML:

    [stars]
    enabled = true                 # in each sector (child of the top), n units win n … 1 stars by rank
    [[flags]]
    name = "真抓实干、勇当排头"
    top = 2                        # the first two of the final ranking
    [[flags]]
    name = "加压奋进、进位赶超"
    rise = 2                       # up two places or more against the previous period
    """
    if not text.strip():
        return {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CompositeError(_("评星与授旗规则不是有效的 TOML：%(error)s"), error=str(e)) from None
    for key in data:
        if key not in ("stars", "flags"):
            raise CompositeError(_("不认识的规则“%(key)s”"), column=f"[{key}]", key=key)
    stars = data.get("stars", {})
    if not isinstance(stars, dict) or not isinstance(stars.get("enabled", True), bool):
        raise CompositeError(_("应为 true 或 false"), column="[stars] enabled")
    flags = []
    for n, flag in enumerate(data.get("flags", []), start=1):
        name = flag.get("name") if isinstance(flag, dict) else None
        given = [k for k in ("top", "rise") if k in (flag if isinstance(flag, dict) else {})]
        if not isinstance(name, str) or not name.strip():
            raise CompositeError(_("第%(n)d面旗缺少名称"), column="[[flags]] name", n=n)
        if len(given) != 1 or not isinstance(flag[given[0]], int) or flag[given[0]] < 1:
            raise CompositeError(
                _("第%(n)d面旗应有 top（前几名）或 rise（进位几名）之一，为正整数"), column="[[flags]]", n=n
            )
        flags.append({"name": name.strip(), given[0]: flag[given[0]]})
    return {"stars": bool(stars.get("enabled", True)) if "stars" in data else False, "flags": flags}


def contest_outcome(
    sector_ranks: Mapping[str, Sequence[float]],
    ranks: Sequence[int],
    previous: Sequence[int | None],
    contest: Mapping[str, Any],
) -> tuple[list[dict[str, int]], list[list[str]]]:
    """Per unit: stars per sector (n units: rank 1 wins n stars … rank n wins 1) and the flags it won."""
    n = len(ranks)
    stars: list[dict[str, int]] = [{} for _unit in ranks]
    if contest.get("stars"):
        for code, column in sector_ranks.items():
            for u, rank in enumerate(column):
                stars[u][code] = 0 if np.isnan(rank) else int(n + 1 - rank)
    flags: list[list[str]] = [[] for _unit in ranks]
    for flag in contest.get("flags", []):
        for u, rank in enumerate(ranks):
            before = previous[u]
            if ("top" in flag and rank <= flag["top"]) or (
                "rise" in flag and before is not None and before - rank >= flag["rise"]
            ):
                flags[u].append(flag["name"])
    return stars, flags
