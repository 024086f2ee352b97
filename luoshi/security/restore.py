"""`luoshi restore`: put a backup back into an empty database and data directory, then prove it is the same.

Order matters: every sum is checked before anything is written, the target must be empty (there is no --force:
a restore never merges into or overwrites live data), and after the copy the rows and files are counted again."""

import json
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from luoshi.security.backup import (
    DUMPS,
    FILES,
    FORMAT,
    MANIFEST,
    STORES,
    BackupError,
    count_rows,
    pg_environment,
    run_client,
    sha256_of,
    stored_files,
)

# `luoshi migrate` fills these by itself, so a freshly migrated database still counts as empty.
FILLED_BY_MIGRATE = frozenset({"django_content_type", "auth_permission"})
SHOWN_PROBLEMS = 10


@dataclass
class Comparison:
    table: str
    expected: int
    restored: int | None  # None: the table does not exist after the restore

    @property
    def same(self) -> bool:
        return self.expected == self.restored


@dataclass
class Restored:
    manifest: dict[str, Any]
    comparisons: list[Comparison]
    files: int
    migrate_needed: bool


def read_manifest(backup: Path) -> dict[str, Any]:
    path = backup / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(_("%(path)s 不存在：这不是一个完整的 Luoshi 备份目录") % {"path": path}) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(_("无法读取 %(path)s：%(error)s") % {"path": path, "error": error}) from None
    keys = ("format", "database", "migrations", "tables", "files")
    if not isinstance(manifest, dict) or any(key not in manifest for key in keys):
        raise BackupError(_("%(path)s 缺少必需的内容，不是 Luoshi 的备份清单") % {"path": path})
    if manifest["format"] != FORMAT:
        raise BackupError(
            _("%(path)s 的格式版本是 %(found)s，此版本的 Luoshi 只能恢复版本 %(known)d")
            % {"path": path, "found": manifest["format"], "known": FORMAT}
        )
    return manifest


def relative_path(manifest: dict[str, Any], entry: Any) -> PurePosixPath:
    """A listed path may only name the database copy or a file in one of the stores: a tampered manifest must
    not make the restore write anywhere else."""
    raw = entry.get("path") if isinstance(entry, dict) else None
    path = PurePosixPath(raw) if isinstance(raw, str) else PurePosixPath("/")
    is_dump = path == PurePosixPath(DUMPS[manifest["database"].get("vendor", "")])
    is_stored = len(path.parts) > 2 and path.parts[0] == FILES and path.parts[1] in STORES
    if path.is_absolute() or ".." in path.parts or not (is_dump or is_stored):
        raise BackupError(_("备份清单中的路径“%(path)s”无效") % {"path": raw})
    return path


def verify_backup(backup: Path, manifest: dict[str, Any]) -> None:
    """Every listed file is there with its size and sha256, and nothing unlisted hides among the stored files."""
    if manifest["database"].get("vendor") not in DUMPS:
        raise BackupError(_("备份清单中的数据库类型无效"))
    problems: list[str] = []
    listed = set()
    for entry in manifest["files"]:
        path = relative_path(manifest, entry)
        listed.add(path)
        actual = backup / path
        if not actual.is_file():
            problems.append(_("%(path)s：文件缺失") % {"path": path})
        elif actual.stat().st_size != entry.get("size"):
            problems.append(_("%(path)s：大小不符") % {"path": path})
        elif sha256_of(actual) != entry.get("sha256"):
            problems.append(_("%(path)s：sha256 校验和不符") % {"path": path})
    if (backup / FILES).is_dir():
        for actual in sorted(p for p in (backup / FILES).rglob("*") if p.is_file()):
            if PurePosixPath(actual.relative_to(backup).as_posix()) not in listed:
                problems.append(_("%(path)s：清单中没有这个文件") % {"path": actual.relative_to(backup)})
    dump = PurePosixPath(DUMPS[manifest["database"]["vendor"]])
    if dump not in listed:
        problems.append(_("%(path)s：清单中没有数据库文件") % {"path": dump})
    if problems:
        shown = "\n  ".join(problems[:SHOWN_PROBLEMS])
        raise BackupError(
            _("备份未通过校验（%(count)d 处问题），没有做任何改动：\n  %(problems)s")
            % {"count": len(problems), "problems": shown}
        )


