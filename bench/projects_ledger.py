"""Server time and SQL queries of the key-project ledger page for a 20,000-project ledger (median of 10 requests
after 2 warm-ups, for several filters).

Run: `.venv/bin/python -m bench.projects_ledger` (throwaway SQLite database) or with
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_projects. The projects (a tenth of them
sub-projects), their open blockers and warnings are bulk-inserted: the page is what is measured."""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "20000"))
TARGET_MS, MAX_QUERIES = 200, 12


def _build() -> tuple[str, str, dict[str, str]]:
    from django.utils import timezone

    from luoshi.alerts.choices import Level, RuleCode
    from luoshi.alerts.models import Warning
    from luoshi.org.actions import add_member, create_park, create_person, create_unit, create_zone
    from luoshi.org.choices import Role
    from luoshi.projects.choices import BlockerCategory, Category, Stage
    from luoshi.projects.models import Blocker, Project

    rng = random.Random(5)
    zone = create_zone(f"bench{int(time.time())}", "基准园区")
    units = [create_unit(zone, f"单位{i:02d}") for i in range(40)]
    parks = [create_park(zone, f"园区{i}") for i in range(6)]
    year = timezone.localdate().year
    rows = []
    for n in range(PROJECTS):
        rows.append(
            Project(
                zone=zone,
                year=year,
                name=f"基准项目{n:05d}",
                code=f"{year}-{n:05d}",
                category=rng.choice(Category.values),
                owner=f"基准企业{n % 3000:04d}有限公司",
                park=rng.choice(parks),
                lead_unit=rng.choice(units),
                leader=f"领导{n % 12}",
                stage=rng.choice(Stage.values),
                total_investment_wan=Decimal(rng.randrange(10_000, 500_000)),
                annual_plan_wan=Decimal(rng.randrange(1_000, 50_000)),
                completed_wan=Decimal(rng.randrange(0, 40_000)),
                completed_month=10,
                position=n,
            )
        )
    Project.objects.bulk_create(rows, batch_size=2000)
    projects = list(Project.objects.filter(zone=zone).order_by("pk"))
    # A tenth are sub-projects of the projects before them.
    for child in projects[1::10]:
        child.parent_id = child.pk - 1
    Project.objects.bulk_update(projects[1::10], ["parent"], batch_size=2000)
    now = timezone.now()
    Blocker.objects.bulk_create(
        [
            Blocker(
                zone=zone,
                project=p,
                description="施工用电未接入",
                category=BlockerCategory.UTILITIES,
                unit=p.lead_unit,
                deadline=date(year, 6, 30),
                raised_on=date(year, 3, 1),
            )
            for p in rng.sample(projects, PROJECTS // 7)
        ],
        batch_size=2000,
    )
    Warning.objects.bulk_create(
        [
            Warning(
                zone=zone,
                rule=RuleCode.PROJECT_INVESTMENT,
                project=p,
                unit=p.lead_unit,
                level=rng.choice((Level.YELLOW, Level.RED)),
                reason="投资滞后",
                numbers={},
                opened_at=now,
                updated_at=now,
            )
            for p in rng.sample(projects, PROJECTS // 8)
        ],
        batch_size=2000,
    )
    user = create_person(f"bench{zone.pk}", "bench-pass-1")
    add_member(zone, user, Role.SUPERVISOR)
    filters = {
        "all": "",
        "stage": f"?stage={Stage.STARTED}",
        "lagging": "?lagging=1",
        "unit+lagging": f"?unit={units[3].pk}&lagging=1",
        "search": "?q=企业0123",
        "page 50": "?page=50",
    }
    return zone.code, user.username, filters


def main() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    os.environ["LUOSHI_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    zone, username, filters = _build()
    print(f"built {PROJECTS} projects in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(User.objects.get(username=username))
    url = reverse("projects:ledger", kwargs={"zone": zone})
    ok = True
    for name, query in filters.items():
        timings = []
        for i in range(12):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url + query)
                elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            if i >= 2:
                timings.append(elapsed)
        median_ms = statistics.median(timings) * 1000
        queries = len(ctx.captured_queries)
        ok = ok and median_ms <= TARGET_MS and queries <= MAX_QUERIES
        print(
            f"projects_ledger {connection.vendor} projects={PROJECTS} filter={name!r} queries={queries} "
            f"median={median_ms:.0f}ms min={min(timings) * 1000:.0f}ms bytes={len(response.content)}"
        )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
