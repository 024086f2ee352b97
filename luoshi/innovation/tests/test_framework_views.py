"""The framework pages and the runs page: a framework from a sample, a draft checked as it is typed and saved
only when valid, publishing, a published version that cannot be edited, scoring a year."""

import tomli_w
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.innovation.choices import VersionStatus
from luoshi.innovation.models import Framework, FrameworkVersion, Run
from luoshi.innovation.tests.conftest import Innov, small_framework


def _url(name: str, **kwargs: int) -> str:
    return reverse(f"innovation:{name}", kwargs={"zone": "alpha", **kwargs})


def test_a_framework_from_each_sample(world: World, client: Client) -> None:
    client.force_login(world.user("supervisor"))
    for sample in ("sample-2024", "sample-2.0"):
        response = client.post(_url("frameworks"), {"sample": sample})
        assert response.status_code == 302
    assert sorted(Framework.objects.filter(zone=world.zone).values_list("is_sample", flat=True)) == [
        True,
        True,
    ]
    assert FrameworkVersion.objects.filter(zone=world.zone, status=VersionStatus.DRAFT).count() == 2


def test_a_pasted_framework_with_errors_is_not_created(world: World, client: Client) -> None:
    client.force_login(world.user("supervisor"))
    spec = small_framework()
    spec["indicator"][0]["weights"]["young"] = 45
    response = client.post(_url("frameworks"), {"name": "错的", "text": tomli_w.dumps(spec)})
    assert response.status_code == 200 and "初创期" in response.content.decode()
    assert not Framework.objects.filter(zone=world.zone).exists()


def test_draft_checked_as_typed_saved_when_valid(world: World, client: Client, innov: Innov) -> None:
    client.force_login(world.user("supervisor"))
    client.post(_url("framework_new", version_id=innov.version.pk))
    draft = FrameworkVersion.objects.get(framework=innov.version.framework, status=VersionStatus.DRAFT)
    spec = small_framework()
    spec["indicator"][0]["weights"]["young"] = 45
    checked = client.post(
        _url("framework", version_id=draft.pk),
        {"text": tomli_w.dumps(spec), "check": "1"},
        HTTP_HX_REQUEST="true",
    )
    body = checked.content.decode()
    assert 'id="structure"' in body and "<html" not in body and "105" in body
    client.post(_url("framework", version_id=draft.pk), {"text": tomli_w.dumps(spec)})
    draft.refresh_from_db()
    assert draft.text == innov.version.text  # not saved with an error
    spec["indicator"][0]["weights"]["young"] = 40
    spec["indicator"][0]["name"] = "研发费用金额"
    assert (
        client.post(_url("framework", version_id=draft.pk), {"text": tomli_w.dumps(spec)}).status_code == 302
    )
    draft.refresh_from_db()
    assert "研发费用金额" in draft.text


def test_publish_then_frozen(world: World, client: Client, innov: Innov) -> None:
    client.force_login(world.user("supervisor"))
    client.post(_url("framework_new", version_id=innov.version.pk))
    draft = FrameworkVersion.objects.get(framework=innov.version.framework, status=VersionStatus.DRAFT)
    client.post(_url("framework_publish", version_id=draft.pk))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.published_at is not None
    assert client.post(_url("framework", version_id=draft.pk), {"text": "x"}).status_code == 404
    again = client.post(_url("framework_publish", version_id=draft.pk), follow=True)
    assert "这个版本已经发布" in again.content.decode()


def test_score_a_year_from_the_runs_page(world: World, client: Client, innov: Innov) -> None:
    client.force_login(world.user("supervisor"))
    response = client.post(_url("runs"), {"year": "2025", "version": str(innov.version.pk)})
    assert response.status_code == 302 and response["Location"].endswith("?year=2025")
    run = Run.objects.get(zone=world.zone)
    assert run.enterprises == 4
    detail = client.get(_url("run", run_id=run.pk)).content.decode()
    assert run.fingerprint in detail
    wrong = client.post(_url("runs"), {"year": "2025", "version": "999999"})
    assert "请选择已发布的积分框架版本" in wrong.content.decode()
    assert client.post(_url("runs"), {"year": "abc", "version": ""}).status_code == 200
