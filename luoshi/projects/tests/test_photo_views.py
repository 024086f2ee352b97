"""Site photos: only real images of a bounded size are kept, stored under the data directory by their real
kind with a smaller copy for the page, and served to those who see the project (deleting: test_photo_delete)."""

import pathlib
from collections.abc import Callable, Iterator
from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django import Settings

from luoshi.conftest import World
from luoshi.projects.actions import ProjectError
from luoshi.projects.actions import photos as photo_actions
from luoshi.projects.models import ProjectPhoto
from luoshi.projects.tests.conftest import Ledger


@pytest.fixture(autouse=True)
def data_dir(settings: Settings, tmp_path: pathlib.Path) -> pathlib.Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def image_bytes(kind: str = "PNG") -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, kind)
    return out.getvalue()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _streamed(response: HttpResponseBase) -> bytes:
    """The body of a streamed (file) response."""
    assert isinstance(response, StreamingHttpResponse)
    content = response.streaming_content
    assert isinstance(content, Iterator)
    return b"".join(content)


def test_unit_uploads_a_photo_and_readers_see_it(
    world: World, ledger: Ledger, login: Callable[[User], Client], data_dir: pathlib.Path
) -> None:
    url = reverse("projects:photo_add", args=[world.zone.code, ledger.factory.pk])
    data = image_bytes("JPEG")
    response = login(world.user("liaison")).post(
        url, {"image": _upload("现场.jpg", data), "caption": "主体施工", "taken_on": "2026-10-01"}
    )
    assert response.status_code == 302
    photo = ProjectPhoto.objects.get()
    assert photo.content_type == "image/jpeg" and photo.caption == "主体施工" and photo.size == len(data)
    assert photo.uploaded_by == world.user("liaison")
    path = photo_actions.photo_path(photo)
    assert path.is_relative_to(data_dir / "photos" / str(world.zone.pk)) and path.read_bytes() == data
    file_url = reverse("projects:photo_file", args=[world.zone.code, photo.pk])
    for persona in ("viewer", "liaison_dev", "supervisor"):
        served = login(world.user(persona)).get(file_url)
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
        assert _streamed(served) == data
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
def test_what_is_not_a_photo_is_refused(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    data_dir: pathlib.Path,
    name: str,
    data: bytes,
) -> None:
    url = reverse("projects:photo_add", args=[world.zone.code, ledger.factory.pk])
    response = login(world.user("supervisor")).post(url, {"image": _upload(name, data)}, follow=True)
    assert f"文件“{name}”不是 JPEG、PNG 或 WebP 图片" in response.content.decode()
    assert not ProjectPhoto.objects.exists()
    assert not (data_dir / "photos").exists()


