"""Server time and SQL queries of the four role home pages (领导驾驶舱, 督查工作台, the unit head's and the
liaison's) on a 5,000-item zone with half a year of weekly reports, its warnings (the sweep's), supervision
orders, key projects with blockers and an open arena session: median of 10 requests after 2 warm-ups each.

Run: `.venv/bin/python -m bench.home_pages` (BENCH_ITEMS, BENCH_WEEKS; BENCH_DATABASE_URL for PostgreSQL, else a
throwaway SQLite database). Exits non-zero when a page takes more than 200 ms or 10 queries."""

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

ITEMS = int(os.environ.get("BENCH_ITEMS", "5000"))
WEEKS = int(os.environ.get("BENCH_WEEKS", "26"))
PROJECTS = 300
ORDERS = 60


def _people(zone: Any) -> dict[str, Any]:
    from luoshi.org.actions import add_member, create_person
    from luoshi.org.choices import Role
    from luoshi.org.models import Unit

    unit = Unit.objects.filter(zone=zone).order_by("position").first()
    people: dict[str, Any] = {}
    for role, member_unit in [
        (Role.LEADER, None),
        (Role.SUPERVISOR, None),
        (Role.UNIT_HEAD, unit),
        (Role.LIAISON, unit),
    ]:
        people[role] = create_person(f"bench-{role}-{zone.pk}", "bench-pass-1", full_name=f"基准{role}")
        add_member(zone, people[role], role, member_unit)
    return people


def _projects_and_orders(zone: Any, now: datetime, leader: Any, office: Any) -> None:
    """Key projects (a tenth of them behind, a blocker on every fifth), orders (a third escalated), an arena
    session the leader judges and open dispatch decisions."""
    from luoshi.alerts.choices import OrderState
    from luoshi.alerts.models import SupervisionOrder
    from luoshi.arena.models import ArenaSession, Judge
    from luoshi.org.models import Unit
    from luoshi.plans.models import PlanItem
    from luoshi.projects.models import Blocker, Decision, DispatchMeeting, Project

    units = list(Unit.objects.filter(zone=zone).order_by("position"))
    projects = Project.objects.bulk_create(
        Project(
            zone=zone,
            year=now.year,
            name=f"基准项目{n:03d}",
            lead_unit=units[n % len(units)],
            annual_plan_wan=Decimal(20000 + n * 10),
            completed_wan=Decimal(8000 + n * 3),
            completed_month=now.month - 1 or 1,
            position=n,
        )
        for n in range(PROJECTS)
    )
    Blocker.objects.bulk_create(
        Blocker(
            zone=zone, project=p, description="用地未落实", unit=units[n % len(units)], raised_on=now.date()
        )
        for n, p in enumerate(projects[::5])
    )
    items = list(
        PlanItem.objects.filter(zone=zone, lead_unit__isnull=False).values_list("pk", "lead_unit_id")[:ORDERS]
    )
    SupervisionOrder.objects.bulk_create(
        SupervisionOrder(
            zone=zone,
            year=now.year,
            number=n + 1,
            subject=f"督办事项{n}",
            item_id=item_id,
            unit_id=unit_id,
            requirement="请报送推进情况",
            deadline=now.date() - timedelta(days=n % 20 - 5),
            state=OrderState.ESCALATED if n % 3 == 0 else OrderState.ISSUED,
            issued_at=now - timedelta(days=30),
            issued_by=office,
            escalated_at=now - timedelta(days=1) if n % 3 == 0 else None,
        )
        for n, (item_id, unit_id) in enumerate(items)
    )
    session = ArenaSession.objects.create(
        zone=zone, title="擂台", held_on=now.date(), period=f"{now.year}Q2", status="open", created_at=now
    )
    Judge.objects.create(zone=zone, session=session, user=leader)
    meeting = DispatchMeeting.objects.create(zone=zone, year=now.year, number=1, held_on=now.date())
    Decision.objects.bulk_create(
        Decision(zone=zone, meeting=meeting, text=f"议定事项{n}", due=now.date() + timedelta(days=n % 10))
        for n in range(40)
    )


def _time(client: Any, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for i in range(12):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        if i >= 2:
            timings.append(elapsed)
    return statistics.median(timings) * 1000, len(ctx.captured_queries), len(response.content)


def setup() -> None:
    """Django on BENCH_DATABASE_URL (else a throwaway SQLite database), migrated."""
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    os.environ["LUOSHI_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    setup()
    import time_machine
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.sweep_data import build
    from luoshi.alerts.actions import sweep
    from luoshi.org.choices import Role

    built = build(ITEMS, WEEKS)
    with time_machine.travel(built.now, tick=False):
        people = _people(built.zone)
        _projects_and_orders(built.zone, built.now, people[Role.LEADER], people[Role.SUPERVISOR])
        sweep([built.zone])
        with connection.cursor() as cursor:  # statistics for the planner after the loads, as in production
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        url = reverse("front:zone_home", args=[built.zone.code])
        failed = False
        for role, name in [
            (Role.LEADER, "cockpit"),
            (Role.SUPERVISOR, "workbench"),
            (Role.UNIT_HEAD, "unit"),
            (Role.LIAISON, "liaison"),
        ]:
            client = Client()
            client.force_login(people[role])
            median_ms, queries, size = _time(client, url)
            print(
                f"home_{name} items={built.items} reports={built.reports} queries={queries} "
                f"median={median_ms:.0f}ms bytes={size}"
            )
            failed |= median_ms > 200 or queries > 10
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
