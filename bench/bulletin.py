"""The monthly 督查通报 on a 5,000-item zone with half a year of weekly reports and the sweep's warnings, 500 key
projects each carrying a plan item and the national ranking's goal linked (bench.goal_page's zone): the time to
draft it from the data, write the Word file and the PDF — what `luoshi bulletin --pdf` does — and the office's
draft request (POST bulletins:draft, which also saves it). Median of 3 runs after a warm-up.

Run: `.venv/bin/python -m bench.bulletin` (BENCH_ITEMS, BENCH_WEEKS; BENCH_DATABASE_URL for PostgreSQL, else a
throwaway SQLite database). Exits non-zero when the command's work takes more than 5 s."""

import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.home_pages import setup

ITEMS = int(os.environ.get("BENCH_ITEMS", "5000"))
WEEKS = int(os.environ.get("BENCH_WEEKS", "26"))
RUNS = 3


def _median(work: Callable[[], Any]) -> tuple[float, Any]:
    result = work()  # warm-up
    times = []
    for _n in range(RUNS):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    setup()
    import time_machine
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.goal_page import _links
    from bench.home_pages import _people
    from bench.sweep_data import build
    from luoshi.alerts.actions import sweep
    from luoshi.bulletins.actions import compose
    from luoshi.bulletins.choices import PeriodKind
    from luoshi.bulletins.facts import Period
    from luoshi.bulletins.pdf import bulletin_pdf
    from luoshi.bulletins.word import bulletin_docx
    from luoshi.org.choices import Role

    built = build(ITEMS, WEEKS)
    with time_machine.travel(built.now, tick=False):
        people = _people(built.zone)
        _links(built.zone, built.now)
        sweep([built.zone])
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        today = built.now.date()
        period = Period(PeriodKind.MONTH, today.year, today.month).previous()
        drafted, (_facts, doc) = _median(lambda: compose(built.zone, period, today))
        word, _docx = _median(lambda: bulletin_docx(doc))
        pdf, _pdf = _median(lambda: bulletin_pdf(doc))
        client = Client()
        client.force_login(people[Role.SUPERVISOR])
        url = reverse("bulletins:draft", args=[built.zone.code])
        key = f"{period.kind}:{period.year}:{period.index}"
        post, response = _median(lambda: client.post(url, {"period": key}))
        assert response.status_code == 302, response.status_code
    total = drafted + word + pdf
    rows = sum(len(t.rows) for t in doc.tables)
    print(
        f"bulletin items={built.items} annex_rows={rows} draft={drafted * 1000:.0f}ms word={word * 1000:.0f}ms "
        f"pdf={pdf * 1000:.0f}ms command_work={total * 1000:.0f}ms draft_request={post * 1000:.0f}ms"
    )
    sys.exit(1 if total > 5 else 0)


if __name__ == "__main__":
    main()
