"""Writes for key projects. Each is atomic and recorded (django-simple-history). The project row repeats the
latest actual investment (`completed_wan`, `completed_month`) and the most advanced stage reached, and only
these functions change what it repeats."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, router, transaction
from django.db.models import AutoField, Field, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.org.actions import create_unit
from luoshi.org.models import Zone
from luoshi.projects import geo, images
from luoshi.projects.cells import blocker_category
from luoshi.projects.choices import BlockerStatus, DecisionStatus, Stage
from luoshi.projects.importing import LedgerPreview
from luoshi.projects.ledger import ParsedProject
from luoshi.projects.models import (
    ApprovalStep,
    Blocker,
    Boundary,
    Decision,
    DispatchMeeting,
    InvestmentMonth,
    Project,
    ProjectPhoto,
    StageDate,
)
from luoshi.projects.queries import is_latest_meeting


class ProjectError(ValueError):
    """A write refused for a reason the user can fix; the message is in the user's language."""


def _save(obj: Model, user: Actor, update_fields: Sequence[str] | None = None) -> None:
    changed_by(obj, user)
    obj.save(update_fields=update_fields)


PROJECT_FIELDS = (
    "parent",
    "code",
    "name",
    "category",
    "level",
    "construction",
    "owner",
    "owner_uscc",
    "content",
    "park",
    "longitude",
    "latitude",
    "lead_unit",
    "leader",
    "service_officer",
    "chain",
    "stage",
    "progress_text",
    "total_investment_wan",
    "annual_plan_wan",
    "stats_entered_on",
    "position",
)


@transaction.atomic
def create_project(zone: Zone, year: int, fields: Mapping[str, object], user: Actor) -> Project:
    project = Project(zone=zone, year=year, **{k: v for k, v in fields.items() if k in PROJECT_FIELDS})
    _save(project, user)
    return project


@transaction.atomic
def add_project(zone: Zone, year: int, fields: Mapping[str, object], user: Actor) -> Project:
    """A project added by hand goes last in its year's ledger."""
    last = Project.objects.filter(zone=zone, year=year).aggregate(last=Max("position"))["last"]
    return create_project(zone, year, {**fields, "position": (last or 0) + 1}, user)


@transaction.atomic
def update_project(project: Project, changes: Mapping[str, object], user: Actor) -> list[str]:
    return apply_changes(project, PROJECT_FIELDS, changes, user)


@transaction.atomic
def delete_project(project: Project, user: Actor) -> None:
    changed_by(project, user)
    project.delete()


def _reached(project: Project) -> int | None:
    """The most advanced stage with an actual date."""
    stages = (
        StageDate.objects.filter(project=project).filter(actual__isnull=False).values_list("stage", flat=True)
    )
    return max(stages, default=None)


@transaction.atomic
def set_stage_date(
    project: Project, stage: int, planned: date | None, actual: date | None, user: Actor
) -> StageDate:
    """Plan or record a stage."""
    row, _created = StageDate.objects.get_or_create(
        project=project, stage=stage, defaults={"zone_id": project.zone_id}
    )
    apply_changes(row, ("planned", "actual"), {"planned": planned, "actual": actual}, user)
    _advance(project, user)
    return row


def _advance(project: Project, user: Actor) -> None:
    """Recording a stage beyond the current one moves the project there."""
    reached = _reached(project)
    if reached is not None and reached > project.stage:
        project.stage = reached
        _save(project, user, ["stage"])


@transaction.atomic
def set_approval(
    project: Project, kind: str, planned: date | None, done_on: date | None, note: str, user: Actor
) -> ApprovalStep:
    row, _created = ApprovalStep.objects.get_or_create(
        project=project, kind=kind, defaults={"zone_id": project.zone_id}
    )
    apply_changes(
        row, ("planned", "done_on", "note"), {"planned": planned, "done_on": done_on, "note": note}, user
    )
    return row


def _refresh_completed(project: Project, user: Actor) -> None:
    latest = (
        InvestmentMonth.objects.filter(project=project)
        .filter(actual_cum_wan__isnull=False)
        .order_by("-month")
        .values_list("month", "actual_cum_wan")
    ).first()
    month, amount = latest if latest else (None, Decimal(0))
    apply_changes(
        project,
        ("completed_wan", "completed_month"),
        {"completed_wan": amount, "completed_month": month},
        user,
    )


