from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World


def test_chinese_by_default_and_english_on_request(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": world.plan.pk})
    body = client.get(url).content.decode()
    assert "牵头单位" in body and 'lang="zh-hans"' in body
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert 'lang="en"' in body and "Lead unit" in body and "牵头单位" not in body
    # Data stays as written: only the interface changes language.
    assert "培育高新技术企业" in body


def test_import_errors_follow_the_language(world: World, login: Callable[[User], Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.user("supervisor"))
    client.post(reverse("set_language"), {"language": "en"})
    upload = reverse("plans:import_upload", kwargs={"zone": "alpha"})
    preview = client.post(
        upload, {"file": SimpleUploadedFile("a.xlsx", b"plain text, not a workbook"), "year": 2026}
    )
    body = client.get(preview["Location"]).content.decode()
    assert 'class="sev-error"' in body
    problems = body.split('class="grid problems"')[1].split("</table>")[0]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in problems.split("<tbody>")[1])
