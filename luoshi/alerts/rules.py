"""The rules' defaults, in one table: each zone gets a copy (a WarningRule row per code) on first use, and its
admins change the copy. Sources are those of docs/domain.md §4.1, §4.5 and §6.2."""

import math
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luoshi.alerts.choices import BehindProfile, RuleCode
from luoshi.reporting.models import PULSE_DEPTH

Thresholds = dict[str, Any]


@dataclass(frozen=True)
class RuleDefault:
    enabled: bool
    thresholds: Thresholds
    source: str | Promise  # where the numbers come from, shown next to the rule


DEFAULTS: dict[str, RuleDefault] = {
    # Yellow for the latest period missed, red when the last `red_consecutive` periods were all missed (Sanya).
    RuleCode.MISSING: RuleDefault(True, {"red_consecutive": 2}, _("三亚 2022：连续两期未完成 → 红")),
    # The last `reports` handed-in reports never rose above the first of them; red after `red_reports`.
    RuleCode.STALLED: RuleDefault(
        True, {"reports": 3, "red_reports": 6}, _("督查督办：连续无进展 → 催办、升级")
    ),
    # Planned minus actual progress, in percentage points (Suqian/Yinchuan) or relative (Sanya).
    RuleCode.BEHIND: RuleDefault(
        True,
        {
            "profile": BehindProfile.GAP_PP.value,
            "yellow_pp": 10.0,
            "red_pp": 20.0,
            "yellow_rel": 0.0,
            "red_rel": 0.5,
        },
        _("宿迁 2025：未达到序时进度 → 黄；三亚 2022：差距 ≤ 50% 黄，> 50% 红"),
    ),
    # A milestone past its date and not done; red once it is more than `red_days` late.
    RuleCode.MILESTONE: RuleDefault(True, {"red_days": 30}, _("揭榜挂帅：节点逾期 ≤ 30 天黄，> 30 天红")),
    RuleCode.OVERDUE: RuleDefault(True, {}, _("宿迁 2025：逾期 → 红")),
    # Reported actual value against the elapsed share of the way from baseline to target.
    RuleCode.TARGET: RuleDefault(
        True, {"yellow_pp": 10.0, "red_pp": 20.0}, _("序时进度：按时间进度折算的指标目标")
    ),
    # Completion projected from the last `reports` handed-in reports falls more than `grace_days` after the
    # due date: a few days' projected slack is noise in weekly figures, not a warning.
    RuleCode.FORECAST: RuleDefault(
        True, {"reports": 4, "grace_days": 7}, _("交付单元（deliverology）：按趋势预判")
    ),
    # Due within `workdays` working days and not done.
    RuleCode.DUE_SOON: RuleDefault(True, {"workdays": 3}, _("宿迁 2025：临近时限 → 蓝")),
    # A supervision order past its deadline without feedback is red; more than `escalate_days` days past it,
    # the sweep escalates the order to its responsible leader (once).
    RuleCode.ORDER_OVERDUE: RuleDefault(
        True, {"escalate_days": 0}, _("三明 2017、宿迁 2025：督办逾期 → 红，提请包抓领导督办")
    ),
    # Key projects. Not started once the planned start month has passed: yellow; `red_months` after it: red.
    RuleCode.PROJECT_START: RuleDefault(
        True, {"red_months": 3}, _("银川 2025：计划开工月未开工 → 黄，连续 3 个月未开工 → 红")
    ),
    # Year-to-date investment against the plan to the same month: points behind against the annual plan
    # (Yinchuan: 10–30 yellow, > 30 red), or the share of the plan to date not done (Sanya: ≤ 50 % yellow).
    RuleCode.PROJECT_INVESTMENT: RuleDefault(
        True,
        {
            "profile": BehindProfile.GAP_PP.value,
            "yellow_pp": 10.0,
            "red_pp": 30.0,
            "yellow_rel": 0.0,
            "red_rel": 0.5,
        },
        _("银川 2025：低于序时进度 10–30 个百分点黄，超过 30 个百分点红；三亚 2022：差距 ≤ 50% 黄，> 50% 红"),
    ),
    # A stage (other than the start) not reached by its planned date; red once more than `red_days` late.
    RuleCode.PROJECT_STAGE: RuleDefault(True, {"red_days": 30}, _("挂图作战：节点滞后 ≤ 30 天黄，> 30 天红")),
    # An open blocker past its deadline; red once more than `red_days` late.
    RuleCode.PROJECT_BLOCKER: RuleDefault(
        True, {"red_days": 15}, _("问题销号：逾期未解决 → 黄，逾期 15 天以上 → 红")
    ),
    # Started and not entered into the statistics (入库) `yellow_months` ago: yellow; more than
    # `red_after_months` ago: red.
    RuleCode.PROJECT_STATS: RuleDefault(
        True,
        {"yellow_months": 1, "red_after_months": 2},
        _("银川 2025：开工满 1 个月未入库 → 黄，超过 2 个月 → 红"),
    ),
}

# Keys whose value is a choice rather than a number.
CHOICES: dict[str, list[str]] = {"profile": list(BehindProfile.values)}
# Counts of reports (STALLED, FORECAST) are read from the items' pulses, which keep the latest PULSE_DEPTH.
LIMITS: dict[str, int] = {"reports": PULSE_DEPTH, "red_reports": PULSE_DEPTH}


def effective(code: str, stored: Thresholds | None) -> Thresholds:
    """The default thresholds overlaid with a zone's stored ones. Keys the defaults do not know and values of
    the wrong kind are ignored, so a row written by another release (or by hand) never breaks the sweep."""
    merged = dict(DEFAULTS[code].thresholds)
    for key, value in (stored or {}).items():
        default = merged.get(key)
        if key in CHOICES:
            if value in CHOICES[key]:
                merged[key] = value
        elif (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not 0 <= value <= LIMITS.get(key, math.inf)
        ):
            continue
        elif isinstance(default, float):
            merged[key] = float(value)
        elif isinstance(default, int) and float(value).is_integer():
            merged[key] = int(value)
    return merged
