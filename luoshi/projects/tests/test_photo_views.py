"""Site photos: only real images are kept, stored under the data directory, served to those who see the
project, deleted by those who report on it."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from luoshi.projects import actions
from luoshi.projects.models import ProjectPhoto


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def image_bytes(kind: str = "PNG") -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, kind)
    return out.getvalue()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_unit_uploads_a_photo_and_readers_see_it(world, ledger, login, data_dir):
    url = reverse("projects:photo_add", args=[world.zone.code, ledger.factory.pk])
    data = image_bytes("JPEG")
    response = login(world.user("liaison")).post(
        url, {"image": _upload("现场.jpg", data), "caption": "主体施工", "taken_on": "2026-10-01"}
    )
    assert response.status_code == 302
    photo = ProjectPhoto.objects.get()
    assert photo.content_type == "image/jpeg" and photo.caption == "主体施工" and photo.size == len(data)
    assert photo.uploaded_by == world.user("liaison")
    path = actions.photo_path(photo)
    assert path.is_relative_to(data_dir / "photos" / str(world.zone.pk)) and path.read_bytes() == data
    file_url = reverse("projects:photo_file", args=[world.zone.code, photo.pk])
    for persona in ("viewer", "liaison_dev", "supervisor"):
        served = login(world.user(persona)).get(file_url)
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
        assert b"".join(served.streaming_content) == data
    page = login(world.user("viewer")).get(
        reverse("projects:project_detail", args=[world.zone.code, ledger.factory.pk])
    )
    assert file_url in page.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("fake.jpg", b"this is not an image at all"),
        ("broken.png", image_bytes("PNG")[:60]),
        ("doc.png", b"%PDF-1.4 pretending"),
        ("anim.gif", image_bytes("GIF")),
    ],
)
def test_what_is_not_a_photo_is_refused(world, ledger, login, data_dir, name, data):
    url = reverse("projects:photo_add", args=[world.zone.code, ledger.factory.pk])
    response = login(world.user("supervisor")).post(url, {"image": _upload(name, data)}, follow=True)
    assert f"文件“{name}”不是 JPEG、PNG 或 WebP 图片" in response.content.decode()
    assert not ProjectPhoto.objects.exists()
    assert not (data_dir / "photos").exists()


def test_missing_file_is_refused(world, ledger, login):
    url = reverse("projects:photo_add", args=[world.zone.code, ledger.factory.pk])
    response = login(world.user("supervisor")).post(url, {"caption": "无图"}, follow=True)
    assert "照片" in response.content.decode()
    assert not ProjectPhoto.objects.exists()


@pytest.mark.parametrize("persona", ["liaison_dev", "viewer", "outsider"])
def test_others_may_not_upload(world, ledger, login, persona):
    url = reverse("projects:photo_add", args=[world.zone.code, ledger.factory.pk])
    response = login(world.user(persona)).post(url, {"image": _upload("a.png", image_bytes())})
    assert response.status_code == 404
    assert not ProjectPhoto.objects.exists()


def test_photo_is_hidden_from_those_who_cannot_see_the_project(world, ledger, login):
    photo = actions.add_photo(ledger.hub, _upload("hub.png", image_bytes()), "", None, None)
    url = reverse("projects:photo_file", args=[world.zone.code, photo.pk])
    assert login(world.user("liaison")).get(url).status_code == 404  # tech does not see the dev hub
    assert login(world.user("outsider")).get(url).status_code == 404
    assert login(world.user("viewer")).get(url).status_code == 200


def test_delete(world, ledger, login, django_capture_on_commit_callbacks):
    photo = actions.add_photo(ledger.factory, _upload("a.webp", image_bytes("WEBP")), "", None, None)
    assert photo.content_type == "image/webp"
    path = actions.photo_path(photo)
    url = reverse("projects:photo_delete", args=[world.zone.code, photo.pk])
    assert login(world.user("viewer")).post(url).status_code == 404
    assert login(world.user("liaison_dev")).post(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert login(world.user("liaison")).post(url).status_code == 302
    assert not ProjectPhoto.objects.exists() and not path.exists()


def test_too_large_is_refused(world, ledger, settings):
    big = _upload("big.png", image_bytes())
    big.size = actions.PHOTO_MAX_BYTES + 1
    with pytest.raises(actions.ProjectError, match="超过 10 MB"):
        actions.add_photo(ledger.factory, big, "", None, None)
