"""The scoring contract of issue 15 written out a second time, plainly, one enterprise and one rule at a time,
from the issue's text and nothing else: the tests hold the engine's results to it."""

import math
from typing import Any


def _fraction(method: str, spec: dict[str, Any], x: float, peers: list[float]) -> float:
    if method == "capped_ratio":
        return min(max(x, 0.0) / spec["ref"], 1.0)
    if method == "goalposts":
        return min(max((x - spec["low"]) / (spec["high"] - spec["low"]), 0.0), 1.0)
    if method == "bands":
        return spec["scores"][sum(1 for c in spec["cuts"] if c <= x)]
    if method == "prank":
        n = len(peers)
        if n == 1:
            return 1.0
        below = sum(1 for p in peers if p < x)
        equal = sum(1 for p in peers if p == x)
        r = below + (equal + 1) / 2  # ascending rank, ties averaged
        return (r - 1) / (n - 1)
    raise AssertionError(method)


def _value(spec: dict[str, Any], row: dict[str, Any]) -> float | None:
    x = row["numbers"][spec["column"]]
    if "previous" not in spec:
        return x
    p = row["numbers"][spec["previous"]]
    if x is None or p is None:
        return None
    cap = spec.get("growth_cap", math.inf)
    if p > 0:
        g = (x - p) / p
    else:
        g = cap if x > 0 else 0.0
    return min(g, cap)


def _competition(points: list[float]) -> list[int]:
    return [1 + sum(1 for q in points if q > p) for p in points]


def score(framework: dict[str, Any], rows: list[dict[str, Any]], year: int) -> list[dict[str, Any]]:
    """`rows`: code, name, founded (a date), numbers by column (None: not reported), flags by column."""
    stages = framework["stage"]
    for row in rows:
        age = year - row["founded"].year
        row["stage"] = next((s["code"] for s in stages[:-1] if age <= s["max_age"]), stages[-1]["code"])
    values: dict[str, list[float | None]] = {}
    for spec in framework["indicator"] + framework.get("bonus", []):
        values[spec["code"]] = [_value(spec, row) for row in rows]
    out = []
    for i, row in enumerate(rows):
        core = bonus = penalty = 0.0
        missing = []
        for kind in ("indicator", "bonus"):
            for spec in framework.get(kind, []):
                x = values[spec["code"]][i]
                if x is None:
                    missing.append(spec["code"])
                    continue
                peers = [
                    v
                    for j, v in enumerate(values[spec["code"]])
                    if v is not None and rows[j]["stage"] == row["stage"]
                ]
                f = _fraction(spec["method"], spec, x, peers)
                if kind == "indicator":
                    core += spec["weights"].get(row["stage"], 0.0) * f
                else:
                    bonus += spec["points"] * f
        bonus = min(bonus, framework["framework"]["bonus_cap"])
        veto = False
        for spec in framework.get("penalty", []):
            if spec.get("veto"):
                veto = veto or row["flags"][spec["column"]]
            elif row["numbers"][spec["column"]] is not None:
                penalty += min(spec["points_each"] * max(row["numbers"][spec["column"]], 0.0), spec["max"])
        points = 0.0 if veto else max(core + bonus - penalty, 0.0)
        out.append(
            {
                "credit_code": row["code"],
                "name": row["name"],
                "stage": row["stage"],
                "core": core,
                "bonus": bonus,
                "penalty": penalty,
                "points": points,
                "veto": veto,
                "missing": ";".join(missing),
            }
        )
    _rank(framework, out)
    return out


def _rank(framework: dict[str, Any], out: list[dict[str, Any]]) -> None:
    eligible = [r for r in out if not r["veto"]]
    for r, rank in zip(eligible, _competition([round(r["points"], 9) for r in eligible]), strict=True):
        r["rank"] = rank
    tiers = framework["tiers"]
    for stage in {r["stage"] for r in eligible}:
        group = [r for r in eligible if r["stage"] == stage]
        for r, rank in zip(group, _competition([round(r["points"], 9) for r in group]), strict=True):
            r["stage_rank"] = rank
            if tiers["method"] == "percentile":
                share = rank / len(group)
                r["tier"] = next((t for t in "ABC" if share <= tiers[t]), "D")
            else:
                r["tier"] = next((t for t in "ABC" if round(r["points"], 9) >= tiers[t]), "D")
    for r in out:
        if r["veto"]:
            r["rank"] = r["stage_rank"] = None
            r["tier"] = "ineligible"


def read_csv(path: str, framework: dict[str, Any]) -> list[dict[str, Any]]:
    """A plain CSV (one header row, numbers as Python writes them) in the shape `score` takes."""
    import csv
    from datetime import date

    vetoes = {p["column"] for p in framework.get("penalty", []) if p.get("veto")}
    measures = framework["indicator"] + framework.get("bonus", [])
    wanted = {m["column"] for m in measures} | {m["previous"] for m in measures if "previous" in m}
    wanted |= {p["column"] for p in framework.get("penalty", []) if not p.get("veto")}
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for record in csv.DictReader(f):
            numbers = {k: float(record[k]) if record[k].strip() else None for k in wanted}
            flags = {k: record[k].strip().lower() in ("是", "1", "y", "yes", "true", "有") for k in vetoes}
            rows.append(
                {
                    "code": record["统一社会信用代码"],
                    "name": record["企业名称"],
                    "founded": date.fromisoformat(record["成立日期"]),
                    "numbers": numbers,
                    "flags": flags,
                }
            )
    return rows
