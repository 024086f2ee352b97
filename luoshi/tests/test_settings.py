from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django import DjangoDbBlocker

from luoshi import checks, settings


def test_env_bool_is_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUOSHI_X", "yes")
    assert settings.env_bool("LUOSHI_X", False) is True
    monkeypatch.setenv("LUOSHI_X", "0")
    assert settings.env_bool("LUOSHI_X", True) is False
    monkeypatch.setenv("LUOSHI_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="LUOSHI_X"):
        settings.env_bool("LUOSHI_X", False)


def test_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    sqlite = settings.database_config()
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3" and sqlite["NAME"] == str(
        tmp_path / "luoshi.sqlite3"
    )
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"] and sqlite["OPTIONS"]["timeout"] == 20
    monkeypatch.setenv("DATABASE_URL", "postgres://luoshi:pw@db.example:5432/luoshi")
    pg = settings.database_config()
    assert pg["ENGINE"] == "django.db.backends.postgresql" and pg["HOST"] == "db.example"
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/luoshi")
    with pytest.raises(ImproperlyConfigured, match="SQLite or PostgreSQL"):
        settings.database_config()


def test_development_key_is_flagged() -> None:
    from django.conf import settings as live

    expected = ["luoshi.W001"] if live.SECRET_KEY == checks.DEV_KEY else []
    assert [w.id for w in checks.check_secret_key(None)] == expected


def test_sqlite_file_runs_in_wal_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, django_db_blocker: DjangoDbBlocker
) -> None:
    from django.db.utils import ConnectionHandler

    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    connection = ConnectionHandler({"default": settings.database_config()})["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20000
    finally:
        connection.close()
