"""`luoshi backup --out DIR`: the database, every stored file and a manifest of sha256 sums."""

import hashlib
import pathlib
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django import Settings

from luoshi.audit.choices import Event, Outcome
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.security.backup import DUMPS
from luoshi.security.tests.backups import STORED, manifest_of, store_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data_dir(settings: Settings, tmp_path: pathlib.Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    store_files(settings.DATA_DIR)
    return settings.DATA_DIR


def test_backup_copies_database_and_files_with_sums(
    world: World, data_dir: Path, tmp_path: pathlib.Path
) -> None:
    out = tmp_path / "backup"
    output = StringIO()
    call_command("backup", out=str(out), stdout=output)

    manifest = manifest_of(out)
    assert manifest["format"] == 1 and manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["auth_user"] == User.objects.count() == 9
    assert (
        manifest["tables"]["org_zone"] == 2
        and manifest["migrations"]["audit"] == "0005_share_and_consent_events"
    )
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == {DUMPS[connection.vendor], *(f"files/{name}" for name in STORED)}
    for name, content in STORED.items():
        entry = listed[f"files/{name}"]
        assert (out / "files" / name).read_bytes() == content
        assert entry["size"] == len(content) and entry["sha256"] == hashlib.sha256(content).hexdigest()
    dump = out / DUMPS[connection.vendor]
    assert listed[dump.name]["sha256"] == hashlib.sha256(dump.read_bytes()).hexdigest()

    text = output.getvalue()
    assert f"备份完成：{out}" in text and "3 个附件和照片" in text
    event = AuditEvent.objects.get(event=Event.BACKUP)
    assert event.outcome == Outcome.SUCCESS and event.detail["files"] == 3 and event.detail["out"] == str(out)
    # The backup's own audit row comes after the copy: the manifest counts the trail without it.
    assert manifest["tables"]["audit_auditevent"] == AuditEvent.objects.count() - 1


def test_backup_refuses_a_non_empty_directory(world: World, data_dir: Path, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "backup"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="已存在且不为空"):
        call_command("backup", out=str(out))
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert AuditEvent.objects.get(event=Event.BACKUP).outcome == Outcome.FAILURE


def test_backup_into_an_existing_empty_directory(
    world: World, data_dir: Path, tmp_path: pathlib.Path
) -> None:
    out = tmp_path / "backup"
    out.mkdir()
    call_command("backup", out=str(out), stdout=StringIO())
    assert (out / "manifest.json").is_file()


def test_backup_that_cannot_create_its_directory_says_where(
    world: World, data_dir: Path, tmp_path: pathlib.Path
) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(CommandError, match="无法创建备份目录"):
        call_command("backup", out=str(tmp_path / "a-file" / "backup"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backs up PostgreSQL only")
def test_backup_without_pg_dump_says_so_and_leaves_nothing(
    world: World, data_dir: Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    out = tmp_path / "backup"
    with pytest.raises(CommandError, match="找不到 pg_dump"):
        call_command("backup", out=str(out))
    assert not out.exists()