def _put_months(project: Project, field: str, figures: Mapping[int, Decimal | None], user: Actor) -> None:
    """Write one cumulative column for the given months in two statements plus their history rows."""
    existing = {row.month: row for row in InvestmentMonth.objects.filter(project=project).all()}
    created, changed = [], []
    for month, value in figures.items():
        row = existing.get(month)
        if row is None:
            if value is not None:
                created.append(
                    InvestmentMonth(project=project, zone_id=project.zone_id, month=month, **{field: value})
                )
        elif getattr(row, field) != value:
            setattr(row, field, value)
            changed.append(row)
    if created:
        bulk_create_with_history(created, InvestmentMonth, default_user=user)
    if changed:
        bulk_update_with_history(changed, InvestmentMonth, [field], default_user=user)


def _check_months(figures: Mapping[int, Decimal | None]) -> None:
    if any(not 1 <= month <= 12 for month in figures):
        raise ProjectError(_("月份应为 1 至 12"))
    if any(value is not None and value < 0 for value in figures.values()):
        raise ProjectError(_("投资额不能为负数"))


@transaction.atomic
def record_investments(project: Project, actual_cum_wan: Mapping[int, Decimal | None], user: Actor) -> None:
    """The year's actual investment from January to the end of each given month (1-N月累计完成); None takes
    a month's figure back. The figures with those already stored must not fall from month to month nor exceed
    the total investment."""
    _check_months(actual_cum_wan)
    stored = dict(
        InvestmentMonth.objects.filter(project=project)
        .filter(actual_cum_wan__isnull=False)
        .values_list("month", "actual_cum_wan")
    )
    series = sorted((m, v) for m, v in {**stored, **actual_cum_wan}.items() if v is not None)
    total = project.total_investment_wan
    for (month, value), (_m, previous) in zip(series, [(0, Decimal(0)), *series], strict=False):
        if total and value > total:
            raise ProjectError(
                _("1-%(month)d月累计完成 %(done)s 万元超过总投资 %(total)s 万元")
                % {"month": month, "done": value, "total": total}
            )
        if value < previous:
            raise ProjectError(
                _("累计完成应逐月不减：1-%(month)d月 %(amount)s 万元少于上月的 %(previous)s 万元")
                % {"month": month, "amount": value, "previous": previous}
            )
    _put_months(project, "actual_cum_wan", actual_cum_wan, user)
    _refresh_completed(project, user)


def record_investment(project: Project, month: int, actual_cum_wan: Decimal | None, user: Actor) -> None:
    """One month's 1-N月累计完成 (or None to take it back)."""
    record_investments(project, {month: actual_cum_wan}, user)


@transaction.atomic
def set_monthly_plan(project: Project, plan_cum_wan: Mapping[int, Decimal | None], user: Actor) -> None:
    """The plan to the end of each month, cumulative from January. It must not fall from month to month."""
    _check_months(plan_cum_wan)
    last = Decimal(0)
    for month in sorted(plan_cum_wan):
        value = plan_cum_wan[month]
        if value is None:
            continue
        if value < last:
            raise ProjectError(_("%(month)d月计划累计不能小于上月") % {"month": month})
        last = value
    _put_months(project, "plan_cum_wan", plan_cum_wan, user)


BLOCKER_FIELDS = ("description", "category", "unit", "deadline")


@transaction.atomic
def raise_blocker(project: Project, fields: Mapping[str, object], raised_on: date, user: Actor) -> Blocker:
    blocker = Blocker(
        project=project,
        zone_id=project.zone_id,
        raised_on=raised_on,
        **{k: v for k, v in fields.items() if k in BLOCKER_FIELDS},
    )
    _save(blocker, user)
    return blocker


@transaction.atomic
def update_blocker(blocker: Blocker, changes: Mapping[str, object], user: Actor) -> list[str]:
    return apply_changes(blocker, BLOCKER_FIELDS, changes, user)


@transaction.atomic
def clear_blocker(blocker: Blocker, resolution: str, on: date, user: Actor) -> Blocker:
    """销号: the blocker is solved. Clearing it again changes nothing."""
    blocker = Blocker.objects.select_for_update().get(pk=blocker.pk)
    if blocker.status != BlockerStatus.CLEARED:
        blocker.status = BlockerStatus.CLEARED
        blocker.cleared_on = on
        blocker.resolution = resolution
        _save(blocker, user, ["status", "cleared_on", "resolution"])
    return blocker


