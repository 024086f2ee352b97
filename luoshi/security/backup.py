"""`luoshi backup`: a consistent copy of the database and of every stored file, with a manifest of sha256 sums.

A backup directory holds the database (`database.sqlite3` or `database.dump`), the stored files under `files/`,
and `manifest.json`: the migration state, the rows of every table and each file's size and sha256, so that
`luoshi restore` can prove it reproduced the same data (README "Backup and restore")."""

import getpass
import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
# The folders under DATA_DIR that hold uploads. Zone outlines are a column, so they travel with the database;
# imports/ only keeps plan uploads for a day between preview and commit, and is left out.
STORES = ("evidence", "photos")
# libpq reads these from the environment, so no password ever shows on a command line (`ps`).
PG_ENVIRONMENT = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


class BackupError(Exception):
    """The backup (or restore) cannot go on; the message says what and where, in the user's language."""


@dataclass
class Snapshot:
    """What the copied database holds, read from the copy itself (SQLite) or the dump's own snapshot (PostgreSQL)."""

    tables: dict[str, int]
    migrations: dict[str, str]


def operator() -> str:
    """Who ran the command, for the audit trail: the OS account, since a command has no signed-in person."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "system"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entry(root: Path, path: Path) -> dict[str, Any]:
    return {"path": path.relative_to(root).as_posix(), "size": path.stat().st_size, "sha256": sha256_of(path)}


def stored_files(data_dir: Path) -> list[Path]:
    """Every file in the stores, in a stable order."""
    found: list[Path] = []
    for store in STORES:
        folder = data_dir / store
        if folder.is_dir():
            found.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    return found


def count_rows(cursor: Any, quote: Any, tables: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names come from the models
        counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(cursor: Any) -> dict[str, str]:
    """The latest applied migration of each app, in the order they were applied."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return {app: name for app, name in cursor.fetchall()}


def pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in PG_ENVIRONMENT.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for key, variable in PG_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(key):
            env[variable] = str(settings_dict["OPTIONS"][key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def run_client(arguments: list[str], env: dict[str, str]) -> None:
    """Run pg_dump or pg_restore; its own error message is the most useful thing to show."""
    try:
        result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            _("找不到 %(program)s：请安装 PostgreSQL 客户端（版本不低于数据库服务器）")
            % {"program": arguments[0]}
        ) from None
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s 失败（退出码 %(code)d）：%(error)s")
            % {"program": arguments[0], "code": result.returncode, "error": result.stderr.strip()}
        )


def dump_sqlite(connection: BaseDatabaseWrapper, target: Path) -> Snapshot:
    """SQLite's online backup copies every page in one step under a read lock: a consistent copy even while the
    site writes, WAL content included. The copy is switched out of WAL so that it is one self-contained file."""
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        existing = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        tables = [t for t in connection.introspection.django_table_names() if t in existing]
        cursor = copy.cursor()
        snapshot = Snapshot(count_rows(cursor, connection.ops.quote_name, tables), applied_migrations(cursor))
    return snapshot


def dump_postgresql(connection: BaseDatabaseWrapper, target: Path) -> Snapshot:
    """pg_dump reads the snapshot this transaction exports, so the counts in the manifest are those of the dump."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        snapshot = Snapshot(count_rows(cursor, connection.ops.quote_name, tables), applied_migrations(cursor))
        arguments = [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot_id}",
        ]
        run_client([*arguments, f"--file={target}"], pg_environment(connection.settings_dict))
    return snapshot


def prepare(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(_("备份目录 %(path)s 已存在且不为空：请指定一个新目录") % {"path": out})
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(_("无法创建备份目录 %(path)s：%(error)s") % {"path": out, "error": error}) from None


def copy_stores(data_dir: Path, out: Path) -> list[dict[str, Any]]:
    """Copied after the database dump: a row committed before the dump had its file written before it
    committed, so every row in the dump finds its file here (a file uploaded meanwhile is merely extra)."""
    entries = []
    for source in stored_files(data_dir):
        copy = out / FILES / source.relative_to(data_dir)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        entries.append(file_entry(out, copy))
    return entries


def write_backup(out: Path) -> dict[str, Any]:
    connection = connections["default"]
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(_("不支持备份 %(vendor)s 数据库") % {"vendor": vendor})
    dump = out / DUMPS[vendor]
    snapshot = dump_sqlite(connection, dump) if vendor == "sqlite" else dump_postgresql(connection, dump)
    files = [file_entry(out, dump), *copy_stores(Path(settings.DATA_DIR), out)]
    manifest = {
        "format": FORMAT,
        "luoshi": importlib.metadata.version("luoshi"),
        "created": timezone.now().isoformat(),
        "database": {"vendor": vendor, "file": dump.name},
        "migrations": snapshot.migrations,
        "tables": snapshot.tables,
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def make_backup(out: Path) -> dict[str, Any]:
    """Write a backup into `out` (new or empty) and return its manifest. On failure nothing half-written stays."""
    created = not out.exists()
    prepare(out)
    try:
        return write_backup(out)
    except (BackupError, OSError, sqlite3.Error, DatabaseError) as error:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        else:
            for child in out.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        if isinstance(error, BackupError):
            raise
        raise BackupError(_("写入备份 %(path)s 失败：%(error)s") % {"path": out, "error": error}) from error
