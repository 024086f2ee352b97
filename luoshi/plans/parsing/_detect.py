"""What a file really is, from its bytes: uploads are often renamed, encrypted or saved in old formats."""

import zipfile
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# kind → what the user would call it, for messages
KIND_NAMES = {
    "xlsx": gettext_noop("Excel 工作簿（.xlsx）"),
    "docx": gettext_noop("Word 文档（.docx）"),
    "text": gettext_noop("纯文本"),
    "xls": gettext_noop("旧版 Excel 文件（.xls）"),
    "doc": gettext_noop("旧版 Word 文件（.doc）"),
    "pdf": gettext_noop("PDF 文件"),
    "zip": gettext_noop("压缩包或其他 Office 文件"),
}
EXTENSIONS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".docx": "docx",
    ".txt": "text",
    ".csv": "text",
    ".xls": "xls",
    ".doc": "doc",
}


def sniff(data: bytes) -> str:
    """One of: xlsx, docx, zip, corrupt, encrypted, xls, doc, ole, pdf, text, binary."""
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "corrupt"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
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
    return "text" if decode_text(data) is not None else "binary"


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


def failure_message(kind: str, filename: str) -> str | None:
    """The error for a file we will not parse, or None when `kind` can be parsed as its extension promises."""
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if kind == "encrypted":
        return _("文件已加密，请在 Excel 或 Word 中取消密码后重新导入")
    if kind == "corrupt":
        return _("文件已损坏，无法打开，请在 Excel 或 Word 中重新保存后导入")
    expected = EXTENSIONS.get(extension)
    if expected is not None and expected != kind and kind in KIND_NAMES:
        return _("文件扩展名是 %(extension)s，但内容是%(kind)s，请改正扩展名或重新导出后导入") % {
            "extension": extension,
            "kind": _(KIND_NAMES[kind]),
        }
    if kind == "xls":
        return _("这是旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后重新导入")
    if kind == "doc":
        return _("这是旧版 Word 文件（.doc），请在 Word 中另存为 .docx 后重新导入")
    if kind in ("ole", "zip", "pdf", "binary"):
        return _("不支持这种文件格式，请上传 .xlsx、.docx 或 .txt 文件")
    return None
