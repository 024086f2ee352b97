"""Adding, changing and deleting key projects by hand."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Max

from luoshi.lib.history import Actor, apply_changes, changed_by
from luoshi.org.models import Zone
from luoshi.projects.actions import save
from luoshi.projects.models import Project

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
    save(project, user)
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
