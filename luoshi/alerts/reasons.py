"""A warning's reason in words, from the numbers the sweep stored: the same function writes the stored text
(in the site's language, for notifications and exports) and renders it on pages in the reader's language. The
rules of other apps bring their own wording with their rule source (alerts.sources)."""

from functools import cache
from typing import Any

from django.utils.translation import get_language, gettext

from luoshi.alerts import sources
from luoshi.alerts.choices import BehindProfile, RuleCode
from luoshi.reporting.progress import MILESTONES, TRAJECTORY


def cached_gettext(message: str) -> str:
    """gettext, remembered per language: a first sweep words tens of thousands of reasons, and Django's lookup
    of the active catalogue cost more than the rest of the wording."""
    return _translated(get_language(), message)


_ = cached_gettext


@cache
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


def pct(value: float) -> str:
    """60.0 → "60", 62.5 → "62.5": one decimal at most, no trailing zero."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _missing(n: dict[str, Any]) -> str:
    if n["missed"] > 1:
        return _("连续%(n)d期未报送：%(periods)s") % {"n": n["missed"], "periods": "、".join(n["periods"])}
    return _("%(period)s报告逾期未报") % {"period": n["periods"][0]}


def _behind(n: dict[str, Any]) -> str:
    values = {"planned": pct(n["planned"]), "actual": pct(n["actual"]), "gap": pct(n["gap_pp"])}
    if n["profile"] == BehindProfile.SHORTFALL_REL:
        text = _("计划进度%(planned)s%%，实际%(actual)s%%，差距为计划的%(share)s%%") % {
            **values,
            "share": pct(100 * n["shortfall_rel"]),
        }
    else:
        text = _("计划进度%(planned)s%%，实际%(actual)s%%，落后%(gap)s个百分点") % values
    basis = {MILESTONES: _("（按节点计划）"), TRAJECTORY: _("（按进度曲线）")}
    return text + basis.get(n["basis"], "")


def _milestone(n: dict[str, Any]) -> str:
    text = _("节点“%(title)s”应于%(due)s完成，已逾期%(days)d天") % n
    if n["count"] > 1:
        text += _("，另有%(more)d个节点逾期") % {"more": n["count"] - 1}
    return text


def _target(n: dict[str, Any]) -> str:
    return _(
        "%(indicator)s目标%(target)s%(unit)s，按时间进度应达%(expected)s%(unit)s，实际%(value)s%(unit)s，"
        "落后%(gap)s个百分点"
    ) % {**n, "gap": pct(n["gap_pp"])}


def _forecast(n: dict[str, Any]) -> str:
    if n["projected"] is None:
        return _("最近%(n)d次报送进度没有提高，按此无法在完成时限%(due)s前完成") % {
            "n": n["reports"],
            "due": n["due"],
        }
    return _(
        "按最近%(n)d次报送的进度（每周约%(rate)s个百分点），预计%(projected)s完成，晚于完成时限%(due)s"
    ) % {
        "n": n["reports"],
        "rate": pct(n["rate"]),
        "projected": n["projected"],
        "due": n["due"],
    }


def _due_soon(n: dict[str, Any]) -> str:
    if n["workdays"] == 0:
        return _("今天（%(due)s）是完成时限") % n
    return _("距完成时限%(due)s还有%(workdays)d个工作日") % n


def describe(rule: str, numbers: dict[str, Any]) -> str:
    """The reason for a warning of `rule` with these numbers, in the active language."""
    if rule == RuleCode.MISSING:
        return _missing(numbers)
    if rule == RuleCode.STALLED:
        return _("连续%(n)d次报送进度没有提高（最新%(progress)s%%）") % {
            "n": numbers["reports"],
            "progress": pct(numbers["progress"]),
        }
    if rule == RuleCode.BEHIND:
        return _behind(numbers)
    if rule == RuleCode.MILESTONE:
        return _milestone(numbers)
    if rule == RuleCode.OVERDUE:
        return _("完成时限%(due)s，已逾期%(days)d天") % numbers
    if rule == RuleCode.TARGET:
        return _target(numbers)
    if rule == RuleCode.FORECAST:
        return _forecast(numbers)
    if rule == RuleCode.ORDER_OVERDUE:
        return _("督办单%(number)s办理时限%(deadline)s，已逾期%(days)d天未反馈") % numbers
    if rule == RuleCode.DUE_SOON:
        return _due_soon(numbers)
    return sources.wording(rule)(numbers)  # a rule of another app (the key projects')
