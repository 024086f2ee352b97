"""Shared by the backup and restore command tests: stored files next to the `world` personas, and a way to run
`luoshi` in a separate process against another database."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

from luoshi.security.backup import MANIFEST, sha256_of

STORED = {
    "evidence/1/3f2a.pdf": b"%PDF-1.7 evidence of the first report",
    "evidence/2/9c1d.xlsx": b"PK\x03\x04 a workbook",
    "photos/1/site.jpg": bytes(range(256)) * 40,
}


def store_files(data_dir: Path) -> None:
    for name, content in STORED.items():
        path = data_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def manifest_of(backup: Path) -> dict[str, Any]:
    return json.loads((backup / MANIFEST).read_text(encoding="utf-8"))


def sums(data_dir: Path) -> dict[str, str]:
    return {name: sha256_of(data_dir / name) for name in STORED if (data_dir / name).is_file()}


def empty_everything(data_dir: Path) -> None:
    """What a new server looks like: a migrated database without data, and no stored files."""
    call_command("flush", interactive=False, verbosity=0)
    for name in STORED:
        (data_dir / name).unlink(missing_ok=True)


def run_luoshi(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The same key as this process: the server refuses to start without one.
    environment = {**os.environ, "LUOSHI_SECRET_KEY": settings.SECRET_KEY, **env}
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "luoshi.cli", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
