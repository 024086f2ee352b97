"""What a file really is, from its bytes: uploads are often renamed, encrypted or saved in old formats."""

import zipfile
from collections.abc import Iterable
from io import BytesIO

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}


def sniff(data: bytes) -> str:
    """One of: xlsx, docx, zip, corrupt, encrypted, xls, doc, ole, pdf, png, jpeg, gif, webp, text, binary."""
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                return zip_kind(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "corrupt"
    if data.startswith(OLE2_MAGIC):
        # The directory of an OLE2 file names its streams in UTF-16: enough to tell the common cases apart.
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"
        if "WordDocument".encode("utf-16-le") in data:
            return "doc"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        return "ole"
    if data.startswith(b"%PDF"):
        return "pdf"
    for magic, kind in IMAGE_MAGIC.items():
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "text" if decode_text(data) is not None else "binary"


def zip_kind(names: Iterable[str]) -> str:
    """xlsx, docx or zip, from the names of a zip archive's members."""
    found = set(names)
    if "xl/workbook.xml" in found:
        return "xlsx"
    if "word/document.xml" in found:
        return "docx"
    return "zip"


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Windows "Unicode" text), then GB18030; None for binary."""
    encodings: tuple[str, ...]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t\f")
        return None if controls else text
    return None
