"""Writing a previewed ledger workbook: thousands of projects, stage dates, investment figures and blockers in
one transaction, with bulk writes and their history rows (luoshi.lib.bulk)."""

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from luoshi.lib.bulk import insert_with_history
from luoshi.lib.history import Actor
from luoshi.org.actions import create_unit
from luoshi.projects.actions import ProjectError
from luoshi.projects.cells import blocker_category
from luoshi.projects.choices import BlockerStatus, Stage
from luoshi.projects.importing import LINK_STEPS, LedgerPreview
from luoshi.projects.ledger import ParsedProject
from luoshi.projects.models import Blocker, InvestmentMonth, Project, StageDate

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
        at_level = [parsed for parsed in preview.projects if depth[parsed.ref] == level]
        _write_projects(at_level, projects, sorted(fields), user)
    _import_stage_dates(preview, projects, today, user)
    _import_investment(preview, projects, month, user)
    _import_blockers(preview, projects, today, user)
    for step in LINK_STEPS:
        step.write(zone, year, preview.projects, projects, user)
    return [projects[parsed.ref] for parsed in preview.projects]


def _write_projects(
    parsed_projects: list[ParsedProject], projects: Mapping[str, Project], fields: list[str], user: Actor
) -> None:
    """Add or update one level of the ledger's projects; the added ones receive their ids."""
    added: list[Project] = []
    updated: list[Project] = []
    for parsed in parsed_projects:
        project = projects[parsed.ref]
        project.parent_id = projects[parsed.parent].pk if parsed.parent else None
        (updated if project.pk else added).append(project)
    if added:
        names = [f.attname for f in Project._meta.concrete_fields if not f.primary_key]
        rows = [tuple(getattr(project, name) for name in names) for project in added]
        for project, new_id in zip(added, insert_with_history(Project, names, rows, user), strict=True):
            project.pk = new_id
    if updated:
        bulk_update_with_history(updated, Project, fields, batch_size=500, default_user=user)


def _import_stage_dates(
    preview: LedgerPreview, projects: Mapping[str, Project], today: date, user: Actor
) -> None:
    """Planned start and completion; also the actual date of a stage the project is read to have reached."""
    again = [projects[p.ref].pk for p in preview.projects if p.name in preview.existing]
    have = {
        (row.project_id, row.stage): row
        for row in StageDate.objects.filter(project_id__in=again, stage__in=[Stage.STARTED, Stage.COMPLETED])
    }
    added: list[tuple[object, ...]] = []
    updated: list[StageDate] = []
    for parsed in preview.projects:
        project = projects[parsed.ref]
        for stage, when in ((Stage.STARTED, parsed.start), (Stage.COMPLETED, parsed.finish)):
            if when is None:
                continue
            actual = when if parsed.stage >= stage and when <= today else None
            row = have.get((project.pk, stage))
            if row is None:
                added.append((project.zone_id, project.pk, stage, when, actual))
            elif row.planned != when or (actual and row.actual is None):
                row.planned, row.actual = when, row.actual or actual
                updated.append(row)
    if added:
        insert_with_history(StageDate, ("zone_id", "project_id", "stage", "planned", "actual"), added, user)
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
    added: list[tuple[object, ...]] = []
    updated: list[InvestmentMonth] = []
    for project_id, amount in done.items():
        row = have.get(project_id)
        if row is None:
            added.append((preview.zone.pk, project_id, month, amount))
        elif row.actual_cum_wan != amount:
            row.actual_cum_wan = amount
            updated.append(row)
    if added:
        insert_with_history(
            InvestmentMonth, ("zone_id", "project_id", "month", "actual_cum_wan"), added, user
        )
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
    rows = [
        (project.zone_id, project.pk, text, blocker_category(text), project.lead_unit_id, today)
        for parsed in preview.projects
        for project in (projects[parsed.ref],)
        for text in parsed.blockers
        if (project.pk, text) not in open_
    ]
    if rows:
        columns = ("zone_id", "project_id", "description", "category", "unit_id", "raised_on")
        insert_with_history(Blocker, columns, rows, user)
