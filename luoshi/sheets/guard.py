"""The checks every uploaded file passes before anything parses it: its size, that it is not empty, what its
bytes say it is, and, for the zip-based Office formats (.xlsx, .docx), what it would expand to. The limit on
uploads applies to the compressed file; a 300 KB workbook can expand to 300 MB, so the archive's directory is
read first (cheap: no member is decompressed) and a file is refused when it would expand past the limit, when
a member is compressed far more than real documents ever are, when it has thousands of members, or when a
member's name climbs out of the archive. Python's zipfile never yields more than the size the directory
declares (it stops there and fails the CRC), so the declared sizes are a bound the parsers cannot exceed."""

import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from io import BytesIO
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from luoshi.lib.files import sniff, zip_kind

MAX_RATIO = 100  # deflate reaches 10–30× on real sheets and documents; bombs reach 1000×
RATIO_FLOOR = 1024 * 1024  # below this a member cannot hurt, whatever its ratio (styles often reach 100×)
MAX_MEMBERS = 2000
# Parts the readers hold whole in memory (python-docx the whole document, openpyxl and the ledger reader the
# shared strings and styles) may expand to this; worksheets are streamed row by row and media never parsed.
MAX_PART_BYTES = 16 * 1024 * 1024
STREAMED = ("xl/worksheets/", "word/media/", "xl/media/", "docProps/thumbnail")
MB = 1024 * 1024


class UploadRefused(ValueError):
    """An upload that must not be parsed; the message says why, in words for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_upload(data: bytes, max_bytes: int | None = None) -> str:
    """The kind `luoshi.lib.files.sniff` gives, after the shared checks; UploadRefused when one fails. Which
    kinds to parse is the caller's to say, in words that fit the import (an .xls, a .doc, a PDF…)."""
    limit = max_bytes or settings.LUOSHI_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise UploadRefused(
            _("文件太大（%(size).1f MB），最大 %(max)d MB，请删除无关内容或拆分后重新导入")
            % {"size": len(data) / MB, "max": limit // MB}
        )
    if not data or data.isspace():
        raise UploadRefused(_("文件是空的"))
    kind = _check_archive(data) if data[:2] == b"PK" else sniff(data)
    return kind


def checked_upload(upload: UploadedFile, max_bytes: int | None = None) -> UploadedFile:
    """A form's uploaded file, once its size is known to be within the limit, through the checks above; a
    refusal becomes the form's error. The kind is left to the parser, whose messages say more."""
    data = upload.read()
    upload.seek(0)
    try:
        check_upload(data, max_bytes=max_bytes)
    except UploadRefused as refused:
        raise ValidationError(refused.message) from None
    return upload


def _check_archive(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "corrupt"
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(
            _("文件包含 %(count)d 个部件，超过 %(max)d 个的上限，请另存后重新导入")
            % {"count": len(members), "max": MAX_MEMBERS}
        )
    for member in members:
        _check_member(member)
    expanded = sum(m.file_size for m in members)
    limit = settings.LUOSHI_MAX_UNZIPPED_BYTES
    if expanded > limit:
        raise UploadRefused(
            _("文件解压后有 %(size)d MB，超过 %(max)d MB 的上限，请删除无关内容或拆分后重新导入")
            % {"size": expanded // MB, "max": limit // MB}
        )
    if expanded > RATIO_FLOOR and expanded > MAX_RATIO * len(data):
        raise UploadRefused(_ratio_message(_("整个文件"), expanded / len(data)))
    return zip_kind(m.filename for m in members)


def _check_member(member: zipfile.ZipInfo) -> None:
    name = member.filename
    if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
        raise UploadRefused(_("文件中有不安全的部件名“%(name)s”，已拒绝") % {"name": name[:100]})
    if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
        what = _("文件中的“%(name)s”") % {"name": name[:100]}
        raise UploadRefused(_ratio_message(what, member.file_size / max(member.compress_size, 1)))
    if member.file_size > MAX_PART_BYTES and not name.startswith(STREAMED):
        raise UploadRefused(
            _(
                "文件中的“%(name)s”解压后有 %(size)d MB，超过 %(max)d MB 的上限，请删除无关内容或拆分后重新导入"
            )
            % {"name": name[:100], "size": member.file_size // MB, "max": MAX_PART_BYTES // MB}
        )


def _ratio_message(what: str, ratio: float) -> str:
    return _(
        "%(what)s的压缩比为 %(ratio)d 倍，超过 %(max)d 倍的上限（正常的 Office 文件远低于此），请另存后重新导入"
    ) % {"what": what, "ratio": ratio, "max": MAX_RATIO}


MAX_ROWS = 50_000  # ten times the largest ledger or task list offices keep
MAX_COLUMNS = 200
# A parse runs inside the web request: it must end well before the worker's 30-second timeout, whatever the file.
PARSE_SECONDS = 20.0


Row = TypeVar("Row", bound=Sequence[object])


def capped(rows: Iterable[Row]) -> Iterator[Row]:
    """The rows of a sheet as they are read, refusing the file at the first value past row MAX_ROWS or
    column MAX_COLUMNS: counted, not taken from the sheet's declared dimension, which may be wrong; and when
    reading has taken longer than PARSE_SECONDS (a file shaped to be slow)."""
    deadline = time.monotonic() + PARSE_SECONDS
    for index, row in enumerate(rows):
        if index % 1000 == 999 and time.monotonic() > deadline:
            raise UploadRefused(
                _("文件读取超过 %(seconds)d 秒仍未完成，请删除无关内容或拆分后分批导入")
                % {"seconds": PARSE_SECONDS}
            )
        if len(row) > MAX_COLUMNS and any(v not in (None, "") for v in row[MAX_COLUMNS:]):
            raise UploadRefused(
                _("第%(row)d行超过 %(max)d 列的导入上限，请删除无关的列后重新导入")
                % {"row": index + 1, "max": MAX_COLUMNS}
            )
        if index >= MAX_ROWS and any(v not in (None, "") for v in row):
            raise UploadRefused(too_many_rows())
        yield row


def too_many_rows() -> str:
    return _("文件超过 %(max)s 行的导入上限，请拆分后分批导入") % {"max": f"{MAX_ROWS:,}"}
