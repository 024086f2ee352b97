"""Writes for the innovation points system: the registry, the year's figures, settlements and corrections,
consent and outside accounts. Each atomic and recorded (django-simple-history). Frameworks, runs and lists are
in `scoring_actions`."""

import hashlib
import uuid
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from luoshi.innovation.choices import ConsentScope, CorrectionStatus, Source
from luoshi.innovation.collection import FigureRow, RegistryRow
from luoshi.innovation.models import (
    Confirmation,
    Consent,
    Correction,
    Enterprise,
    Field,
    Institution,
    Label,
    Party,
    Settlement,
    Upload,
    Value,
)
from luoshi.lib.history import Actor, changed_by
from luoshi.org import actions as org_actions
from luoshi.org.choices import Role
from luoshi.org.models import Zone
from luoshi.org.queries import auditor_conflict
from luoshi.sheets.guard import UploadRefused, check_upload

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_KINDS = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
REGISTRY_FIELDS = ("name", "founded", "industry", "park_id", "contact_name", "contact_phone")


class Refused(Exception):
    """What the rules do not allow, in the user's language."""


def evidence_folder(zone_id: int) -> Path:
    """Beside the weekly reports' evidence, in the store that backups copy."""
    folder = Path(settings.DATA_DIR) / "evidence" / "innovation" / str(zone_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@transaction.atomic
def register(zone: Zone, rows: list[RegistryRow], user: Actor) -> tuple[int, int]:
    """Add the registry's new enterprises and change what differs in the known ones; labels are added where
    new. Returns (added, changed)."""
    known = {
        e.credit_code: e
        for e in Enterprise.objects.select_for_update().filter(
            zone=zone, credit_code__in=[r.credit_code for r in rows]
        )
    }
    labels: dict[int, dict[tuple[str, int], Label]] = defaultdict(dict)  # the known ones', read once
    for label in Label.objects.filter(enterprise__in=known.values()):
        labels[label.enterprise_id][(label.kind, label.first_year)] = label
    added = changed = 0
    for row in rows:
        enterprise = known.get(row.credit_code)
        wanted = {f: getattr(row, f) for f in REGISTRY_FIELDS}
        if enterprise is None:
            enterprise = Enterprise(zone=zone, credit_code=row.credit_code, **wanted)
            changed_by(enterprise, user)
            enterprise.save()
            added += 1
        else:
            differ = [
                f
                for f in REGISTRY_FIELDS
                if getattr(enterprise, f) != wanted[f] and wanted[f] not in ("", None)
            ]
            if differ:
                for f in differ:
                    setattr(enterprise, f, wanted[f])
                changed_by(enterprise, user)
                enterprise.save(update_fields=differ)
                changed += 1
        _add_labels(enterprise, row.labels, labels[enterprise.pk], user)
    return added, changed


def _add_labels(
    enterprise: Enterprise,
    labels: list[tuple[str, int, int | None]],
    have: dict[tuple[str, int], Label],
    user: Actor,
) -> None:
    for kind, first, last in labels:
        label = have.get((kind, first))
        if label is None:
            label = Label(zone_id=enterprise.zone_id, enterprise=enterprise, kind=kind, first_year=first)
        elif label.last_year == last:
            continue
        label.last_year = last
        changed_by(label, user)
        label.save()


@transaction.atomic
def collect(
    zone: Zone, year: int, source: str, filename: str, rows: list[FigureRow], user: Actor, now: datetime
) -> Upload:
    """A department's checked sheet: each figure stored with its source, the upload, who and when; a figure the
    same source sent before is replaced only when it differs."""
    upload = Upload.objects.create(
        zone=zone, year=year, source=source, filename=filename[:255], rows=len(rows), uploaded_by=user,
        uploaded_at=now,
    )  # fmt: skip
    existing = {
        (v.enterprise_id, v.field_id): v
        for v in Value.objects.select_for_update().filter(
            zone=zone, year=year, source=source, enterprise_id__in=[r.enterprise_id for r in rows]
        )
    }
    new: list[Value] = []
    changed = 0
    for row in rows:
        for field_id, figure in row.values.items():
            value = existing.get((row.enterprise_id, field_id))
            if value is None:
                new.append(
                    Value(
                        zone=zone,
                        enterprise_id=row.enterprise_id,
                        year=year,
                        field_id=field_id,
                        source=source,
                        value=figure,
                        upload=upload,
                        entered_by=user,
                        entered_at=now,
                    )  # fmt: skip
                )
            elif value.value != figure:
                value.value, value.upload, value.entered_by, value.entered_at = figure, upload, user, now
                changed_by(value, user)
                value.save(update_fields=["value", "upload", "entered_by", "entered_at"])
                changed += 1
    # A department's first sheet of the year is thousands of figures: inserted at once, with their history.
    bulk_create_with_history(new, Value, batch_size=1000, default_user=user)
    added = len(new)
    upload.values_added, upload.values_changed = added, changed
    upload.save(update_fields=["values_added", "values_changed"])
    return upload


@transaction.atomic
def settle(
    enterprise: Enterprise, year: int, field: Field, source: str, note: str, user: Actor, now: datetime
) -> Settlement:
    """The office decides whose figure counts where sources disagree."""
    if not Value.objects.filter(enterprise=enterprise, year=year, field=field, source=source).exists():
        raise Refused(_("所选来源没有这项数据"))
    settlement = Settlement.objects.filter(
        enterprise=enterprise, year=year, field=field
    ).first() or Settlement(zone_id=enterprise.zone_id, enterprise=enterprise, year=year, field=field)
    settlement.source, settlement.note, settlement.settled_by, settlement.settled_at = (
        source,
        note[:200],
        user,
        now,
    )
    changed_by(settlement, user)
    settlement.save()
    return settlement


@transaction.atomic
def submit_correction(
    enterprise: Enterprise,
    year: int,
    field: Field,
    value: Decimal,
    reason: str,
    evidence: UploadedFile,
    user: Actor,
    now: datetime,
) -> Correction:
    """An enterprise's own figure with its evidence (PDF or picture), waiting for the office."""
    if evidence.size is None or evidence.size > EVIDENCE_MAX_BYTES:
        raise Refused(_("证明材料不能超过 10 MB"))
    data = evidence.read()
    try:
        kind = check_upload(data, max_bytes=EVIDENCE_MAX_BYTES)
    except UploadRefused as refused:
        raise Refused(refused.message) from None
    if kind not in EVIDENCE_KINDS:
        raise Refused(_("证明材料“%(name)s”应为 PDF 或图片（PNG、JPEG）") % {"name": evidence.name})
    stored = f"{uuid.uuid4().hex}.{kind}"
    (evidence_folder(enterprise.zone_id) / stored).write_bytes(data)
    correction = Correction(
        zone_id=enterprise.zone_id, enterprise=enterprise, year=year, field=field, value=value, reason=reason[:500],
        evidence_name=(evidence.name or stored)[:255], evidence_stored=stored, evidence_type=EVIDENCE_KINDS[kind],
        submitted_by=user, submitted_at=now,
    )  # fmt: skip
    changed_by(correction, user)
    correction.save()
    return correction


@transaction.atomic
def review_correction(
    correction: Correction, accept: bool, note: str, user: Actor, now: datetime
) -> Correction:
    """The office verifies a correction — it becomes the enterprise's figure and the one that counts — or
    declines it with a reason."""
    current = Correction.objects.select_for_update().get(pk=correction.pk)
    if current.status != CorrectionStatus.PENDING:
        raise Refused(_("这条更正已经处理过"))
    if not accept and not note.strip():
        raise Refused(_("不采纳时请写明理由，企业会看到"))
    current.status = CorrectionStatus.VERIFIED if accept else CorrectionStatus.REJECTED
    current.reviewed_by, current.reviewed_at, current.review_note = user, now, note[:200]
    changed_by(current, user)
    current.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if accept:
        value = Value.objects.filter(
            enterprise_id=current.enterprise_id, year=current.year, field_id=current.field_id, source=Source.ENTERPRISE
        ).first() or Value(
            zone_id=current.zone_id, enterprise_id=current.enterprise_id, year=current.year,
            field_id=current.field_id, source=Source.ENTERPRISE,
        )  # fmt: skip
        value.value, value.entered_by, value.entered_at = current.value, current.submitted_by, now
        changed_by(value, user)
        value.save()
        settle(
            current.enterprise,
            current.year,
            current.field,
            Source.ENTERPRISE,
            _("企业更正，已核实"),
            user,
            now,
        )
    return current


def confirm(enterprise: Enterprise, year: int, user: Actor, now: datetime) -> Confirmation:
    confirmation, _created = Confirmation.objects.update_or_create(
        enterprise=enterprise, year=year,
        defaults={"zone_id": enterprise.zone_id, "confirmed_by": user, "confirmed_at": now},
    )  # fmt: skip
    return confirmation


@transaction.atomic
def grant_consent(enterprise: Enterprise, user: Actor, now: datetime) -> Consent:
    open_one = Consent.objects.filter(
        enterprise=enterprise, scope=ConsentScope.FINANCING, revoked_at__isnull=True
    )
    if (found := open_one.first()) is not None:
        return found
    consent = Consent(
        zone_id=enterprise.zone_id, enterprise=enterprise, scope=ConsentScope.FINANCING, granted_by=user,
        granted_at=now,
    )  # fmt: skip
    changed_by(consent, user)
    consent.save()
    return consent


@transaction.atomic
def revoke_consent(enterprise: Enterprise, user: Actor, now: datetime) -> int:
    count = 0
    for consent in Consent.objects.filter(enterprise=enterprise, revoked_at__isnull=True):
        consent.revoked_at = now
        changed_by(consent, user)
        consent.save(update_fields=["revoked_at"])
        count += 1
    return count


def add_institution(zone: Zone, name: str) -> Institution:
    if Institution.objects.filter(zone=zone, name=name).exists():
        raise Refused(_("已有名为“%(name)s”的金融机构") % {"name": name})
    return Institution.objects.create(zone=zone, name=name)


@transaction.atomic
def open_account(
    zone: Zone,
    username: str,
    full_name: str,
    password: str,
    by: Actor,
    enterprise: Enterprise | None = None,
    institution: Institution | None = None,
) -> User:
    """A login for an enterprise or an institution: the role held alone, tied to its party."""
    if User.objects.filter(username=username).exists():
        raise Refused(_("用户名“%(name)s”已被使用") % {"name": username})
    person = org_actions.create_person(username, password, full_name=full_name, by=by, zone=zone)
    link_account(zone, person, by, enterprise=enterprise, institution=institution)
    return person


def link_account(
    zone: Zone,
    person: User,
    by: Actor,
    enterprise: Enterprise | None = None,
    institution: Institution | None = None,
) -> Party:
    """Make an existing login the account of an enterprise or an institution."""
    role = Role.ENTERPRISE if enterprise is not None else Role.INSTITUTION
    if auditor_conflict(person, role):
        raise Refused(_("这个账号已有其他角色；企业和金融机构的账号不能兼任，请另设账号"))
    org_actions.add_member(zone, person, role, None, by=by)
    return Party.objects.create(zone=zone, user=person, enterprise=enterprise, institution=institution)


def fingerprint(parts: list[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
