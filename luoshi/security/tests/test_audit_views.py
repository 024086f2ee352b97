import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from luoshi.audit.actions import record
from luoshi.audit.choices import Event, Outcome
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role

URL = "/z/alpha/audit/"


@pytest.fixture
def auditor(world: World) -> User:
    person = org_actions.create_person("auditor", "Audit-Pass#77", full_name="审计员")
    org_actions.add_member(world.zone, person, Role.AUDITOR)
    return person


def test_the_auditor_finds_events_by_person_event_and_outcome(
    world: World, login: Callable[[User], Client], auditor: User
) -> None:
    record(Event.LOGIN_FAILED, username="liaison", outcome=Outcome.FAILURE)
    record(Event.EXPORT, user=world.user("supervisor"), zone=world.zone, object_repr="2026年重点工作")
    record(Event.EXPORT, user=world.user("outsider"), zone=world.other_zone, object_repr="乙区计划")
    client = login(auditor)
    page = client.get(URL).content.decode()
    assert "2026年重点工作" in page and "乙区计划" not in page and "liaison" in page
    page = client.get(URL, {"outcome": "failure"}).content.decode()
    assert "liaison" in page and "2026年重点工作" not in page
    page = client.get(URL, {"person": "super", "event": "export"}).content.decode()
    assert "2026年重点工作" in page


def test_bad_filters_say_what_is_wrong(world: World, login: Callable[[User], Client], auditor: User) -> None:
    response = login(auditor).get(URL, {"address": "not-an-ip", "start": "2026-02-30"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_the_export_is_a_workbook_and_is_itself_audited(
    world: World, login: Callable[[User], Client], auditor: User
) -> None:
    record(Event.EXPORT, user=world.user("supervisor"), zone=world.zone, object_repr='=HYPERLINK("x")')
    response = login(auditor).get(URL + "export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '=HYPERLINK("x")' in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert AuditEvent.objects.filter(event=Event.AUDIT_EXPORT, username="auditor").exists()


@pytest.mark.parametrize("persona", ["admin", "supervisor", "leader", "viewer", "liaison", "outsider"])
def test_nobody_but_the_auditor_reads_the_trail(
    world: World, login: Callable[[User], Client], persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(URL).status_code == 404
    assert client.get(URL + "export.xlsx").status_code == 404


@pytest.mark.parametrize(
    "path", ["/z/alpha/", "/z/alpha/units/", "/z/alpha/people/", "/z/alpha/warnings/", "/z/alpha/projects/"]
)
def test_the_auditor_sees_nothing_else(
    world: World, login: Callable[[User], Client], auditor: User, path: str
) -> None:
    assert login(auditor).get(path).status_code == 404


def test_the_auditor_lands_on_the_trail(world: World, login: Callable[[User], Client], auditor: User) -> None:
    assert login(auditor).get("/")["Location"] == URL


def test_the_trail_has_no_way_to_change_or_delete_rows(
    world: World, login: Callable[[User], Client], auditor: User
) -> None:
    row = record(Event.LOGIN, username="x", zone=world.zone)
    client = login(auditor)
    for method in (client.post, client.put, client.delete):
        assert method(URL, {"id": row.pk}).status_code in (404, 405)
    assert AuditEvent.objects.filter(pk=row.pk).exists()
