"""An enterprise's correction of one of its figures, with evidence, and the office's review of it."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import Settings

from luoshi.conftest import World
from luoshi.innovation import actions, queries
from luoshi.innovation.choices import CorrectionStatus, Source
from luoshi.innovation.models import Correction, Settlement, Value
from luoshi.innovation.tests.conftest import NOW, Innov

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LATER = NOW + timedelta(days=3)


@pytest.fixture
def data_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def firm(innov: Innov) -> User:
    return actions.open_account(
        innov.zone, "firm", "企业甲", "Firm-pass-12345", None, enterprise=innov.enterprises[0]
    )


def submit(innov: Innov, user: User, evidence: SimpleUploadedFile, value: str = "150") -> Correction:
    return actions.submit_correction(
        innov.enterprises[0],
        2025,
        innov.fields["研发费用"],
        Decimal(value),
        "审计报告所列研发费用",
        evidence,
        user,
        NOW,
    )


def stored_files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if p.is_file()]


def test_pdf_evidence_is_stored_under_the_data_dir(data_dir: Path, innov: Innov, firm: User) -> None:
    correction = submit(innov, firm, SimpleUploadedFile("审计报告.pdf", PDF, content_type="application/pdf"))

    correction = Correction.objects.get(pk=correction.pk)
    assert correction.status == CorrectionStatus.PENDING
    assert (correction.value, correction.year, correction.field, correction.enterprise) == (
        Decimal(150), 2025, innov.fields["研发费用"], innov.enterprises[0],
    )  # fmt: skip
    assert (correction.submitted_by, correction.submitted_at) == (firm, NOW)
    assert (correction.evidence_name, correction.evidence_type) == ("审计报告.pdf", "application/pdf")
    path = data_dir / "evidence" / "innovation" / str(innov.zone.pk) / correction.evidence_stored
    assert path.read_bytes() == PDF
    assert correction.evidence_stored.endswith(".pdf")
    assert stored_files(data_dir) == [path]
    # Nothing counts yet: 税务's figure is still the one.
    figure = queries.figures(innov.zone.pk, 2025)[(innov.enterprises[0].pk, innov.fields["研发费用"].pk)]
    assert (figure.value, figure.source) == (Decimal(120), "tax")


def test_png_evidence_is_accepted(data_dir: Path, innov: Innov, firm: User) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    correction = submit(innov, firm, SimpleUploadedFile("截图.png", png, content_type="image/png"))
    assert correction.evidence_type == "image/png"


def test_text_file_is_refused(data_dir: Path, innov: Innov, firm: User) -> None:
    with pytest.raises(actions.Refused, match="应为 PDF 或图片") as refused:
        submit(
            innov,
            firm,
            SimpleUploadedFile("说明.txt", "研发费用应为150万元".encode(), content_type="text/plain"),
        )
    assert "说明.txt" in str(refused.value)
    assert not Correction.objects.exists()
    assert stored_files(data_dir) == []


def test_file_over_ten_megabytes_is_refused(data_dir: Path, innov: Innov, firm: User) -> None:
    big = PDF + b"0" * (actions.EVIDENCE_MAX_BYTES + 1 - len(PDF))
    with pytest.raises(actions.Refused, match="不能超过 10 MB"):
        submit(innov, firm, SimpleUploadedFile("扫描件.pdf", big, content_type="application/pdf"))
    assert not Correction.objects.exists()
    assert stored_files(data_dir) == []


def test_file_of_exactly_ten_megabytes_is_accepted(data_dir: Path, innov: Innov, firm: User) -> None:
    exact = PDF + b"0" * (actions.EVIDENCE_MAX_BYTES - len(PDF))
    correction = submit(innov, firm, SimpleUploadedFile("扫描件.pdf", exact, content_type="application/pdf"))
    assert correction.evidence_type == "application/pdf"


def test_empty_file_is_refused(data_dir: Path, innov: Innov, firm: User) -> None:
    with pytest.raises(actions.Refused, match="空"):
        submit(innov, firm, SimpleUploadedFile("空.pdf", b"", content_type="application/pdf"))


def test_accepted_correction_becomes_the_figure_that_counts(
    data_dir: Path, world: World, innov: Innov, firm: User
) -> None:
    supervisor = world.user("supervisor")
    enterprise, rd = innov.enterprises[0], innov.fields["研发费用"]
    correction = submit(innov, firm, SimpleUploadedFile("审计报告.pdf", PDF), value="150.25")

    reviewed = actions.review_correction(correction, True, "与审计报告一致", supervisor, LATER)

    reviewed = Correction.objects.get(pk=reviewed.pk)
    assert reviewed.status == CorrectionStatus.VERIFIED
    assert (reviewed.reviewed_by, reviewed.reviewed_at, reviewed.review_note) == (
        supervisor,
        LATER,
        "与审计报告一致",
    )
    figure = queries.figures(innov.zone.pk, 2025, [enterprise.pk])[(enterprise.pk, rd.pk)]
    assert (figure.value, figure.source, figure.settled) == (Decimal("150.25"), "enterprise", True)
    assert figure.sources == {"tax": Decimal(120), "enterprise": Decimal("150.25")}
    value = Value.objects.get(enterprise=enterprise, year=2025, field=rd, source=Source.ENTERPRISE)
    assert (value.entered_by, value.entered_at) == (firm, LATER)
    settlement = Settlement.objects.get(enterprise=enterprise, year=2025, field=rd)
    assert (settlement.source, settlement.settled_by, settlement.settled_at) == (
        Source.ENTERPRISE,
        supervisor,
        LATER,
    )
    # 税务's own figure is kept beside it.
    assert Value.objects.get(enterprise=enterprise, year=2025, field=rd, source=Source.TAX).value == Decimal(
        120
    )


def test_a_second_accepted_correction_replaces_the_first(
    data_dir: Path, world: World, innov: Innov, firm: User
) -> None:
    supervisor = world.user("supervisor")
    enterprise, rd = innov.enterprises[0], innov.fields["研发费用"]
    actions.review_correction(
        submit(innov, firm, SimpleUploadedFile("a.pdf", PDF)), True, "", supervisor, NOW
    )
    later = submit(innov, firm, SimpleUploadedFile("b.pdf", PDF), value="160")
    actions.review_correction(later, True, "", supervisor, LATER)

    assert (
        Value.objects.filter(enterprise=enterprise, year=2025, field=rd, source=Source.ENTERPRISE).count()
        == 1
    )
    figure = queries.figures(innov.zone.pk, 2025, [enterprise.pk])[(enterprise.pk, rd.pk)]
    assert (figure.value, figure.source) == (Decimal(160), "enterprise")


def test_rejecting_needs_a_note(data_dir: Path, world: World, innov: Innov, firm: User) -> None:
    correction = submit(innov, firm, SimpleUploadedFile("审计报告.pdf", PDF))
    for note in ("", "   "):
        with pytest.raises(actions.Refused, match="理由"):
            actions.review_correction(correction, False, note, world.user("supervisor"), LATER)
    assert Correction.objects.get(pk=correction.pk).status == CorrectionStatus.PENDING


def test_rejected_correction_changes_no_figure(
    data_dir: Path, world: World, innov: Innov, firm: User
) -> None:
    enterprise, rd = innov.enterprises[0], innov.fields["研发费用"]
    correction = submit(innov, firm, SimpleUploadedFile("审计报告.pdf", PDF))

    actions.review_correction(correction, False, "审计报告年度不符", world.user("supervisor"), LATER)

    correction = Correction.objects.get(pk=correction.pk)
    assert (correction.status, correction.review_note, correction.reviewed_at) == (
        CorrectionStatus.REJECTED, "审计报告年度不符", LATER,
    )  # fmt: skip
    assert not Value.objects.filter(source=Source.ENTERPRISE).exists()
    assert not Settlement.objects.exists()
    figure = queries.figures(innov.zone.pk, 2025, [enterprise.pk])[(enterprise.pk, rd.pk)]
    assert (figure.value, figure.source) == (Decimal(120), "tax")


@pytest.mark.parametrize(("first", "second"), [(True, True), (True, False), (False, True)])
def test_reviewing_twice_is_refused(
    data_dir: Path, world: World, innov: Innov, firm: User, first: bool, second: bool
) -> None:
    supervisor = world.user("supervisor")
    correction = submit(innov, firm, SimpleUploadedFile("审计报告.pdf", PDF))
    actions.review_correction(correction, first, "第一次", supervisor, NOW)
    with pytest.raises(actions.Refused, match="已经处理过"):
        actions.review_correction(correction, second, "第二次", world.user("admin"), LATER)
    again = Correction.objects.get(pk=correction.pk)
    assert (again.reviewed_by, again.reviewed_at, again.review_note) == (supervisor, NOW, "第一次")
