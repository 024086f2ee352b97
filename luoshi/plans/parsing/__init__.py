"""The plan import's parsing layer: an uploaded file → tree nodes + problems. No database, never raises.

The format is decided by content, not by extension: zip with xl/workbook.xml → xlsx, zip with
word/document.xml → docx, anything that decodes as text → txt. Unit names stay as written; matching them
against the zone's units is the caller's job (luoshi.org.matching)."""

import logging

from django.utils.translation import gettext as _

from luoshi.lib.files import decode_text
from luoshi.sheets.detect import failure_message
from luoshi.sheets.guard import UploadRefused, check_upload

from ._model import ParsedNode, ParsedPlan, failed
from .notice import parse_docx, parse_text
from .xlsx import parse_xlsx

__all__ = ["ParsedNode", "ParsedPlan", "parse_plan_file"]

logger = logging.getLogger(__name__)


def parse_plan_file(data: bytes, filename: str, year: int) -> ParsedPlan:
    """Parse an uploaded plan for plan year `year` (the year that deadlines like "6月底前" fall in)."""
    try:
        return _parse(data, filename, year)
    except Exception:  # a bug must not turn an upload into a server error: log it, tell the user
        logger.exception("parsing %r failed", filename)
        return failed(_("无法读取这个文件，请检查内容或另存后重新导入"))


def _parse(data: bytes, filename: str, year: int) -> ParsedPlan:
    try:
        return _parse_checked(data, filename, year)
    except UploadRefused as refused:  # by the checks before parsing, or a sheet past the row or column cap
        return failed(refused.message)


def _parse_checked(data: bytes, filename: str, year: int) -> ParsedPlan:
    kind = check_upload(data)
    message = failure_message(kind, filename)
    if message is not None:
        return failed(message)
    if kind == "xlsx":
        return parse_xlsx(data, year)
    if kind == "docx":
        return parse_docx(data, year)
    return parse_text(decode_text(data) or "", filename, year)
