"""Two sweeps at once on PostgreSQL: the per-zone lock makes the second wait and then find nothing to do (no warning
opened twice, no order escalated twice)."""

import threading

import pytest
from django.db import connection, connections

from luoshi.alerts import actions
from luoshi.alerts.models import Warning
from luoshi.alerts.tests.conftest import at, inbox, new_order
from luoshi.conftest import World

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share one SQLite database")


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_open_each_warning_once(world: World) -> None:
    results, errors = [], []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.append(actions.sweep([world.zone], at(2026, 7, 8, 10)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(r.created for r in results) == [0, 1]
    assert Warning.objects.filter(zone=world.zone).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_an_overdue_order_once(world: World) -> None:
    order = new_order(world, leader=world.user("leader"))
    results, errors = [], []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.append(actions.sweep([world.zone], at(2026, 7, 20, 10)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(r.escalated for r in results) == [0, 1]
    assert order.events.filter(kind="escalated").count() == 1
    assert len(inbox(world.user("leader"))) == 1