@transaction.atomic
def reopen_blocker(blocker: Blocker, user: Actor) -> Blocker:
    blocker = Blocker.objects.select_for_update().get(pk=blocker.pk)
    if blocker.status != BlockerStatus.OPEN:
        blocker.status = BlockerStatus.OPEN
        blocker.cleared_on = None
        _save(blocker, user, ["status", "cleared_on"])
    return blocker


def out_of_order(dates: Mapping[int, date | None]) -> tuple[int, int] | None:
    """The first pair of stages (earlier, later) whose dates run backwards, if any: a later stage cannot be
    planned, or reached, before an earlier one. Stages without a date are skipped."""
    previous: tuple[int, date] | None = None
    for stage in sorted(dates):
        on = dates[stage]
        if on is None:
            continue
        if previous is not None and on < previous[1]:
            return previous[0], stage
        previous = (stage, on)
    return None


@transaction.atomic
def set_stage_dates(
    project: Project, dates: Mapping[int, tuple[date | None, date | None]], user: Actor
) -> None:
    """Plan and record several stages at once ({stage: (planned, actual)}), refusing dates out of order."""
    for index, label in ((0, _("计划日期")), (1, _("实际日期"))):
        wrong = out_of_order({stage: pair[index] for stage, pair in dates.items()})
        if wrong is not None:
            raise ProjectError(
                _("%(later)s%(kind)s早于%(earlier)s")
                % {"later": Stage(wrong[1]).label, "kind": label, "earlier": Stage(wrong[0]).label}
            )
    existing = {row.stage: row for row in StageDate.objects.filter(project=project)}
    added, changed = [], []
    for stage, (planned, actual) in sorted(dates.items()):
        row = existing.get(stage)
        if row is None:
            if planned or actual:
                added.append(
                    StageDate(
                        project=project, zone_id=project.zone_id, stage=stage, planned=planned, actual=actual
                    )
                )
        elif (row.planned, row.actual) != (planned, actual):
            row.planned, row.actual = planned, actual
            changed.append(row)
    if added:
        bulk_create_with_history(added, StageDate, default_user=user)
    if changed:
        bulk_update_with_history(changed, StageDate, ["planned", "actual"], default_user=user)
    _advance(project, user)


@transaction.atomic
def set_approvals(
    project: Project, rows: Mapping[str, tuple[date | None, date | None, str]], user: Actor
) -> None:
    """The approvals checklist at once ({kind: (planned, done_on, note)}); empty lines stay unwritten."""
    existing = {row.kind: row for row in ApprovalStep.objects.filter(project=project)}
    added, changed = [], []
    for kind, (planned, done_on, note) in rows.items():
        row = existing.get(kind)
        if row is None:
            if planned or done_on or note:
                added.append(
                    ApprovalStep(
                        project=project,
                        zone_id=project.zone_id,
                        kind=kind,
                        planned=planned,
                        done_on=done_on,
                        note=note,
                    )
                )
        elif (row.planned, row.done_on, row.note) != (planned, done_on, note):
            row.planned, row.done_on, row.note = planned, done_on, note
            changed.append(row)
    if added:
        bulk_create_with_history(added, ApprovalStep, default_user=user)
    if changed:
        bulk_update_with_history(changed, ApprovalStep, ["planned", "done_on", "note"], default_user=user)


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
    _save(photo, user)
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


# Weekly dispatch meetings (周调度) -------------------------------------------------------------------------


