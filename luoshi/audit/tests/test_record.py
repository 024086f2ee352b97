import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from pytest_django import Settings

from luoshi.audit.actions import record
from luoshi.audit.choices import Event, Outcome
from luoshi.audit.models import AppendOnlyError, AuditEvent
from luoshi.conftest import World


def test_record_takes_person_zone_and_address_from_the_request(world: World, rf: RequestFactory) -> None:
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = world.user("admin")
    row = record(Event.EXPORT, request=request, zone=world.zone, obj=world.plan, detail={"rows": 3})
    row.refresh_from_db()
    assert (row.username, row.zone_code, row.address) == ("admin", "alpha", "10.1.2.3")
    assert (row.object_type, row.object_id, row.outcome) == (
        "plans.Plan",
        str(world.plan.pk),
        Outcome.SUCCESS,
    )
    assert row.detail == {"rows": 3}


def test_an_unknown_person_is_kept_as_the_name_they_typed(db: None, rf: RequestFactory) -> None:
    row = record(Event.LOGIN_FAILED, request=rf.post("/"), username="ghost", outcome=Outcome.FAILURE)
    assert row.user is None and row.username == "ghost" and row.address == "127.0.0.1"


def test_behind_the_proxy_the_last_forwarded_address_counts(
    db: None, rf: RequestFactory, settings: Settings
) -> None:
    settings.LUOSHI_BEHIND_PROXY = True
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 192.168.0.7")
    assert record(Event.LOGOUT, request=request).address == "192.168.0.7"


def test_rows_cannot_be_changed_or_deleted_through_the_model(db: None) -> None:
    row = record(Event.LOGOUT, username="x")
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=row.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=row.pk).update(outcome=Outcome.FAILURE)


def test_the_database_refuses_to_rewrite_a_row(db: None) -> None:
    row = record(Event.LOGIN, username="someone")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET outcome = 'failure' WHERE id = %s", [row.pk])
    assert AuditEvent.objects.get(pk=row.pk).outcome == Outcome.SUCCESS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the delete guard is PostgreSQL's (see 0002)")
def test_postgresql_refuses_to_delete_recent_rows(db: None) -> None:
    row = record(Event.LOGIN, username="someone")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_deleting_the_person_keeps_the_row_with_their_name(world: World) -> None:
    person = world.user("viewer")
    row = record(Event.LOGIN, user=person)
    person.delete()
    row = AuditEvent.objects.get(pk=row.pk)
    assert row.user is None and row.username == "viewer"
