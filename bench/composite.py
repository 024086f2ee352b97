"""The composite engine's speed: the ASEM pipeline in-process, 1,000 uncertainty replications on ASEM, 10,000
replications on a synthetic 300 units × 40 indicators, and the gap to rank 10 of a zone ranked 14th among 170 on 45
indicators. No database.

Run: `.venv/bin/python -m bench.composite [--json]`. Prints {"asem_pipeline_ms", "asem_uncertainty_1000_s",
"synthetic_uncertainty_10000_s", "asem_sensitivity_s", "asem_sensitivity_runs", "gap_170x45_ms"}; the pipeline and
gap figures are medians of 50 and 10 runs after one warm-up."""

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from luoshi.composite import frame, gap, pipeline
from luoshi.composite.uncertainty import sensitivity, uncertainty

ASEM = Path(__file__).resolve().parents[1] / "luoshi" / "composite" / "asem"


def synthetic(units: int, indicators: int, seed: int = 1) -> tuple[frame.Dataset, frame.Hierarchy]:
    """Lognormal indicators (skewed, so treatment has work), 5 % missing, two groups; 8 pillars, 2 sub-indices."""
    rng = np.random.default_rng(seed)
    pillars = [f"P{p}" for p in range(8)]
    meta = [
        {"iCode": f"I{i:02d}", "Level": "1", "Parent": pillars[i % 8], "Direction": "-1" if i % 5 == 0 else "1",
         "Weight": "1", "Type": "Indicator"}
        for i in range(indicators)
    ]  # fmt: skip
    meta += [
        {"iCode": p, "Level": "2", "Parent": "S0" if n < 5 else "S1", "Direction": "1", "Weight": "1", "Type": "Aggregate"}
        for n, p in enumerate(pillars)
    ]  # fmt: skip
    meta += [
        {"iCode": s, "Level": "3", "Parent": "Index", "Direction": "1", "Weight": "1", "Type": "Aggregate"}
        for s in ("S0", "S1")
    ]
    meta += [
        {"iCode": "Index", "Level": "4", "Parent": "", "Direction": "1", "Weight": "1", "Type": "Aggregate"},
        {"iCode": "Group", "Level": "", "Parent": "", "Direction": "", "Weight": "", "Type": "Group"},
    ]
    tree = frame.hierarchy(meta)
    values = rng.lognormal(0.0, 1.0, size=(units, indicators))
    values[rng.random(values.shape) < 0.05] = np.nan
    rows = [
        {"uCode": f"U{u:03d}", "Group": "A" if u % 2 else "B"}
        | {
            f"I{i:02d}": "" if np.isnan(values[u, i]) else repr(float(values[u, i]))
            for i in range(indicators)
        }
        for u in range(units)
    ]
    return frame.dataset(rows, tree), tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    data, tree = frame.load(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")
    cfg = pipeline.read_config(ASEM / "pipeline.toml")
    pipeline.run(data, tree, cfg)
    runs = []
    for _ in range(50):
        started = time.perf_counter()
        pipeline.run(data, tree, cfg)
        runs.append(time.perf_counter() - started)
    started = time.perf_counter()
    uncertainty(data, tree, cfg, 1000)
    asem_ua = time.perf_counter() - started
    started = time.perf_counter()
    found = sensitivity(data, tree, cfg, 1024)
    asem_sa = time.perf_counter() - started

    big, big_tree = synthetic(300, 40)
    big_cfg = cfg.replace(denominate=False, impute="group_median", impute_group="Group")
    started = time.perf_counter()
    uncertainty(big, big_tree, big_cfg, 10_000)
    big_ua = time.perf_counter() - started

    zones, zones_tree = synthetic(170, 45, seed=2)
    minmax = pipeline.Config()  # docs/domain.md §6.3(b): min-max [0, 100], weighted arithmetic means
    ranked = pipeline.run(zones, zones_tree, minmax)
    row = int(np.argsort(-ranked.column(zones_tree.top), kind="stable")[13])
    holes = np.isnan(zones.values[row])  # the gap needs our whole row: fill ours with the column medians
    zones.values[row, holes] = np.nanmedian(zones.values[:, holes], axis=0)
    ours = zones.units[row]
    gaps = []
    for _ in range(11):
        started = time.perf_counter()
        gap.analyse(zones, zones_tree, minmax, ours, 10)
        gaps.append(time.perf_counter() - started)
    result = {
        "asem_pipeline_ms": round(statistics.median(runs) * 1000, 2),
        "asem_uncertainty_1000_s": round(asem_ua, 3),
        "synthetic_uncertainty_10000_s": round(big_ua, 2),
        "asem_sensitivity_s": round(asem_sa, 3),
        "asem_sensitivity_runs": found.runs,
        "gap_170x45_ms": round(statistics.median(gaps[1:]) * 1000, 1),
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
