"""Hostile uploads (issue 11, defects 4 and 8): how fast, and with how much memory, Luoshi refuses or handles
a zip bomb, a workbook of a million rows, and a zone outline of 25,000 features.

Run: `.venv/bin/python -m bench.hostile_uploads`. Each case runs in a child process so that its peak memory
(ru_maxrss) is its own. Budget: refused within 15 s with at most 400 MB peak in the process."""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = ("bomb_plan", "rows_plan", "rows_ledger", "outline_parcels", "outline_pieces")


def build(case: str, folder: Path) -> Path:
    from luoshi.plans.tests.workbooks import sample_xlsx
    from luoshi.projects.tests.geojson import squares
    from luoshi.projects.tests.workbooks import sample_ledger
    from luoshi.sheets.tests.archives import bomb, many_rows, plan_row

    path = folder / f"{case}.bin"
    if case == "bomb_plan":
        path.write_bytes(bomb(sample_xlsx(), "xl/worksheets/sheet1.xml", 300 * 1024 * 1024))
    elif case == "rows_plan":
        path.write_bytes(many_rows(sample_xlsx(), 20, 1_000_000, plan_row))
    elif case == "rows_ledger":
        path.write_bytes(many_rows(sample_ledger(), 20, 1_000_000, plan_row))
    elif case == "outline_parcels":
        path.write_bytes(squares(25_000))  # touching parcels: they merge into one outline
    else:
        path.write_bytes(squares(25_000, gap=1))  # 25,000 separate pieces
    return path


def run(case: str, path: Path) -> dict[str, str | int | float]:
    """In the child: parse or check the file as the upload would, and say what happened and how long it took."""
    data = path.read_bytes()
    start = time.perf_counter()
    outcome = "accepted"
    try:
        if case.endswith("plan"):
            from luoshi.plans.parsing import parse_plan_file

            parsed = parse_plan_file(data, "plan.xlsx", 2026)
            errors = [p for p in parsed.problems if p.severity == "error"]
            outcome = f"refused: {errors[0].message}" if errors else "accepted"
        elif case == "rows_ledger":
            from luoshi.projects.ledger import parse_ledger

            ledger = parse_ledger(data, "ledger.xlsx")
            errors = [p for p in ledger.problems if p.severity == "error"]
            outcome = f"refused: {errors[0].message}" if errors else "accepted"
        else:
            from luoshi.projects import geo

            shape = geo.fit(geo.outline(geo.load_geojson(data)))
            outcome = f"accepted: {geo.vertices(shape)} vertices stored"
    except Exception as error:  # noqa: BLE001  (the bench reports whatever stopped the parse)
        outcome = f"refused: {error}"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "case": case,
        "bytes": len(data),
        "seconds": round(seconds, 2),
        "peak_mb": round(peak),
        "outcome": outcome,
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    if len(sys.argv) == 3:
        print(json.dumps(run(sys.argv[1], Path(sys.argv[2])), ensure_ascii=False))
        return
    folder = Path(tempfile.mkdtemp())
    for case in CASES:
        path = build(case, folder)
        child = subprocess.run(
            [sys.executable, "-m", "bench.hostile_uploads", case, str(path)], capture_output=True, text=True
        )
        if child.returncode:
            print(child.stderr, file=sys.stderr)
            continue
        result = json.loads(child.stdout)
        print(
            f"{result['case']:<16} {result['bytes'] / 1e6:7.1f} MB  {result['seconds']:6.2f} s  "
            f"peak {result['peak_mb']:4d} MB  {result['outcome'][:90]}"
        )


if __name__ == "__main__":
    main()
