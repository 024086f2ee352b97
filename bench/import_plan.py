"""Import of a 5,000-row task list: wall time of parse + preview + commit, and the process's peak RSS.

Run: `make bench` (or `.venv/bin/python -m bench.import_plan`). Uses a throwaway SQLite database."""

import os
import resource
import sys
import tempfile
import time

ROWS = int(os.environ.get("BENCH_ROWS", "5000"))


def main() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.workbook import UNITS, task_list
    from luoshi.org.actions import create_unit, create_zone
    from luoshi.plans.actions import import_plan
    from luoshi.plans.importing import preview_import
    from luoshi.plans.parsing import parse_plan_file

    zone = create_zone(f"bench{int(time.time())}", "基准园区")
    for name in UNITS:
        create_unit(zone, name)
    data = task_list(ROWS)

    start = time.perf_counter()
    parsed = parse_plan_file(data, "bench.xlsx", 2026)
    parsed_at = time.perf_counter()
    preview = preview_import(zone, 2026, parsed, title="基准计划")
    assert not preview.has_errors, preview.problems[:5]
    plan = import_plan(preview, None)
    done = time.perf_counter()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import_plan rows={ROWS} items={plan.items.count()} parse={parsed_at - start:.2f}s "
        f"total={done - start:.2f}s max_rss={rss_mb:.0f}MB"
    )
    sys.exit(0 if done - start <= 5 and rss_mb <= 300 else 1)


if __name__ == "__main__":
    main()
