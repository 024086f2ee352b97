"""Where a report's supporting files live and what they may be called; attaching one is an action."""

import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from luoshi.reporting.models import Evidence

# What a supporting file may be, read from its bytes: its Content-Type and the suffixes its name may end in.
EVIDENCE_KINDS = {
    "pdf": ("application/pdf", (".pdf",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "gif": ("image/gif", (".gif",)),
    "webp": ("image/webp", (".webp",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_path(evidence: Evidence) -> Path:
    return Path(settings.DATA_DIR) / "evidence" / str(evidence.zone_id) / evidence.stored_name


def evidence_name(name: str, kind: str) -> str:
    """The uploaded name with the suffix of what the file really is: a PDF uploaded as report.html is
    report.pdf, so no browser or desktop later opens it as a web page."""
    stem, suffix = os.path.splitext(name)
    suffixes = EVIDENCE_KINDS[kind][1]
    if suffix.lower() in suffixes:
        return name[:255]
    return (stem or _("附件"))[: 255 - len(suffixes[0])] + suffixes[0]


def served_name(evidence: Evidence) -> str:
    """The download name, by the type sniffed at upload (its stored name's suffix), whatever it was called."""
    return evidence_name(evidence.original_name, evidence.stored_name.rsplit(".", 1)[-1])