@transaction.atomic
def open_meeting(zone: Zone, held_on: date, chair: str, attendees: str, user: Actor) -> DispatchMeeting:
    """召开: the zone's next meeting of the year (第N期), numbered under the zone's row lock like supervision
    orders, so two editors never take one number (the unique constraint stays as the last defence). A meeting
    dated before the latest one is refused: the numbers follow the dates."""
    Zone.objects.select_for_update(no_key=True).filter(pk=zone.pk).values_list("pk", flat=True).first()
    latest = DispatchMeeting.objects.filter(zone=zone).order_by("-held_on", "-number").first()
    if latest is not None and held_on < latest.held_on:
        raise ProjectError(
            _("会议日期 %(date)s 早于上一期（%(year)d年第%(number)d期，%(last)s）")
            % {"date": held_on, "year": latest.year, "number": latest.number, "last": latest.held_on}
        )
    last = DispatchMeeting.objects.filter(zone=zone, year=held_on.year).aggregate(n=Max("number"))["n"]
    meeting = DispatchMeeting(
        zone=zone,
        year=held_on.year,
        number=(last or 0) + 1,
        held_on=held_on,
        chair=chair,
        attendees=attendees,
        created_by=user,
    )
    _save(meeting, user)
    return meeting


MEETING_FIELDS = ("chair", "attendees", "notes")


@transaction.atomic
def update_meeting(meeting: DispatchMeeting, changes: Mapping[str, object], user: Actor) -> list[str]:
    return apply_changes(meeting, MEETING_FIELDS, changes, user)


DECISION_FIELDS = ("text", "project", "blocker", "unit", "due")


def _checked_decision(meeting: DispatchMeeting, fields: Mapping[str, object]) -> dict[str, object]:
    """The decision's fields, checked against the meeting: its zone, its dates, and a blocker of its project.
    Without a unit, the blocker's or the project's unit is asked."""
    data = {k: v for k, v in fields.items() if k in DECISION_FIELDS}
    text = str(data.get("text") or "").strip()
    if not text:
        raise ProjectError(_("议定事项：请填写议定事项内容"))
    data["text"] = text
    project, blocker, unit = data.get("project"), data.get("blocker"), data.get("unit")
    for label, obj in ((_("项目"), project), (_("问题"), blocker), (_("落实单位"), unit)):
        if obj is not None and getattr(obj, "zone_id", None) != meeting.zone_id:
            raise ProjectError(_("%(field)s：不属于本园区") % {"field": label})
    if isinstance(blocker, Blocker):
        if project is None:
            project = data["project"] = blocker.project
        elif isinstance(project, Project) and blocker.project_id != project.pk:
            raise ProjectError(
                _("问题：“%(blocker)s”不是项目“%(project)s”的问题") % {"blocker": blocker, "project": project}
            )
        if unit is None:
            unit = data["unit"] = blocker.unit
    if unit is None and isinstance(project, Project):
        data["unit"] = project.lead_unit
    due = data.get("due")
    if isinstance(due, date) and due < meeting.held_on:
        raise ProjectError(
            _("完成时限：%(due)s 早于会议日期 %(held_on)s") % {"due": due, "held_on": meeting.held_on}
        )
    return data


def _require_latest(meeting: DispatchMeeting) -> None:
    if not is_latest_meeting(meeting):
        raise ProjectError(
            _("第%(number)d期之后已召开新的调度会，本期议定事项不能再修改") % {"number": meeting.number}
        )


@transaction.atomic
def record_decision(meeting: DispatchMeeting, fields: Mapping[str, object], user: Actor) -> Decision:
    """议定: a decision of the latest meeting, handed to a unit with a due date."""
    _require_latest(meeting)
    decision = Decision(meeting=meeting, zone_id=meeting.zone_id, **_checked_decision(meeting, fields))
    _save(decision, user)
    return decision


@transaction.atomic
def update_decision(decision: Decision, changes: Mapping[str, object], user: Actor) -> list[str]:
    _require_latest(decision.meeting)
    current = {f: getattr(decision, f) for f in DECISION_FIELDS}
    checked = _checked_decision(decision.meeting, current | dict(changes))
    return apply_changes(decision, DECISION_FIELDS, checked, user)


@transaction.atomic
def delete_decision(decision: Decision, user: Actor) -> None:
    _require_latest(decision.meeting)
    changed_by(decision, user)
    decision.delete()


@transaction.atomic
def complete_decision(decision: Decision, outcome: str, on: date, user: Actor) -> Decision:
    """落实: the unit has done what was decided, and the next meeting reads it as done. Done again changes
    nothing."""
    outcome = outcome.strip()
    if not outcome:
        raise ProjectError(_("落实结果：请填写落实情况"))
    decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if on < decision.meeting.held_on:
        raise ProjectError(
            _("落实日期：%(on)s 早于会议日期 %(held_on)s") % {"on": on, "held_on": decision.meeting.held_on}
        )
    if decision.status != DecisionStatus.DONE:
        decision.status, decision.outcome, decision.done_on = DecisionStatus.DONE, outcome, on
        _save(decision, user, ["status", "outcome", "done_on"])
    return decision


