"""Deleting a site photo (projects:photo_delete): the office, or whoever uploaded it. Issue defect 9: a unit
could delete the office's photos, and the removal left no trace in the project's history."""

import pathlib
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from luoshi.conftest import World
from luoshi.org.queries import access_for
from luoshi.projects import queries
from luoshi.projects.actions import photos as photo_actions
from luoshi.projects.models import Project, ProjectPhoto
from luoshi.projects.tests.conftest import Ledger
from luoshi.projects.tests.test_photo_views import _upload, image_bytes


@pytest.fixture(autouse=True)
def data_dir(settings: Settings, tmp_path: pathlib.Path) -> pathlib.Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _photo(project: Project, user: User, caption: str = "主体施工") -> ProjectPhoto:
    return photo_actions.add_photo(project, _upload("现场.png", image_bytes()), caption, None, user)


def _url(world: World, photo: ProjectPhoto) -> str:
    return reverse("projects:photo_delete", args=[world.zone.code, photo.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 302),
        ("supervisor", 302),
        ("liaison", 404),  # the project's own unit, but the office's photo
        ("unithead", 404),
        ("liaison_dev", 404),  # another unit, which sees the project through its blocker
        ("leader", 404),
        ("viewer", 404),
        ("outsider", 404),
    ],
)
def test_the_offices_photo_is_deleted_by_the_office_only(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str, status: int
) -> None:
    photo = _photo(ledger.factory, world.user("supervisor"))
    assert login(world.user(persona)).post(_url(world, photo)).status_code == status
    assert ProjectPhoto.objects.filter(pk=photo.pk).exists() == (status == 404)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("liaison", 302),  # the uploader
        ("unithead", 404),  # same unit, not the uploader
        ("supervisor", 302),
        ("liaison_dev", 404),
        ("viewer", 404),
        ("outsider", 404),
    ],
)
def test_a_units_photo_is_deleted_by_its_uploader_or_the_office(
    world: World, ledger: Ledger, login: Callable[[User], Client], persona: str, status: int
) -> None:
    photo = _photo(ledger.factory, world.user("liaison"))
    assert login(world.user(persona)).post(_url(world, photo)).status_code == status
    assert ProjectPhoto.objects.filter(pk=photo.pk).exists() == (status == 404)


def test_an_uploader_who_no_longer_reports_on_the_project_may_not_delete(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    photo = _photo(ledger.factory, world.user("liaison_dev"))  # uploaded while, say, dev led it
    assert login(world.user("liaison_dev")).post(_url(world, photo)).status_code == 404


def test_delete_removes_both_files_and_is_in_the_history(
    world: World,
    ledger: Ledger,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    photo = _photo(ledger.factory, world.user("liaison"), caption="基坑开挖")
    paths = [photo_actions.photo_path(photo), photo_actions.photo_path(photo, display=True)]
    assert all(path.exists() for path in paths) and paths[0] != paths[1]
    with django_capture_on_commit_callbacks(execute=True):
        assert login(world.user("supervisor")).post(_url(world, photo)).status_code == 302
    assert not ProjectPhoto.objects.exists() and not any(path.exists() for path in paths)
    page = login(world.user("viewer")).get(
        reverse("projects:project_detail", args=[world.zone.code, ledger.factory.pk])
    )
    entries = [(e.what, e.who) for e in page.context["history"]]
    assert ("删除现场照片（基坑开挖）：基坑开挖", "supervisor") in entries
    assert ("新增现场照片（基坑开挖）：基坑开挖", "liaison") in entries


def test_the_delete_button_shows_only_to_those_who_may_delete(
    world: World, ledger: Ledger, login: Callable[[User], Client]
) -> None:
    office = _photo(ledger.factory, world.user("supervisor"), caption="办公室拍")
    own = _photo(ledger.factory, world.user("liaison"), caption="单位拍")
    page = reverse("projects:project_detail", args=[world.zone.code, ledger.factory.pk])
    expected = {
        "supervisor": {office, own},
        "liaison": {own},
        "unithead": set(),
        "liaison_dev": set(),
        "viewer": set(),
    }
    for persona, deletable in expected.items():
        html = login(world.user(persona)).get(page).content.decode()
        for photo in (office, own):
            assert (_url(world, photo) in html) == (photo in deletable), (persona, photo)


def test_can_delete_photo_rule(world: World, ledger: Ledger) -> None:
    photo = _photo(ledger.factory, world.user("liaison"))
    verdicts = {
        persona: queries.can_delete_photo(access_for(world.user(persona), world.zone.code), photo)
        for persona in ("admin", "supervisor", "leader", "viewer", "unithead", "liaison", "liaison_dev")
    }
    assert verdicts == {
        "admin": True,
        "supervisor": True,
        "leader": False,
        "viewer": False,
        "unithead": False,
        "liaison": True,
        "liaison_dev": False,
    }
