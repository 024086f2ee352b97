"""The Friday-afternoon spike: N report submissions within a minute against a real server process.

Builds a zone with N items led by N/10 units (one liaison each) in database `bench_spike` (PostgreSQL by
default: BENCH_DATABASE_URL), starts gunicorn on 127.0.0.1, and POSTs every report (save and submit, the form
the liaison's page sends) from C concurrent clients on loopback. Prints the latency percentiles and errors:

    python -m bench.friday_spike [--reports 1000] [--within 55] [--concurrency 50] [--workers 4] [--json]
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_spike"
PORT = 8765


def _prepare(database_url: str, reports: int) -> tuple[str, list[tuple[str, str, str]]]:
    """Fresh schema and data; returns the zone code and (url, session key, csrf token) per submission."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    from luoshi.org.actions import add_member, create_person, create_unit, create_zone
    from luoshi.org.choices import Role
    from luoshi.plans.actions import add_item, create_plan, issue_plan
    from luoshi.reporting.actions import ensure_periods, save_cycle

    today = timezone.localdate()
    zone = create_zone("spike", "基准园区")
    plan = create_plan(zone, today.year, "周五高峰", ["任务", "措施"], None)
    sessions: dict[int, tuple[str, str]] = {}
    targets = []
    units = max(1, reports // 10)
    for u in range(units):
        unit = create_unit(zone, f"单位{u:03d}")
        person = create_person(f"liaison{u:03d}", "spike-pass-123")
        add_member(zone, person, Role.LIAISON, unit)
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(person.pk), settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        store.create()
        sessions[unit.pk] = (store.session_key or "", secrets.token_hex(16))
        task = add_item(plan, None, {"title": f"任务{u}"}, [], None)
        for m in range(10):
            targets.append(add_item(plan, task, {"title": f"措施{u}-{m}", "lead_unit": unit}, [], None))
    issue_plan(plan, None)
    cycle = save_cycle(
        plan, {"cadence": "weekly", "starts_on": today - timedelta(days=today.weekday())}, None
    )
    ensure_periods(cycle, today + timedelta(days=7))
    period = cycle.periods.order_by("starts_on").first()
    assert period is not None
    jobs = []
    for item in targets[:reports]:
        session_key, token = sessions[item.lead_unit_id or 0]
        url = reverse(
            "reporting:save", kwargs={"zone": zone.code, "period_id": period.pk, "item_id": item.pk}
        )
        jobs.append((url, session_key, token))
    connection.close()
    return zone.code, jobs


def _post(job: tuple[str, str, str], at: float = 0.0) -> tuple[float, int]:
    url, session_key, token = job
    if at:
        time.sleep(max(0.0, at - time.perf_counter()))
    body = urllib.parse.urlencode(
        {"progress": "60", "work_done": "完成本周工作", "next_plan": "继续推进", "submit": "1"}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{url}",
        data=body,
        headers={
            "Cookie": f"sessionid={session_key}; csrftoken={token}",
            "X-CSRFToken": token,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status = response.status
            text = response.read().decode()
        ok = status == 200 and "已提交" in text
    except urllib.error.HTTPError as error:
        status, ok = error.code, False
    except OSError:
        status, ok = 0, False
    return time.perf_counter() - start, status if ok else -abs(status or 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50, help="client threads at most")
    parser.add_argument(
        "--within", type=float, default=55.0, help="spread the submissions over this many seconds"
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    _zone, jobs = _prepare(database_url, args.reports)
    env = dict(
        os.environ, DATABASE_URL=database_url, LUOSHI_ALLOWED_HOSTS="127.0.0.1", LUOSHI_DB_CONN_MAX_AGE="600"
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "luoshi.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        started = time.perf_counter()
        # Open loop, as on a Friday afternoon: submissions arrive on a schedule whether or not earlier ones
        # have been answered, so a slow server shows up as latency rather than as a slower generator.
        spacing = args.within / len(jobs)
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(_post, jobs, [started + i * spacing for i in range(len(jobs))]))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies = sorted(seconds for seconds, _status in results)
    errors = sum(1 for _seconds, status in results if status < 0)
    quantiles = statistics.quantiles(latencies, n=100)
    failures = sorted({status for _seconds, status in results if status < 0})
    p99_ms = round(quantiles[98] * 1000)
    summary = {
        "reports": len(results),
        "failure_statuses": failures,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "p50_ms": round(quantiles[49] * 1000),
        "p99_ms": p99_ms,
        "max_ms": round(latencies[-1] * 1000),
    }
    print(json.dumps(summary) if args.json else " ".join(f"{k}={v}" for k, v in summary.items()))
    sys.exit(0 if errors == 0 and elapsed <= 60 and p99_ms <= 500 else 1)


if __name__ == "__main__":
    main()
