"""Security issue, defect 11: a %PDF-prefixed HTML file uploaded as report.html was stored and served as a PDF
named .html. Files are named by their sniffed type; every download is recorded."""

import pathlib
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.plans.tests.workbooks import make_docx
from luoshi.reporting import actions
from luoshi.reporting.actions import ReportInput, ReportRefused
from luoshi.reporting.evidence import evidence_name
from luoshi.reporting.models import Evidence, Period, Report
from luoshi.reporting.tests.conftest import at
from luoshi.sheets.tests.archives import bomb

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def draft(world: World, week47: Period) -> Report:
    data = ReportInput(progress=Decimal(40), work_done="完成申报培训")
    return actions.save_report(world.item_a, week47, data, world.user("liaison"), at(2026, 11, 19, 10))


def _download(client: Client, evidence: Evidence) -> "Response":
    return client.get(reverse("reporting:evidence", kwargs={"zone": "alpha", "evidence_id": evidence.pk}))


def test_a_pdf_named_html_is_stored_and_served_as_pdf(
    world: World, draft: Report, login: Callable[[User], Client], settings: Settings, tmp_path: pathlib.Path
) -> None:
    settings.DATA_DIR = tmp_path
    evidence = actions.attach_evidence(draft, SimpleUploadedFile("report.html", POLYGLOT), None)
    assert (evidence.original_name, evidence.content_type) == ("report.pdf", "application/pdf")
    assert evidence.stored_name.endswith(".pdf")
    response = _download(login(world.user("supervisor")), evidence)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    event = AuditEvent.objects.get(event=Event.DOWNLOAD)
    assert (
        event.zone == world.zone
        and event.object_id == str(evidence.pk)
        and event.user == world.user("supervisor")
    )


def test_a_file_kept_under_its_old_name_is_served_by_its_type(
    world: World, draft: Report, login: Callable[[User], Client], settings: Settings, tmp_path: pathlib.Path
) -> None:
    settings.DATA_DIR = tmp_path
    evidence = actions.attach_evidence(draft, SimpleUploadedFile("报告.pdf", POLYGLOT), None)
    Evidence.objects.filter(pk=evidence.pk).update(original_name="报告.html")  # uploaded before the fix
    response = _download(login(world.user("liaison")), evidence)
    assert "filename*=utf-8''%E6%8A%A5%E5%91%8A.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("photo.JPEG", "photo.JPEG"),
        ("photo.jpg", "photo.jpg"),
        ("photo.png", "photo.jpg"),
        (".htaccess", ".htaccess.jpg"),
        ("", "附件.jpg"),
    ],
)
def test_names_follow_the_sniffed_type(name: str, kept: str) -> None:
    assert evidence_name(name, "jpeg") == kept


def test_a_type_not_allowed_is_refused(
    world: World, draft: Report, settings: Settings, tmp_path: pathlib.Path
) -> None:
    settings.DATA_DIR = tmp_path
    with pytest.raises(ReportRefused, match="不是 PDF"):
        actions.attach_evidence(draft, SimpleUploadedFile("report.pdf", b"<html>hello</html>"), None)
    assert not Evidence.objects.exists()


def test_a_zip_bomb_sent_as_evidence_is_refused_by_the_shared_checks(
    world: World, draft: Report, settings: Settings, tmp_path: pathlib.Path
) -> None:
    """Every upload goes through the shared checks, evidence too: a .docx expanding far past its size."""
    settings.LUOSHI_DATA_DIR = tmp_path
    data = bomb(make_docx(["一、任务甲"]), "word/document.xml", 50 << 20)
    with pytest.raises(ReportRefused, match="压缩比"):
        actions.attach_evidence(draft, SimpleUploadedFile("说明.docx", data), world.user("liaison"))
    assert not Evidence.objects.exists()
