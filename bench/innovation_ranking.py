"""Server time and SQL queries of the innovation points ranking page for a zone of 20,000 scored enterprises
(median of 10 requests after 2 warm-ups, for several filters): summary, tier charts by stage and industry, the
page of rows, and the movers against last year's run of the same 20,000.

Run: `.venv/bin/python -m bench.innovation_ranking` (throwaway SQLite database) or with
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_innovation. Enterprises, labels and the two runs'
scores are bulk-inserted: the page is what is measured."""

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime

from bench.home_pages import setup

ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", "20000"))
TARGET_MS, MAX_QUERIES = 200, 20


def _build() -> tuple[str, str, dict[str, str]]:
    from luoshi.innovation import scoring_actions
    from luoshi.innovation.choices import Industry, LabelKind
    from luoshi.innovation.framework import parse, samples
    from luoshi.innovation.models import Enterprise, Label, Run, Score
    from luoshi.org.actions import add_member, create_park, create_person, create_zone
    from luoshi.org.choices import Role

    rng = random.Random(15)
    now = datetime(2026, 3, 15, 10, tzinfo=UTC)
    zone = create_zone(f"innov{int(time.time())}", "基准园区")
    parks = [create_park(zone, f"园区{i}") for i in range(6)]
    industries = Industry.values
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                zone=zone,
                credit_code=f"9137020{n:011d}",
                name=f"基准企业{n:05d}有限公司",
                industry=rng.choice(industries[:12]),
                park=rng.choice(parks),
                founded=date(rng.randint(2000, 2024), rng.randint(1, 12), 1),
            )  # fmt: skip
            for n in range(ENTERPRISES)
        ],
        batch_size=2000,
    )
    enterprises = list(Enterprise.objects.filter(zone=zone).order_by("pk"))
    Label.objects.bulk_create(
        [
            Label(zone=zone, enterprise=e, kind=rng.choice(LabelKind.values), first_year=2023, last_year=2026)
            for e in rng.sample(enterprises, ENTERPRISES * 3 // 10)
        ],
        batch_size=2000,
    )
    text = samples()["sample-2024"]
    version = scoring_actions.create_framework(zone, "基准框架", text, None, now)
    version = scoring_actions.publish(version, None, now)
    rules = parse(text)
    before: dict[int, int] = {}  # last year's ranks, for each score's rise
    for year in (2024, 2025):
        points = sorted(((rng.uniform(10, 110), e) for e in enterprises), key=lambda p: -p[0])
        tiers = {
            n: "A"
            if n < ENTERPRISES // 10
            else "B"
            if n < ENTERPRISES * 3 // 10
            else "C"
            if n < ENTERPRISES * 6 // 10
            else "D"
            for n in range(ENTERPRISES)
        }
        summary = {
            "tiers": {t: list(tiers.values()).count(t) for t in "ABCD"} | {"ineligible": 0},
            "eligible": ENTERPRISES,
            "median": 60.0,
            "a_share": 10.0,
            "stages": {},
        }
        run = Run.objects.create(
            zone=zone,
            year=year,
            version=version,
            fingerprint="0" * 64,
            enterprises=ENTERPRISES,
            summary=summary,
            created_at=now,
        )
        detail = {m.code: [1.0, 0.5, 2.0] for m in rules.indicators}
        Score.objects.bulk_create(
            [
                Score(
                    zone=zone,
                    run=run,
                    enterprise=e,
                    stage=rng.choice([s.code for s in rules.stages]),
                    core=p,
                    bonus=0.0,
                    penalty=0.0,
                    points=p,
                    rank=n + 1,
                    stage_rank=n // 3 + 1,
                    tier=tiers[n],
                    detail=detail,
                    inputs={},
                    rise=before[e.pk] - (n + 1) if e.pk in before else None,
                )  # fmt: skip
                for n, (p, e) in enumerate(points)
            ],
            batch_size=2000,
        )
        before = {e.pk: n + 1 for n, (_p, e) in enumerate(points)}
    user = create_person(f"innov{zone.pk}", "bench-pass-1")
    add_member(zone, user, Role.LEADER)
    filters = {
        "all": "",
        "stage": "?stage=growth",
        "tier A": "?tier=A",
        "industry": "?industry=C",
        "label": f"?label={LabelKind.HIGH_TECH}",
        "search": "?q=企业01234",
        "page 100": "?page=100",
    }
    return zone.code, user.username, filters


def main() -> None:
    setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    started = time.perf_counter()
    zone, username, filters = _build()
    print(
        f"built {ENTERPRISES} enterprises, two runs, in {time.perf_counter() - started:.1f}s", file=sys.stderr
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(User.objects.get(username=username))
    url = reverse("innovation:ranking", kwargs={"zone": zone})
    ok = True
    for name, query in filters.items():
        timings = []
        for i in range(12):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url + query)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, response.status_code
            if i >= 2:
                timings.append(elapsed)
        median = statistics.median(timings)
        ok = ok and median <= TARGET_MS and len(ctx.captured_queries) <= MAX_QUERIES
        print(f"{name:10s} {median:6.0f} ms  {len(ctx.captured_queries):2d} queries  ({connection.vendor})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
