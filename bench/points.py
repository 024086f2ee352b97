"""`luoshi points` on 100,000 enterprises × 30 indicators (every method, three growth indicators, 4 bonus items,
a veto and a deduction, 3 % of cells not reported): the whole command — Django start, reading the file,
checking every cell, scoring, writing the CSV — timed from outside as a user would, with its peak memory.
Median of 3 runs after a warm-up, for the CSV and for the same data as .xlsx.

Run: `.venv/bin/python -m bench.points [--csv-only]` (BENCH_ENTERPRISES, BENCH_INDICATORS). Exits non-zero
when either takes more than 10 s or 1 GB."""

import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", "100000"))
INDICATORS = int(os.environ.get("BENCH_INDICATORS", "30"))
RUNS = 3
METHODS = ("capped_ratio", "goalposts", "bands", "prank")
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(rng: np.random.Generator) -> str:
    body = "913702" + "".join(rng.choice(list("0123456789"), 2)) + "".join(rng.choice(list(_ALPHABET), 9))
    total = sum(_ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(body))
    return body + _ALPHABET[(31 - total % 31) % 31]


def framework(indicators: int) -> str:
    """Three stages; weights spread evenly, the last indicator taking the remainder so each stage adds to 100."""
    lines = [
        '[framework]\nname = "基准框架"\ncore_points = 100\nbonus_cap = 30\n',
        '[[stage]]\ncode = "startup"\nname = "初创期"\nmax_age = 3\n',
        '[[stage]]\ncode = "growth"\nname = "成长期"\nmax_age = 8\n',
        '[[stage]]\ncode = "stable"\nname = "稳定期"\n',
    ]
    base = 100 // indicators
    for k in range(indicators):
        weight = base if k < indicators - 1 else 100 - base * (indicators - 1)
        method = METHODS[k % len(METHODS)]
        params = {
            "capped_ratio": "ref = 500",
            "goalposts": "low = 0.0\nhigh = 800.0",
            "bands": "cuts = [100, 300, 600]\nscores = [0.0, 0.4, 0.7, 1.0]",
            "prank": "",
        }[method]
        growth = f'previous = "指标{k}_上年"\ngrowth_cap = 2.0\n' if k < 3 else ""
        lines.append(
            f'[[indicator]]\ncode = "i{k}"\nname = "指标{k}"\ngroup = "组{k % 3}"\ncolumn = "指标{k}"\n{growth}'
            f'method = "{method}"\n{params}\nweights = {{ startup = {weight}, growth = {weight}, stable = {weight} }}\n'
        )
    for b in range(4):
        lines.append(
            f'[[bonus]]\ncode = "b{b}"\nname = "加分{b}"\ncolumn = "加分{b}"\nmethod = "capped_ratio"\nref = 2\npoints = 10\n'
        )
    lines.append('[[penalty]]\ncode = "veto"\nname = "严重失信"\ncolumn = "严重失信"\nveto = true\n')
    lines.append(
        '[[penalty]]\ncode = "fine"\nname = "行政处罚"\ncolumn = "行政处罚次数"\npoints_each = 5\nmax = 20\n'
    )
    lines.append('[tiers]\nmethod = "percentile"\nA = 0.1\nB = 0.3\nC = 0.6\n')
    return "\n".join(lines)


def data(path: Path, enterprises: int, indicators: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    header = ["统一社会信用代码", "企业名称", "成立日期"]
    header += [f"指标{k}" for k in range(indicators)] + [f"指标{k}_上年" for k in range(3)]
    header += [f"加分{b}" for b in range(4)] + ["严重失信", "行政处罚次数"]
    values = np.round(rng.lognormal(5, 1.2, (enterprises, indicators + 3)), 1).astype(str)
    values[rng.random(values.shape) < 0.03] = ""
    bonus = rng.integers(0, 3, (enterprises, 4)).astype(str)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for i in range(enterprises):
            founded = f"{rng.integers(2000, 2026)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
            flag = "是" if rng.random() < 0.01 else "否"
            fines = str(rng.integers(0, 3)) if rng.random() < 0.05 else "0"
            row = [credit_code(rng), f"基准企业{i:06d}有限公司", founded, *values[i], *bonus[i], flag, fines]
            writer.writerow(row)


def to_xlsx(source: Path, target: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业数据")
    with open(source, encoding="utf-8") as f:
        for n, row in enumerate(csv.reader(f)):
            cells: list[object] = list(row) if n == 0 else [*row[:3], *(_cell(v) for v in row[3:])]
            sheet.append(cells)
    book.save(target)


def _cell(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return text or None


def run(data_path: Path, framework_path: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and this run's peak RSS in MB (from the child's own rusage)."""
    command = [sys.executable, "-m", "luoshi.cli", "points", "--data", str(data_path)]
    command += ["--framework", str(framework_path), "--year", "2025", "--out", str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"luoshi points failed on {data_path}")
    return seconds, usage.ru_maxrss / 1024


def measure(label: str, data_path: Path, framework_path: Path, out: Path) -> tuple[float, float]:
    run(data_path, framework_path, out)  # warm-up: the file in the page cache, Python's bytecode compiled
    found = [run(data_path, framework_path, out) for _n in range(RUNS)]
    times = [seconds for seconds, _peak in found]
    peak = max(p for _seconds, p in found)
    size = data_path.stat().st_size / 1024 / 1024
    print(
        f"{label}: {ENTERPRISES:,} enterprises × {INDICATORS} indicators ({size:.1f} MB): "
        f"median {statistics.median(times):.2f} s ({', '.join(f'{t:.2f}' for t in times)}), "
        f"peak RSS {peak:.0f} MB"
    )
    return statistics.median(times), peak


def main() -> None:
    os.environ.setdefault("LUOSHI_DEBUG", "true")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        framework_path = root / "framework.toml"
        framework_path.write_text(framework(INDICATORS), encoding="utf-8")
        csv_path = root / "enterprises.csv"
        data(csv_path, ENTERPRISES, INDICATORS)
        worst = [measure("CSV", csv_path, framework_path, root / "out.csv")]
        if "--csv-only" not in sys.argv:
            xlsx_path = root / "enterprises.xlsx"
            to_xlsx(csv_path, xlsx_path)
            worst.append(measure("xlsx", xlsx_path, framework_path, root / "out-xlsx.csv"))
    if any(seconds > 10 or peak > 1024 for seconds, peak in worst):
        sys.exit(1)


if __name__ == "__main__":
    main()
