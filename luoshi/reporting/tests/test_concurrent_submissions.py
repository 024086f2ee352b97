"""Security issue, defect 7, on PostgreSQL: two first submissions of the same report at the same moment. The
second waits for the first and gets the saved report: no 500, one version, one coordination problem."""

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.reporting.models import Period, Problem, Report
from luoshi.reporting.tests.conftest import at
from luoshi.tests.concurrency import at_once

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share one SQLite database"),
    pytest.mark.django_db(transaction=True),
]

FORM = {"progress": "40", "work_done": "完成申报培训", "problem": "用地指标不足", "submit": "1"}


@pytest.mark.parametrize("n", [2, 4])
def test_simultaneous_first_submissions(world: World, week47: Period, n: int) -> None:
    url = reverse(
        "reporting:save", kwargs={"zone": "alpha", "period_id": week47.pk, "item_id": world.item_a.pk}
    )
    clients = []
    for _ in range(n):
        client = Client(raise_request_exception=True)
        client.force_login(world.user("liaison"))
        clients.append(client)

    def submit(client: Client) -> int:
        return client.post(url, FORM, headers={"HX-Request": "true"}).status_code

    with time_machine.travel(at(2026, 11, 19, 10, 0), tick=False):
        done, errors = at_once(*[lambda c=c: submit(c) for c in clients])
    assert errors == [] and done == [200] * n
    report = Report.objects.get()
    assert report.status == "submitted" and report.version == 1
    assert Problem.objects.filter(report=report).count() == 1