def check_compatible(connection: BaseDatabaseWrapper, manifest: dict[str, Any]) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("这是 %(backup)s 数据库的备份，不能恢复到 %(target)s 数据库")
            % {"backup": vendor, "target": connection.vendor}
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"].items() if (app, name) not in known]
    if unknown:
        raise BackupError(
            _("备份来自更新版本的 Luoshi（此版本没有迁移 %(names)s）：请先升级 Luoshi 再恢复")
            % {"names": "、".join(unknown)}
        )


def check_empty(connection: BaseDatabaseWrapper, data_dir: Path) -> None:
    """Empty means: no rows in any table of Luoshi's models (content types and permissions aside, which
    `luoshi migrate` writes by itself), and no stored file. An unmigrated database is empty too."""
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        tables = [t for t in connection.introspection.django_table_names() if t in existing]
        counts = count_rows(cursor, connection.ops.quote_name, set(tables) - FILLED_BY_MIGRATE)
    occupied = [table for table, rows in counts.items() if rows]
    if occupied:
        raise BackupError(
            _(
                "目标数据库不是空的（%(tables)s 等 %(count)d 张表有数据）：恢复只能写入空数据库，"
                "请新建一个数据库（可以先运行 luoshi migrate）再恢复"
            )
            % {"tables": "、".join(occupied[:3]), "count": len(occupied)}
        )
    files = stored_files(data_dir)
    if files:
        raise BackupError(
            _("数据目录 %(path)s 中已有 %(count)d 个附件或照片文件：恢复只能写入空的数据目录")
            % {"path": data_dir, "count": len(files)}
        )


def restore_sqlite(connection: BaseDatabaseWrapper, source: Path) -> None:
    """The online backup API, pointed the other way: it replaces the whole database under an exclusive lock,
    so it fails (rather than corrupts) while another process holds the database."""
    connection.ensure_connection()
    try:
        with closing(sqlite3.connect(source.as_uri() + "?mode=ro", uri=True)) as copy:
            copy.backup(connection.connection)
    except sqlite3.OperationalError as error:
        raise BackupError(
            _("无法写入数据库（%(error)s）：请先停止 Luoshi 的网站和后台任务再恢复") % {"error": error}
        ) from None


def restore_postgresql(connection: BaseDatabaseWrapper, source: Path) -> None:
    """One transaction: either the whole dump is in, or nothing is. --clean drops the empty tables a
    `luoshi migrate` may have made, so a migrated and an unmigrated empty database both work."""
    connection.close()  # our own idle connection must not hold a lock on the tables pg_restore drops
    settings_dict = connection.settings_dict
    arguments = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--clean",
        "--if-exists",
        "--single-transaction",
    ]
    run_client([*arguments, f"--dbname={settings_dict['NAME']}", str(source)], pg_environment(settings_dict))


def restore_files(backup: Path, manifest: dict[str, Any], data_dir: Path) -> int:
    restored = 0
    for entry in manifest["files"]:
        path = relative_path(manifest, entry)
        if path.parts[0] != FILES:
            continue
        target = data_dir.joinpath(*path.parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(backup / path, target)
        if sha256_of(target) != entry["sha256"]:
            raise BackupError(_("%(path)s 写入后校验和不符，请检查磁盘") % {"path": target})
        restored += 1
    return restored


def compare(connection: BaseDatabaseWrapper, manifest: dict[str, Any]) -> list[Comparison]:
    expected: dict[str, int] = manifest["tables"]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        counts = count_rows(cursor, connection.ops.quote_name, [t for t in expected if t in existing])
    return [Comparison(table, rows, counts.get(table)) for table, rows in sorted(expected.items())]


def migrate_needed(connection: BaseDatabaseWrapper) -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def restore_backup(backup: Path) -> Restored:
    """Check, refuse or restore; the counts are compared but the caller decides what a difference means."""
    manifest = read_manifest(backup)
    verify_backup(backup, manifest)
    connection = connections["default"]
    data_dir = Path(settings.DATA_DIR)
    try:
        check_compatible(connection, manifest)
        check_empty(connection, data_dir)
        dump = backup / DUMPS[connection.vendor]
        if connection.vendor == "sqlite":
            restore_sqlite(connection, dump)
        else:
            restore_postgresql(connection, dump)
        files = restore_files(backup, manifest, data_dir)
        return Restored(manifest, compare(connection, manifest), files, migrate_needed(connection))
    except (OSError, DatabaseError) as error:
        raise BackupError(_("恢复失败：%(error)s") % {"error": error}) from error
