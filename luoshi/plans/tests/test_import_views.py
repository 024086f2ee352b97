import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.org.models import Unit
from luoshi.plans.models import Plan, PlanItem
from luoshi.plans.tests.workbooks import sample_xlsx
from luoshi.sheets.tests.archives import bomb
from luoshi.sheets.uploads import stash_upload

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

UPLOAD = reverse("plans:import_upload", kwargs={"zone": "alpha"})


def _upload(client: Client, data: bytes, name: str = "任务分解表.xlsx", **extra: object) -> "Response":
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), "year": 2026, **extra})


def _unknown_fields(body: str) -> dict[str, str]:
    """The preview's hidden unitname-N inputs: name → N."""
    return {name: n for n, name in re.findall(r'name="unitname-(\d+)" value="([^"]+)"', body)}


def test_upload_preview_map_create_commit(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    response = _upload(client, sample_xlsx())
    assert response.status_code == 302
    preview_url = response["Location"]
    body = client.get(preview_url).content.decode()
    assert "导入预览" in body and "实施高新技术企业倍增计划" in body
    unknown = _unknown_fields(body)
    assert set(unknown) == {"区财政局", "区行政审批局", "区大数据局", "区审计局"}
    assert Plan.objects.count() == 2  # nothing written by the preview

    answers = {f"unitname-{n}": name for name, n in unknown.items()}
    answers |= {f"unit-{n}": "new:department" for name, n in unknown.items() if name != "区财政局"}
    answers[f"unit-{unknown['区财政局']}"] = f"unit:{world.office.pk}"
    response = client.post(preview_url, {"title": "科技创新任务", "commit": "1", **answers})
    assert response.status_code == 302
    plan = Plan.objects.get(title="科技创新任务")
    assert response["Location"] == reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": plan.pk})
    assert plan.items.count() == 6
    assert PlanItem.objects.get(plan=plan, title="开展政策兑现专项行动").lead_unit == world.office
    assert Unit.objects.filter(zone=world.zone, name="区行政审批局", type="department").exists()
    assert not Unit.objects.filter(zone=world.zone, name="区财政局").exists()
    assert client.get(preview_url).status_code == 404  # the upload is gone once committed


def test_commit_with_unresolved_units_writes_nothing(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    preview_url = _upload(client, sample_xlsx())["Location"]
    response = client.post(preview_url, {"title": "科技创新任务", "commit": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "不在本园区的单位名单中" in body
    assert not Plan.objects.filter(title="科技创新任务").exists()
    assert Unit.objects.filter(zone=world.zone).count() == 3


def test_renamed_file_is_reported_in_the_users_language(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    preview_url = _upload(client, b"%PDF-1.4 not a spreadsheet", name="计划.xlsx")["Location"]
    body = client.get(preview_url).content.decode()
    assert 'class="sev-error"' in body
    assert client.post(preview_url, {"title": "x", "commit": "1"}).status_code == 200
    assert not Plan.objects.filter(title="x").exists()


def test_empty_and_oversized_uploads_are_form_errors(
    world: World, login: Callable[[User], Client], settings: Settings
) -> None:
    client = login(world.user("supervisor"))
    response = _upload(client, b"", name="empty.xlsx")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    big = SimpleUploadedFile("big.xlsx", b"0" * (20 * 1024 * 1024 + 1))
    response = client.post(UPLOAD, {"file": big, "year": 2026})
    assert response.status_code == 200
    assert "超过 20 MB" in response.content.decode()


def test_bad_year_is_a_form_error(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("a.xlsx", sample_xlsx()), "year": "明年"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_preview_belongs_to_its_uploader(
    world: World, login: Callable[[User], Client], client: Client
) -> None:
    preview_url = _upload(login(world.user("supervisor")), sample_xlsx())["Location"]
    client.force_login(world.user("admin"))
    assert client.get(preview_url).status_code == 404
    client.force_login(world.user("liaison"))
    assert client.get(preview_url).status_code == 404
    assert (
        client.get(reverse("plans:import_preview", kwargs={"zone": "alpha", "token": "..%2Fetc"})).status_code
        == 404
    )


def test_a_zip_bomb_is_refused_at_upload_and_on_the_preview(
    world: World, login: Callable[[User], Client]
) -> None:
    """Issue defect 4: a 300 KB workbook expanding to 300 MB raised a worker to 847 MB. The upload form
    refuses it, and so does the preview, which re-reads the stashed file on every reload."""
    data = bomb(sample_xlsx(), "xl/worksheets/sheet1.xml", 300 << 20)
    client = login(world.user("supervisor"))
    response = _upload(client, data)
    assert response.status_code == 200 and "超过 100 倍的上限" in response.content.decode()
    access = SimpleNamespace(zone=world.zone, user_id=world.user("supervisor").pk)
    token = stash_upload(access, SimpleUploadedFile("计划.xlsx", data), 2026, "")
    response = client.get(reverse("plans:import_preview", kwargs={"zone": "alpha", "token": token}))
    assert response.status_code == 200 and "超过 100 倍的上限" in response.content.decode()


def test_the_export_and_the_committed_import_are_audited(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("supervisor"))
    client.get(reverse("plans:plan_export", kwargs={"zone": "alpha", "plan_id": world.plan.pk}))
    exported = AuditEvent.objects.get(event="export")
    assert exported.object_id == str(world.plan.pk) and exported.detail["format"] == "xlsx"
    preview_url = _upload(client, sample_xlsx())["Location"]
    unknown = _unknown_fields(client.get(preview_url).content.decode())
    answers = {f"unitname-{n}": name for name, n in unknown.items()}
    answers |= {f"unit-{n}": "new:department" for n in unknown.values()}
    client.post(preview_url, {"title": "审计的导入", "commit": "1", **answers})
    imported = AuditEvent.objects.get(event="import")
    plan = Plan.objects.get(title="审计的导入")
    assert imported.object_id == str(plan.pk) and imported.detail["items"] == plan.items.count() == 6
