"""Site photos: the original and a smaller upright copy on disk, a row per photo."""

import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.lib.history import Actor, changed_by
from luoshi.projects import images
from luoshi.projects.actions import ProjectError, save
from luoshi.projects.models import Project, ProjectPhoto

PHOTO_MAX_BYTES = 10 * 1024 * 1024


def photo_path(photo: ProjectPhoto, display: bool = False) -> Path:
    """Where the original is kept, or the copy the page shows (the original for photos without one)."""
    name = photo.display_name if display and photo.display_name else photo.stored_name
    return Path(settings.DATA_DIR) / "photos" / str(photo.zone_id) / name


@transaction.atomic
def add_photo(
    project: Project, upload: UploadedFile, caption: str, taken_on: date | None, user: Actor
) -> ProjectPhoto:
    """Keep a photo of the site, named by what Pillow reads it as (JPEG, PNG or WebP, whatever its name
    says), with a smaller upright copy without metadata for the page. A renamed file, a broken one or one of
    more pixels than the cap (a decompression bomb) is refused."""
    name = upload.name or "photo"
    if upload.size is None or upload.size > PHOTO_MAX_BYTES:
        raise ProjectError(_("照片“%(name)s”超过 10 MB") % {"name": name})
    data = upload.read()
    try:
        kind = images.sniff(data, name)
        display = images.display_copy(data, name)
    except images.ImageRefused as refused:
        raise ProjectError(str(refused)) from None
    stem = uuid.uuid4().hex
    photo = ProjectPhoto(
        zone_id=project.zone_id,
        project=project,
        stored_name=f"{stem}.{kind.extension}",
        display_name=f"{stem}-display.jpg",
        original_name=name[:255],
        content_type=kind.content_type,
        size=len(data),
        caption=caption.strip(),
        taken_on=taken_on,
        uploaded_by=user,
    )
    path = photo_path(photo)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    photo_path(photo, display=True).write_bytes(display)
    # The files are written before the row; if the transaction rolls back, the orphan files are harmless.
    save(photo, user)
    return photo


@transaction.atomic
def delete_photo(photo: ProjectPhoto, user: Actor) -> None:
    """Remove a photo and its files; the project's history records who did."""
    paths = {photo_path(photo), photo_path(photo, display=True)}
    changed_by(photo, user)
    photo.delete()

    def remove_files() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    transaction.on_commit(remove_files)