@transaction.atomic
def set_boundary(zone: Zone, name: str, geojson: dict, user: Actor) -> Boundary:
    """The zone's outline for the map, replacing the previous one (its history keeps the old outline). Any
    GeoJSON with polygons will do; it is stored as one named feature of their union, as the map registers it,
    simplified here once if it has more vertices than the map can draw quickly."""
    try:
        union = geo.outline(geojson)
        outline = geo.fit(union)
    except geo.BoundaryError as error:
        raise ProjectError(str(error)) from None
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    source, stored = geo.vertices(union), geo.vertices(outline)
    fields = {
        "name": name,
        "geojson": geo.feature_collection(outline, name),
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "vertices": stored,
        "source_vertices": source if source != stored else None,
    }
    boundary = Boundary.objects.select_for_update().filter(zone=zone).first()
    if boundary is None:
        boundary = Boundary(zone=zone, **fields)
        _save(boundary, user)
        return boundary
    for field, value in fields.items():
        setattr(boundary, field, value)
    _save(boundary, user, [*fields, "uploaded_at"])
    return boundary


def _columns(model: type[Model]) -> list[tuple[str, str, Field | None]]:
    """(attname, column, field to adapt the value with or None to pass it as is) for an INSERT."""
    out = []
    for field in model._meta.concrete_fields:
        if isinstance(field, AutoField):
            continue
        adapt = field.get_internal_type() in ("DecimalField", "DateField", "DateTimeField", "JSONField")
        out.append((field.attname, field.column, field if adapt else None))
    return out


