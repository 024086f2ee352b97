"""A project's monthly investment: the actual figures (1-N月累计完成), which the project row repeats, and the
monthly plan."""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from luoshi.lib.history import Actor, apply_changes
from luoshi.projects.actions import ProjectError
from luoshi.projects.models import InvestmentMonth, Project


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