def test_missing_file_is_refused(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    url = reverse("projects:photo_add", args=[world.zone.code, ledger.factory.pk])
    response = login(world.user("supervisor")).post(url, {"caption": "无图"}, follow=True)
    assert "照片" in response.content.decode()
    assert not ProjectPhoto.objects.exists()


@pytest.mark.parametrize("persona", ["liaison_dev", "viewer", "outsider"])
def test_others_may_not_upload(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str
) -> None:
    url = reverse("projects:photo_add", args=[world.zone.code, ledger.factory.pk])
    response = login(world.user(persona)).post(url, {"image": _upload("a.png", image_bytes())})
    assert response.status_code == 404
    assert not ProjectPhoto.objects.exists()


def test_photo_is_hidden_from_those_who_cannot_see_the_project(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    photo = photo_actions.add_photo(ledger.hub, _upload("hub.png", image_bytes()), "", None, None)
    url = reverse("projects:photo_file", args=[world.zone.code, photo.pk])
    assert login(world.user("liaison")).get(url).status_code == 404  # tech does not see the dev hub
    assert login(world.user("outsider")).get(url).status_code == 404
    assert login(world.user("viewer")).get(url).status_code == 200


def test_too_large_is_refused(world: World, ledger: Ledger, settings: Settings) -> None:
    big = _upload("big.png", image_bytes())
    big.size = photo_actions.PHOTO_MAX_BYTES + 1
    with pytest.raises(ProjectError, match="超过 10 MB"):
        photo_actions.add_photo(ledger.factory, big, "", None, None)


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    """144 megapixels (12000×12000) in 40 KB: one colour compresses well (issue defect 11)."""
    out = BytesIO()
    Image.new("1", (12000, 12000), 1).save(out, "PNG")
    return out.getvalue()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_144_megapixel_png_is_refused_with_the_limit(
    world: World, ledger: Ledger, login: Callable[[User], Client], data_dir: pathlib.Path, huge_png: bytes
) -> None:
    url = reverse("projects:photo_add", args=[world.zone.code, ledger.factory.pk])
    response = login(world.user("liaison")).post(url, {"image": _upload("大图.png", huge_png)}, follow=True)
    assert (
        "照片“大图.png”为 12000×12000 像素（约 14400 万像素），超过 5000 万像素上限"
        in response.content.decode()
    )
    assert not ProjectPhoto.objects.exists() and not (data_dir / "photos").exists()


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_bomb_warning_as_an_error_is_a_refusal_too(ledger: Ledger, huge_png: bytes) -> None:
    with pytest.raises(ProjectError, match="超过 5000 万像素上限"):
        photo_actions.add_photo(ledger.factory, _upload("大图.png", huge_png), "", None, None)


def test_beyond_pillows_own_limit_is_refused_before_the_size_is_read(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 500)  # 40×30 is over twice that: DecompressionBombError
    with pytest.raises(ProjectError, match="像素超过 5000 万像素上限"):
        photo_actions.add_photo(ledger.factory, _upload("a.png", image_bytes()), "", None, None)
    assert not ProjectPhoto.objects.exists()


def test_the_file_is_named_by_its_real_kind(ledger: Ledger) -> None:
    photo = photo_actions.add_photo(ledger.factory, _upload("照片.jpg", image_bytes("PNG")), "", None, None)
    assert photo.stored_name.endswith(".png") and photo.content_type == "image/png"
    assert photo_actions.photo_path(photo).suffix == ".png" and photo.original_name == "照片.jpg"


def _camera_jpeg(size: tuple[int, int]) -> bytes:
    """A photo as a phone stores it: sideways pixels, EXIF saying "rotate 90°", the camera and a comment."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    out = BytesIO()
    Image.new("RGB", size, "blue").save(out, "JPEG", exif=exif, comment=b"secret")
    return out.getvalue()


def test_the_page_shows_an_upright_small_copy_without_metadata(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    data = _camera_jpeg((4000, 3000))
    photo = photo_actions.add_photo(
        ledger.factory, _upload("现场.jpg", data), "", None, world.user("liaison")
    )
    display = photo_actions.photo_path(photo, display=True)
    assert display != photo_actions.photo_path(photo) and display.suffix == ".jpg"
    with Image.open(display) as copy:
        assert copy.format == "JPEG" and copy.size == (1200, 1600)  # upright, longest side 1600
        assert not copy.getexif() and "exif" not in copy.info and "comment" not in copy.info
    assert photo_actions.photo_path(photo).read_bytes() == data  # the original is kept as uploaded
    page = login(world.user("viewer")).get(
        reverse("projects:project_detail", args=[world.zone.code, ledger.factory.pk])
    )
    display_url = reverse("projects:photo_display", args=[world.zone.code, photo.pk])
    assert f'<img src="{display_url}"' in page.content.decode()
    served = login(world.user("viewer")).get(display_url)
    assert served["Content-Type"] == "image/jpeg"
    assert _streamed(served) == display.read_bytes()


def test_transparency_in_the_copy_turns_white(ledger: Ledger) -> None:
    out = BytesIO()
    Image.new("RGBA", (20, 10), (255, 0, 0, 0)).save(out, "PNG")
    photo = photo_actions.add_photo(ledger.factory, _upload("a.png", out.getvalue()), "", None, None)
    with Image.open(photo_actions.photo_path(photo, display=True)) as copy:
        assert copy.size == (20, 10) and copy.convert("RGB").getpixel((5, 5)) == (255, 255, 255)


def test_a_photo_kept_before_copies_were_made_shows_the_original(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    data = image_bytes("JPEG")
    photo = photo_actions.add_photo(ledger.factory, _upload("旧.jpg", data), "", None, None)
    photo_actions.photo_path(photo, display=True).unlink()
    ProjectPhoto.objects.filter(pk=photo.pk).update(display_name="")
    served = login(world.user("viewer")).get(
        reverse("projects:photo_display", args=[world.zone.code, photo.pk])
    )
    assert served["Content-Type"] == "image/jpeg" and _streamed(served) == data


def test_the_original_is_a_download(world: World, ledger: Ledger, login: Callable[[User], Client]) -> None:
    photo = photo_actions.add_photo(ledger.factory, _upload("现场.png", image_bytes()), "", None, None)
    served = login(world.user("viewer")).get(reverse("projects:photo_file", args=[world.zone.code, photo.pk]))
    assert served["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("persona", "project", "status"),
    [
        ("liaison", "factory", 200),  # the project's unit
        ("liaison_dev", "factory", 200),  # asked to solve its blocker: sees the project
        ("liaison", "hub", 404),  # another unit's project
        ("viewer", "hub", 200),
        ("outsider", "factory", 404),
        ("nobody", "factory", 404),
    ],
)
@pytest.mark.parametrize("view", ["projects:photo_display", "projects:photo_file"])
def test_who_gets_the_photo(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    persona: str,
    project: str,
    status: int,
    view: str,
) -> None:
    photo = photo_actions.add_photo(getattr(ledger, project), _upload("a.png", image_bytes()), "", None, None)
    assert (
        login(world.user(persona)).get(reverse(view, args=[world.zone.code, photo.pk])).status_code == status
    )