def _insert(model: type[Model], rows: list[dict[str, object]], returning: bool) -> list[int]:
    """Multi-row INSERTs (… RETURNING id, as bulk_create does on SQLite and PostgreSQL), with values adapted
    only for the column types that need it: bulk_create spends most of its time preparing every value."""
    connection = connections[router.db_for_write(model)]
    columns = _columns(model)
    if connection.vendor == "postgresql":
        return _copy(connection, model, columns, rows, returning)
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for _a, c, _f in columns)}) VALUES "
    )
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    size = max(1, min(500, 999 // len(columns)))  # under SQLite's oldest limit on bound parameters
    ids: list[int] = []
    adapted: list[dict[object, object]] = [{} for _column in columns]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            params: list[Any] = []
            for row in batch:
                for (attname, _column, field), memo in zip(columns, adapted, strict=True):
                    value = row[attname]
                    if field is not None and value is not None:
                        if value not in memo:  # dates and amounts repeat: adapt each once
                            memo[value] = field.get_db_prep_save(value, connection)
                        value = memo[value]
                    params.append(value)
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _copy(
    connection: Any,
    model: type[Model],
    columns: list[tuple[str, str, Field | None]],
    rows: list[dict[str, object]],
    returning: bool,
) -> list[int]:
    """PostgreSQL: COPY, several times faster than multi-row INSERTs with thousands of parameters; the new ids
    are drawn from the table's sequence first, as alerts.bulk does. psycopg adapts the values itself."""
    meta = model._meta
    assert meta.pk is not None
    quote = connection.ops.quote_name
    names = [column for _attname, column, _field in columns]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            names = [meta.pk.column, *names]
        sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:  # psycopg's COPY, under Django's cursor wrapper
            for n, row in enumerate(rows):
                values = [row[attname] for attname, _column, _field in columns]
                copy.write_row([ids[n], *values] if returning else values)
    return ids


def _insert_with_history(model: type[Model], rows: list[dict[str, object]], user: Actor) -> list[int]:
    """bulk_create_with_history for an import's thousands of rows, given as {attname: value} (the other fields
    take their defaults): the rows, then one "created" history row each, without a model object per row.
    Returns the new ids in order."""
    now = timezone.now()
    defaults: dict[str, object] = {}
    stamps: dict[str, object] = {}
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            stamps[field.attname] = now
        elif not isinstance(field, AutoField):
            defaults[field.attname] = field.get_default()
    full = [{**defaults, **row, **stamps} for row in rows]
    ids = _insert(model, full, returning=True)
    fixed = {
        "history_date": now,
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": user.pk if user else None,
    }
    pk = model._meta.pk.attname
    history = model.history.model  # type: ignore[attr-defined]
    _insert(
        history,
        [{**row, pk: new_id, **fixed} for row, new_id in zip(full, ids, strict=True)],
        returning=False,
    )
    return ids


# Project fields a ledger column fills: (field, the parsed column it comes from).
_LEDGER_FIELDS = (
    ("code", "code"),
    ("category", "category"),
    ("level", "level"),
    ("construction", "construction"),
    ("owner", "owner"),
    ("owner_uscc", "owner_uscc"),
    ("content", "content"),
    ("park", "park"),
    ("lead_unit", "lead_unit"),
    ("leader", "leader"),
    ("service_officer", "service_officer"),
    ("chain", "chain"),
    ("progress_text", "progress"),
    ("total_investment_wan", "total_investment_wan"),
    ("annual_plan_wan", "annual_plan_wan"),
    ("longitude", "longitude"),
    ("latitude", "latitude"),
)
_MAX_LENGTH = {"code": 40, "owner": 200, "owner_uscc": 18, "leader": 50, "service_officer": 50, "chain": 100}


def _ledger_values(
    parsed: ParsedProject, unit_ids: Mapping[str, int], park_ids: Mapping[str, int]
) -> dict[str, object]:
    """The fields the row fills. A blank cell fills nothing: a new project keeps the model's default and a
    re-imported one what it had, since a blank in next month's ledger means "not known", not "clear it"."""
    values: dict[str, object] = {}
    for name, column in _LEDGER_FIELDS:
        value = getattr(parsed, name)
        if column not in parsed.columns or value is None or value == "":
            continue
        if name == "park":
            if parsed.park in park_ids:
                values["park_id"] = park_ids[parsed.park]
        elif name == "lead_unit":
            values["lead_unit_id"] = unit_ids[parsed.lead_unit]
        elif isinstance(value, str):
            values[name] = value[: _MAX_LENGTH[name]] if name in _MAX_LENGTH else value
        else:
            values[name] = value
    if parsed.stage_read:
        values["stage"] = parsed.stage
    return values


@transaction.atomic
def import_ledger(preview: LedgerPreview, user: Actor) -> list[Project]:
    """Write a previewed ledger in one transaction: new units; the projects, added or (named again in the same
    year) updated, with their major projects; planned start and completion; the year-to-date investment at the
    month of its heading; and the blockers, each asked of the project's unit. Bulk writes with history rows,
    so thousands of rows take seconds. Returns the projects in file order."""
    if preview.has_errors:
        raise ProjectError(_("台账有错误，未写入任何数据"))
    zone, year, month, today = preview.zone, preview.year, preview.completed_month, timezone.localdate()
    unit_ids = dict(preview.unit_ids)
    for name, unit_type in preview.new_units.items():
        unit_ids[name] = create_unit(zone, name, type=unit_type, user=user).pk
    found = Project.objects.in_bulk(list(preview.existing.values()))
    position = Project.objects.filter(zone=zone, year=year).aggregate(last=Max("position"))["last"] or 0
    projects: dict[str, Project] = {}
    depth: dict[str, int] = {}
    fields: set[str] = {"parent_id", "completed_wan", "completed_month"}
    for parsed in preview.projects:
        project = found.get(preview.existing.get(parsed.name, 0)) or Project(zone_id=zone.pk, year=year)
        if project.pk is None:
            position += 1
            project.position = position
        project.name = parsed.name
        values = _ledger_values(parsed, unit_ids, preview.park_ids)
        fields.update(values)
        for name, value in values.items():
            setattr(project, name, value)
        if parsed.completed_wan is not None:
            project.completed_wan, project.completed_month = parsed.completed_wan, month
        projects[parsed.ref] = project
        depth[parsed.ref] = depth[parsed.parent] + 1 if parsed.parent else 0
    # Major projects first, so each level's rows can point at the ids the level above just received.
    for level in sorted(set(depth.values())):
        added: list[Project] = []
        updated: list[Project] = []
        for parsed in preview.projects:
            if depth[parsed.ref] != level:
                continue
            project = projects[parsed.ref]
            project.parent_id = projects[parsed.parent].pk if parsed.parent else None
            (updated if project.pk else added).append(project)
        if added:
            names = [f.attname for f in Project._meta.concrete_fields if not f.primary_key]
            rows = [{name: getattr(project, name) for name in names} for project in added]
            for project, new_id in zip(added, _insert_with_history(Project, rows, user), strict=True):
                project.pk = new_id
        if updated:
            bulk_update_with_history(updated, Project, sorted(fields), batch_size=500, default_user=user)
    _import_stage_dates(preview, projects, today, user)
    _import_investment(preview, projects, month, user)
    _import_blockers(preview, projects, today, user)
    return [projects[parsed.ref] for parsed in preview.projects]


def _import_stage_dates(
    preview: LedgerPreview, projects: Mapping[str, Project], today: date, user: Actor
) -> None:
    """Planned start and completion; also the actual date of a stage the project is read to have reached."""
    again = [projects[p.ref].pk for p in preview.projects if p.name in preview.existing]
    have = {
        (row.project_id, row.stage): row
        for row in StageDate.objects.filter(project_id__in=again, stage__in=[Stage.STARTED, Stage.COMPLETED])
    }
    added: list[dict[str, object]] = []
    updated: list[StageDate] = []
    for parsed in preview.projects:
        project = projects[parsed.ref]
        for stage, when in ((Stage.STARTED, parsed.start), (Stage.COMPLETED, parsed.finish)):
            if when is None:
                continue
            actual = when if parsed.stage >= stage and when <= today else None
            row = have.get((project.pk, stage))
            if row is None:
                added.append(
                    {
                        "zone_id": project.zone_id,
                        "project_id": project.pk,
                        "stage": stage,
                        "planned": when,
                        "actual": actual,
                    }
                )
            elif row.planned != when or (actual and row.actual is None):
                row.planned, row.actual = when, row.actual or actual
                updated.append(row)
    if added:
        _insert_with_history(StageDate, added, user)
    if updated:
        bulk_update_with_history(
            updated, StageDate, ["planned", "actual"], batch_size=1000, default_user=user
        )


def _import_investment(
    preview: LedgerPreview, projects: Mapping[str, Project], month: int, user: Actor
) -> None:
    """The year-to-date completion (1-N月完成) as the actual cumulative figure of month N."""
    done = {projects[p.ref].pk: p.completed_wan for p in preview.projects if p.completed_wan is not None}
    again = [projects[p.ref].pk for p in preview.projects if p.name in preview.existing]
    have = {row.project_id: row for row in InvestmentMonth.objects.filter(project_id__in=again, month=month)}
    added: list[dict[str, object]] = []
    updated: list[InvestmentMonth] = []
    for project_id, amount in done.items():
        row = have.get(project_id)
        if row is None:
            added.append(
                {
                    "zone_id": preview.zone.pk,
                    "project_id": project_id,
                    "month": month,
                    "actual_cum_wan": amount,
                }
            )
        elif row.actual_cum_wan != amount:
            row.actual_cum_wan = amount
            updated.append(row)
    if added:
        _insert_with_history(InvestmentMonth, added, user)
    if updated:
        bulk_update_with_history(
            updated, InvestmentMonth, ["actual_cum_wan"], batch_size=1000, default_user=user
        )


def _import_blockers(
    preview: LedgerPreview, projects: Mapping[str, Project], today: date, user: Actor
) -> None:
    """One blocker per problem listed; one still open on a re-imported project is not raised twice."""
    again = [projects[p.ref].pk for p in preview.projects if p.blockers and p.name in preview.existing]
    open_ = set(
        Blocker.objects.filter(project_id__in=again, status=BlockerStatus.OPEN).values_list(
            "project_id", "description"
        )
    )
    rows: list[dict[str, object]] = [
        {
            "zone_id": project.zone_id,
            "project_id": project.pk,
            "description": text,
            "category": blocker_category(text),
            "unit_id": project.lead_unit_id,
            "raised_on": today,
        }
        for parsed in preview.projects
        for project in (projects[parsed.ref],)
        for text in parsed.blockers
        if (project.pk, text) not in open_
    ]
    if rows:
        _insert_with_history(Blocker, rows, user)
