"""The ledger import pages: upload → preview → confirm, for each persona; nothing written before the confirm or
when the file has errors."""

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.org.models import Unit
from luoshi.projects.models import Project
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.workbooks import make_ledger, project_row, sample_ledger
from luoshi.sheets.tests.archives import bomb

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

UPLOAD = reverse("projects:import_upload", kwargs={"zone": "alpha"})


@pytest.fixture(autouse=True)
def november() -> Iterator[None]:
    with time_machine.travel("2026-11-15 10:00 +0800", tick=False):
        yield


def _upload(client: Client, data: bytes, name: str = "重点项目台账.xlsx", year: object = 2026) -> "Response":
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), "year": year})


def _unknown_fields(body: str) -> dict[str, str]:
    """The preview's hidden unitname-N inputs: name → N."""
    return {name: n for n, name in re.findall(r'name="unitname-(\d+)" value="([^"]+)"', body)}


def test_supervisor_uploads_previews_and_confirms(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    assert client.get(UPLOAD).status_code == 200
    response = _upload(client, sample_ledger())
    assert response.status_code == 302
    preview_url = response["Location"]
    body = client.get(preview_url).content.decode()
    assert "台账导入预览" in body and "智能装备产业园" in body and "主体封顶" in body
    assert "50,000" in body  # 5 亿元 shown in 万元 with separators
    assert "园区“东区”不在本园区的园区名单中" in body
    assert "5.00" in client.get(preview_url + "?money=yi").content.decode()
    assert not Project.objects.filter(zone=world.zone).exists()

    response = client.post(preview_url, {"commit": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:ledger", kwargs={"zone": "alpha"})
    assert Project.objects.filter(zone=world.zone, year=2026).count() == 4
    assert client.get(preview_url).status_code == 404  # the upload is gone once committed


def test_unknown_units_are_answered_in_the_preview(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("admin"))
    rows = [
        project_row(序号=1, 项目名称="甲项目", 责任单位="区住建局"),
        project_row(序号=2, 项目名称="乙项目", 责任单位="区科技创新服务局"),
    ]
    preview_url = _upload(client, make_ledger(rows))["Location"]
    body = client.post(preview_url, {"commit": "1"}).content.decode()
    assert "不在本园区的单位名单中" in body
    assert not Project.objects.exists()
    unknown = _unknown_fields(body)
    assert set(unknown) == {"区住建局", "区科技创新服务局"}
    answers = {f"unitname-{n}": name for name, n in unknown.items()}
    answers[f"unit-{unknown['区住建局']}"] = "new:department"
    answers[f"unit-{unknown['区科技创新服务局']}"] = f"unit:{world.tech.pk}"
    response = client.post(preview_url, {"commit": "1", **answers})
    assert response.status_code == 302
    created = Project.objects.get(name="甲项目").lead_unit
    assert created is not None and created.name == "区住建局"
    assert Project.objects.get(name="乙项目").lead_unit == world.tech
    assert Unit.objects.filter(zone=world.zone, name="区住建局").exists()


def test_errors_block_the_confirm(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    data = make_ledger([project_row(序号=1, 项目名称="甲项目", **{"1-10月完成": "约5亿"})])
    preview_url = _upload(client, data)["Location"]
    response = client.post(preview_url, {"commit": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="sev-error"' in body and "约5亿" in body
    assert not Project.objects.exists()


def test_reimport_says_it_updates(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    data = make_ledger([project_row(序号=1, 项目名称="智能装备产业园", 责任单位="区科技创新局")])
    body = client.get(_upload(client, data)["Location"]).content.decode()
    assert "按本次台账更新" in body and "更新" in body


def test_form_errors(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    assert "errorlist" in _upload(client, b"").content.decode()
    assert "errorlist" in _upload(client, sample_ledger(), year="明年").content.decode()
    preview_url = _upload(client, b"%PDF-1.4 not a ledger", name="台账.xlsx")["Location"]
    assert 'class="sev-error"' in client.get(preview_url).content.decode()


@pytest.mark.parametrize("persona", ["leader", "viewer", "unithead", "liaison", "liaison_dev", "outsider"])
def test_only_ledger_editors_may_import(world: World, login: Callable[[User], Client], persona: str) -> None:
    client = login(world.user(persona))
    assert client.get(UPLOAD).status_code == 404
    assert _upload(client, sample_ledger()).status_code == 404
    assert not Project.objects.exists()


def test_an_upload_is_its_uploaders_only(
    world: World, login: Callable[[User], Client], client: Client
) -> None:
    preview_url = _upload(login(world.user("supervisor")), sample_ledger())["Location"]
    client.force_login(world.user("admin"))
    assert client.get(preview_url).status_code == 404
    client.force_login(world.user("liaison"))
    assert client.get(preview_url).status_code == 404
    client.force_login(world.user("outsider"))
    assert client.get(preview_url.replace("/alpha/", "/beta/")).status_code == 404


def test_anonymous_is_sent_to_log_in(client: Client, world: World) -> None:
    assert client.get(UPLOAD).status_code == 302


def test_preview_queries_do_not_grow_with_the_rows(
    world: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(world.user("supervisor"))
    rows = [
        project_row(序号=n, 项目名称=f"项目{n}", 责任单位="区科技局", 所在园区="东区") for n in range(1, 301)
    ]
    preview_url = _upload(client, make_ledger(rows))["Location"]
    with django_assert_max_num_queries(12):
        body = client.get(preview_url).content.decode()
    assert "项目300" in body


def test_the_committed_import_is_audited_with_its_counts(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    preview_url = _upload(client, sample_ledger())["Location"]
    assert client.post(preview_url, {"commit": "1"}).status_code == 302
    event = AuditEvent.objects.get(event="import")
    assert event.detail == {"file": "重点项目台账.xlsx", "year": 2026, "added": 4, "updated": 0}


def test_a_zip_bomb_is_a_form_error(world: World, login: Callable[[User], Client]) -> None:
    """Issue defect 4, for the ledger import."""
    data = bomb(sample_ledger(), "xl/worksheets/sheet1.xml", 200 << 20)
    response = _upload(login(world.user("supervisor")), data)
    assert response.status_code == 200 and "超过 100 倍的上限" in response.content.decode()
