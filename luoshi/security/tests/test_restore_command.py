"""`luoshi restore DIR`: sums checked first, only into an empty database, rows and files verified afterwards.
The round trip runs on whichever database the suite runs on (SQLite and PostgreSQL)."""

import json
import pathlib
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django import Settings

from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.org.models import Zone
from luoshi.security.backup import MANIFEST
from luoshi.security.tests.backups import STORED, empty_everything, manifest_of, run_luoshi, store_files, sums

pytestmark = pytest.mark.django_db(transaction=True)
SCRATCH = "luoshi_restore_test"


@pytest.fixture
def data_dir(settings: Settings, tmp_path: pathlib.Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    store_files(settings.DATA_DIR)
    return settings.DATA_DIR


@pytest.fixture
def backup(world: World, data_dir: Path, tmp_path: pathlib.Path) -> Path:
    out = tmp_path / "backup"
    call_command("backup", out=str(out), stdout=StringIO())
    return out


def counts(manifest: dict[str, Any]) -> dict[str, int]:
    """Rows per table now, for the tables the manifest lists."""
    with connection.cursor() as cursor:
        found = {}
        for table in manifest["tables"]:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            found[table] = cursor.fetchone()[0]
    return found


def test_round_trip_into_a_migrated_empty_database(backup: Path, data_dir: Path) -> None:
    """Round trip reproduces row counts and file sums."""
    before = sums(data_dir)
    empty_everything(data_dir)
    assert User.objects.count() == 0 and sums(data_dir) == {}

    output = StringIO()
    call_command("restore", str(backup), stdout=output)

    manifest = manifest_of(backup)
    restored = counts(manifest)
    restored["audit_auditevent"] -= 1  # the restore's own audit row, written after the comparison
    assert restored == manifest["tables"]
    assert sums(data_dir) == before and len(before) == len(STORED)
    assert set(Zone.objects.values_list("code", flat=True)) == {"alpha", "beta"}
    text = output.getvalue()
    rows = sum(manifest["tables"].values())
    assert f"恢复完成：{len(manifest['tables'])} 张表、{rows} 行、3 个文件，全部一致" in text
    assert "auth_user" in text and "✗" not in text
    last = AuditEvent.objects.order_by("-id").first()
    assert last is not None and last.event == Event.RESTORE and last.detail["rows"] == rows


def test_tampered_file_is_refused_before_anything_is_written(backup: Path, data_dir: Path) -> None:
    stored = backup / "files/evidence/1/3f2a.pdf"
    stored.write_bytes(stored.read_bytes().replace(b"first", b"FIRST"))  # same size, other bytes
    empty_everything(data_dir)
    with pytest.raises(CommandError, match=r"files/evidence/1/3f2a\.pdf：sha256 校验和不符") as refused:
        call_command("restore", str(backup), stdout=StringIO())
    assert "没有做任何改动" in str(refused.value)
    assert User.objects.count() == 0 and AuditEvent.objects.count() == 0 and sums(data_dir) == {}


def test_missing_file_is_reported(backup: Path, data_dir: Path) -> None:
    (backup / "files/photos/1/site.jpg").unlink()
    with pytest.raises(CommandError, match=r"files/photos/1/site\.jpg：文件缺失"):
        call_command("restore", str(backup), stdout=StringIO())


def test_unlisted_file_in_the_backup_is_refused(backup: Path, data_dir: Path) -> None:
    (backup / "files/evidence/1/extra.pdf").write_bytes(b"%PDF slipped in")
    with pytest.raises(CommandError, match=r"extra\.pdf：清单中没有这个文件"):
        call_command("restore", str(backup), stdout=StringIO())


def test_manifest_path_outside_the_stores_is_refused(backup: Path, data_dir: Path) -> None:
    manifest = manifest_of(backup)
    manifest["files"][1]["path"] = "files/evidence/../../../outside.txt"
    (backup / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match="路径“files/evidence/../../../outside.txt”无效"):
        call_command("restore", str(backup), stdout=StringIO())


def test_restore_into_a_non_empty_database_is_refused(backup: Path, data_dir: Path) -> None:
    users = User.objects.count()
    for name in STORED:
        (data_dir / name).unlink()
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(backup), stdout=StringIO())
    assert User.objects.count() == users and sums(data_dir) == {}


def test_restore_into_a_data_directory_with_files_is_refused(backup: Path, data_dir: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="已有 3 个附件或照片文件"):
        call_command("restore", str(backup), stdout=StringIO())
    assert User.objects.count() == 0


def test_directory_without_manifest_is_refused(tmp_path: pathlib.Path, data_dir: Path) -> None:
    with pytest.raises(CommandError, match="不是一个完整的 Luoshi 备份目录"):
        call_command("restore", str(tmp_path), stdout=StringIO())


def scratch_database(statement: str) -> str:
    """Run CREATE or DROP for a scratch database next to the test one; its URL, for a separate process."""
    params = connection.settings_dict
    host, port, user, password = (
        params["HOST"] or "127.0.0.1",
        params["PORT"] or 5432,
        params["USER"],
        params["PASSWORD"],
    )
    with psycopg.connect(
        host=host, port=port, user=user, password=password, dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        if statement == "CREATE":
            admin.execute(f"CREATE DATABASE {SCRATCH}")
    return f"postgres://{user}{':' + password if password else ''}@{host}:{port}/{SCRATCH}"


def test_round_trip_into_a_new_unmigrated_database(backup: Path, tmp_path: pathlib.Path) -> None:
    """A new server: `luoshi restore` in its own process, into a database nobody has migrated yet."""
    if connection.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'new' / 'luoshi.sqlite3'}"
        (tmp_path / "new").mkdir()
    else:
        url = scratch_database("CREATE")
    try:
        result = run_luoshi(
            "restore", str(backup), env={"DATABASE_URL": url, "LUOSHI_DATA_DIR": str(tmp_path / "new")}
        )
    finally:
        if connection.vendor == "postgresql":
            scratch_database("DROP")
    assert result.returncode == 0, result.stderr
    manifest = manifest_of(backup)
    assert f"恢复完成：{len(manifest['tables'])} 张表" in result.stdout
    assert sums(tmp_path / "new") == sums(tmp_path / "data")
