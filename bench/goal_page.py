"""Server time and SQL queries of the goal page (目标贯通图) and `luoshi trace` on a 5,000-item zone with half a year
of weekly reports and the sweep's warnings, 500 key projects each carrying a plan item, the national ranking of
170 zones and its 17 indicators each linked to 30 items: median of 10 requests after 2 warm-ups.

Run: `.venv/bin/python -m bench.goal_page` (BENCH_ITEMS, BENCH_WEEKS; BENCH_DATABASE_URL for PostgreSQL, else a
throwaway SQLite database). Exits non-zero when the page takes more than 300 ms."""

import os
import sys
import time
from decimal import Decimal
from typing import Any

from bench.home_pages import _time, setup

ITEMS = int(os.environ.get("BENCH_ITEMS", "5000"))
WEEKS = int(os.environ.get("BENCH_WEEKS", "26"))
PROJECTS = 500
PER_INDICATOR = 30


def _links(zone: Any, now: Any) -> Any:
    """The national scheme and table, a goal on the first root item, indicators and projects linked."""
    from luoshi.assessment.models import Indicator
    from luoshi.demo.national import build_national
    from luoshi.goals import actions
    from luoshi.org.models import Unit
    from luoshi.plans.models import PlanItem
    from luoshi.projects.models import Project

    benchmark = build_national(zone, None, now.date())
    leaves = list(PlanItem.objects.filter(zone=zone, children__isnull=True).order_by("pk"))
    root = PlanItem.objects.filter(zone=zone, parent__isnull=True).order_by("pk").first()
    assert root is not None
    goal = actions.set_goal(root, benchmark.scheme, 10, None)
    for n, indicator in enumerate(
        Indicator.objects.filter(zone=zone, code__startswith="NHZ").order_by("code")
    ):
        actions.link_indicators(leaves[n * PER_INDICATOR : (n + 1) * PER_INDICATOR], [indicator], None)
    units = list(Unit.objects.filter(zone=zone).order_by("position"))
    projects = Project.objects.bulk_create(
        Project(
            zone=zone,
            year=now.year,
            name=f"目标项目{n:03d}",
            lead_unit=units[n % len(units)],
            annual_plan_wan=Decimal(20000 + n),
            completed_wan=Decimal(5000 + n),
            completed_month=now.month - 1 or 1,
            position=n,
        )
        for n in range(PROJECTS)
    )
    for n, project in enumerate(projects):
        actions.link_projects([project], [leaves[n % (17 * PER_INDICATOR)]], None)
    return goal


def main() -> None:
    setup()
    import time_machine
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.home_pages import _people
    from bench.sweep_data import build
    from luoshi.alerts.actions import sweep
    from luoshi.goals.trace import trace
    from luoshi.org.choices import Role

    built = build(ITEMS, WEEKS)
    with time_machine.travel(built.now, tick=False):
        people = _people(built.zone)
        goal = _links(built.zone, built.now)
        sweep([built.zone])
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        client = Client()
        client.force_login(people[Role.LEADER])
        url = reverse("goals:goal_detail", args=[built.zone.code, goal.item_id])
        median_ms, queries, size = _time(client, url)
        print(
            f"goal_page items={built.items} projects={PROJECTS} queries={queries} median={median_ms:.0f}ms bytes={size}"
        )
        start = time.perf_counter()
        found = trace(built.zone)
        print(f"trace indicators={len(found[0].indicators)} {1000 * (time.perf_counter() - start):.0f}ms")
    sys.exit(1 if median_ms > 300 else 0)


if __name__ == "__main__":
    main()
