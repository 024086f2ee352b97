"""A project's stages (planned and actual dates; the project moves to the most advanced one reached) and its
approvals checklist."""

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from luoshi.lib.history import Actor
from luoshi.projects.actions import ProjectError, save
from luoshi.projects.choices import Stage
from luoshi.projects.models import ApprovalStep, Project, StageDate


def _reached(project: Project) -> int | None:
    """The most advanced stage with an actual date."""
    stages = (
        StageDate.objects.filter(project=project).filter(actual__isnull=False).values_list("stage", flat=True)
    )
    return max(stages, default=None)


def _advance(project: Project, user: Actor) -> None:
    """Recording a stage beyond the current one moves the project there."""
    reached = _reached(project)
    if reached is not None and reached > project.stage:
        project.stage = reached
        save(project, user, ["stage"])


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
