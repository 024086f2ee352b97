import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World

URL = "/z/alpha/people/export.xlsx"


def test_the_admin_exports_the_people_with_contacts_and_it_is_audited(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("admin"))
    client.post(
        f"/z/alpha/people/{world.user('liaison').pk}/contact/",
        {"email": "zj@example.cn", "phone": "13800000000"},
    )
    response = client.get(URL)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["姓名", "用户名", "电子邮箱", "手机号码", "角色"]
    assert ["liaison", "liaison", "zj@example.cn", "13800000000", "联络员（区科技创新局）"] in rows
    row = AuditEvent.objects.get(event=Event.EXPORT)
    assert row.username == "admin" and row.detail == {"rows": 7}


@pytest.mark.parametrize("persona", ["supervisor", "leader", "viewer", "unithead", "liaison", "outsider"])
def test_only_the_admin_sees_contact_details(
    world: World, login: Callable[[User], Client], persona: str
) -> None:
    client = login(world.user(persona))
    assert client.get(URL).status_code == 404
    assert client.get(f"/z/alpha/people/{world.user('liaison').pk}/").status_code == 404


def test_a_bad_phone_number_is_refused(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("admin"))
    response = client.post(
        f"/z/alpha/people/{world.user('liaison').pk}/contact/", {"phone": "12345"}, follow=True
    )
    assert "手机号码应为 11 位数字" in response.content.decode()
