"""Uploaded files waiting between an import's preview and its confirmation (plans, ledgers): kept under the
data directory, never the web root, and readable only by the user who uploaded them, in the zone they
uploaded them to."""

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404

MAX_FILE_BYTES = 20 * 1024 * 1024  # an import's file, checked before it is read (forms and commands)
KEEP_SECONDS = 24 * 3600


class _Zone(Protocol):
    @property
    def pk(self) -> Any: ...


class Uploader(Protocol):
    """Who stashes a file and where: luoshi.org.queries.Access, which this layer cannot import."""

    @property
    def zone(self) -> _Zone: ...

    @property
    def user_id(self) -> int: ...


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Stash:
    token: str
    filename: str
    year: int
    title: str
    data: bytes


def stash_upload(access: Uploader, upload: UploadedFile, year: int, title: str) -> str:
    folder = _folder()
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    with open(folder / f"{token}.bin", "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    meta = {
        "zone": access.zone.pk,
        "user": access.user_id,
        "filename": upload.name,
        "year": year,
        "title": title,
    }
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return token


def load_stash(access: Uploader, token: str) -> Stash:
    if not token.replace("-", "").replace("_", "").isalnum():
        raise Http404
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.bin").read_bytes()
    except FileNotFoundError:
        raise Http404 from None
    if meta["zone"] != access.zone.pk or meta["user"] != access.user_id:
        raise Http404
    return Stash(token=token, filename=meta["filename"], year=meta["year"], title=meta["title"], data=data)


def drop_stash(token: str) -> None:
    for suffix in (".bin", ".json"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)
