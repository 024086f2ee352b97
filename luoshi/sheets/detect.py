"""What to tell the person who uploaded a file its bytes say we cannot read: uploads are often renamed,
encrypted or saved in old formats. The kind itself comes from `luoshi.lib.files.sniff` (through
`guard.check_upload`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# kind → what the user would call it, for messages
KIND_NAMES = {
    "xlsx": gettext_noop("Excel 工作簿（.xlsx）"),
    "docx": gettext_noop("Word 文档（.docx）"),
    "text": gettext_noop("纯文本"),
    "xls": gettext_noop("旧版 Excel 文件（.xls）"),
    "doc": gettext_noop("旧版 Word 文件（.doc）"),
    "pdf": gettext_noop("PDF 文件"),
    "png": gettext_noop("图片"),
    "jpeg": gettext_noop("图片"),
    "gif": gettext_noop("图片"),
    "webp": gettext_noop("图片"),
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
    if kind not in ("xlsx", "docx", "text"):
        return _("不支持这种文件格式，请上传 .xlsx、.docx 或 .txt 文件")
    return None
