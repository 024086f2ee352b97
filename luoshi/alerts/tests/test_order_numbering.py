"""Orders are numbered per zone and year, 督字〔2026〕1号 upwards, and never share a number."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, connections, transaction

from luoshi.alerts.models import SupervisionOrder
from luoshi.alerts.tests.conftest import at, new_order
from luoshi.conftest import World
from luoshi.org import actions as org_actions


def test_numbers_run_per_zone_and_year(world: World) -> None:
    first, second = new_order(world), new_order(world, unit=world.dev)
    assert (first.year, first.number, second.number) == (2026, 1, 2)
    assert first.display_number == "督字〔2026〕1号" and second.display_number == "督字〔2026〕2号"
    other_unit = org_actions.create_unit(world.other_zone, "乙区发改局")
    elsewhere = new_order(world, unit=other_unit, item=None, zone=world.other_zone)
    assert elsewhere.number == 1  # another zone has its own sequence
    next_year = new_order(world, deadline=date(2027, 1, 20), now=at(2027, 1, 4, 9))
    assert next_year.display_number == "督字〔2027〕1号"
    assert str(second) == "督字〔2026〕2号 加快高企培育进度"


def test_many_orders_get_distinct_consecutive_numbers(world: World) -> None:
    numbers = [new_order(world).number for _ in range(25)]
    assert numbers == list(range(1, 26))


def test_the_database_refuses_a_second_order_with_the_same_number(
    world: World, order: SupervisionOrder
) -> None:
    duplicate = SupervisionOrder(
        zone=world.zone,
        year=order.year,
        number=order.number,
        subject="重复",
        unit=world.tech,
        requirement="x",
        deadline=order.deadline,
        issued_at=order.issued_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share one SQLite database")
@pytest.mark.django_db(transaction=True)
def test_issuers_at_the_same_moment_take_turns(world: World) -> None:
    count, errors = 8, []
    start = threading.Barrier(count)

    def issue() -> None:
        try:
            start.wait()
            new_order(world)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(SupervisionOrder.objects.filter(zone=world.zone).values_list("number", flat=True))
    assert numbers == list(range(1, count + 1))
