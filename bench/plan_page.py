"""Server time and SQL queries of the plan page for a 5,000-item plan (median of 10 requests after 2 warm-ups).

Run: `make bench` (or `.venv/bin/python -m bench.plan_page`). Uses a throwaway SQLite database."""

import os
import statistics
import sys
import tempfile
import time

ITEMS = int(os.environ.get("BENCH_ITEMS", "5000"))


def main() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    os.environ["LUOSHI_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    from bench.workbook import UNITS, task_list
    from luoshi.org.actions import add_member, create_person, create_unit, create_zone
    from luoshi.org.choices import Role
    from luoshi.plans.actions import import_plan
    from luoshi.plans.importing import preview_import
    from luoshi.plans.parsing import parse_plan_file

    zone = create_zone(f"bench{int(time.time())}", "基准园区")
    for name in UNITS:
        create_unit(zone, name)
    # 200 tasks × 24 measures + 200 task rows = 5,000 items.
    parsed = parse_plan_file(task_list(ITEMS * 24 // 25, per_task=24), "bench.xlsx", 2026)
    plan = import_plan(preview_import(zone, 2026, parsed, title="基准计划"), None)
    user = create_person(f"bench{zone.pk}", "bench-pass-1")
    add_member(zone, user, Role.SUPERVISOR)
    client = Client()
    client.force_login(user)
    url = reverse("plans:plan_detail", kwargs={"zone": zone.code, "plan_id": plan.pk})

    timings = []
    for i in range(12):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200
        if i >= 2:
            timings.append(elapsed)
    median_ms = statistics.median(timings) * 1000
    print(
        f"plan_page items={plan.items.count()} queries={len(ctx.captured_queries)} "
        f"median={median_ms:.0f}ms min={min(timings) * 1000:.0f}ms bytes={len(response.content)}"
    )
    sys.exit(0 if median_ms <= 200 and len(ctx.captured_queries) <= 10 else 1)


if __name__ == "__main__":
    main()
