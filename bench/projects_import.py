"""Import of a 5,000-row key-project ledger: parse (with the preview's checks) and write timed separately.

Run: `.venv/bin/python -m bench.projects_import`. Uses a throwaway SQLite database unless BENCH_DATABASE_URL
is set. The issue's budget is 5 s for parse + write."""

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
    from luoshi.org.actions import create_park, create_unit, create_zone
    from luoshi.projects.actions.imports import import_ledger
    from luoshi.projects.importing import preview_ledger
    from luoshi.projects.ledger import parse_ledger
    from luoshi.projects.models import Blocker, Project, StageDate
    from luoshi.projects.tests.workbooks import big_ledger

    zone = create_zone(f"bench{int(time.time())}", "基准园区")
    create_park(zone, "东区")
    for name in ("区科技创新局", "区发展和改革局"):
        create_unit(zone, name)
    data = big_ledger(ROWS)

    cpu = time.process_time()
    start = time.perf_counter()
    parsed = parse_ledger(data, "bench.xlsx")
    preview = preview_ledger(zone, parsed)
    assert not preview.has_errors, preview.problems[:5]
    parsed_at = time.perf_counter()
    import_ledger(preview, None)
    done = time.perf_counter()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    projects = Project.objects.filter(zone=zone)
    print(
        f"import_projects rows={ROWS} projects={projects.count()} "
        f"sub_projects={projects.filter(parent__isnull=False).count()} "
        f"stage_dates={StageDate.objects.filter(zone=zone).count()} "
        f"blockers={Blocker.objects.filter(zone=zone).count()} "
        f"parse={parsed_at - start:.2f}s write={done - parsed_at:.2f}s total={done - start:.2f}s "
        f"cpu={time.process_time() - cpu:.2f}s max_rss={rss_mb:.0f}MB"
    )
    sys.exit(0 if done - start <= 5 else 1)


if __name__ == "__main__":
    main()
