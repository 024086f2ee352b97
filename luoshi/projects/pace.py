"""Year-to-date investment against the time-elapsed share (序时进度, docs/domain.md §6.2), month-based as the
statistics are: the plan to the month of the latest actual figure is the monthly plan's cumulative value when
there is one, otherwise the annual plan × month / 12. Pure: numbers in, numbers out."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Pace:
    month: int  # the figures are January to the end of this month
    annual_wan: Decimal
    planned_wan: Decimal  # plan to date
    actual_wan: Decimal  # actual to date

    @property
    def time_share(self) -> float:
        """序时进度 in percent: the share of the year elapsed."""
        return 100 * self.month / 12

    @property
    def completion(self) -> float | None:
        """Share of the annual plan done, in percent."""
        return 100 * float(self.actual_wan / self.annual_wan) if self.annual_wan > 0 else None

    @property
    def gap_pp(self) -> float | None:
        """Percentage points behind the plan to date, against the annual plan (Yinchuan); negative when ahead."""
        return (
            100 * float((self.planned_wan - self.actual_wan) / self.annual_wan)
            if self.annual_wan > 0
            else None
        )

    @property
    def shortfall_rel(self) -> float | None:
        """The share of the plan to date not done (Sanya); negative when ahead."""
        return 1 - float(self.actual_wan / self.planned_wan) if self.planned_wan > 0 else None


def planned_to(month: int, annual_wan: Decimal, plan_cum: Mapping[int, Decimal]) -> Decimal:
    """The plan to the end of `month`: the monthly plan's last cumulative figure up to it, else linear."""
    known = [m for m in plan_cum if m <= month]
    if plan_cum:
        return plan_cum[max(known)] if known else Decimal(0)
    return annual_wan * month / 12


def pace(month: int, annual_wan: Decimal, actual_wan: Decimal, plan_cum: Mapping[int, Decimal]) -> Pace:
    return Pace(month, annual_wan, planned_to(month, annual_wan, plan_cum), actual_wan)


def pace_due(
    started: bool,
    annual_wan: Decimal,
    latest: tuple[int, Decimal] | None,
    this_month: int,
    plan_cum: Mapping[int, Decimal],
) -> Pace | None:
    """The pace a project is held to: under way, or with a monthly plan (a project planned to start in autumn
    has no linear share to fall behind in spring). `latest` is its last actual figure (month, 1-N月累计);
    without one, the last closed month counts as nothing done. None when nothing is due yet."""
    if not started and not plan_cum:
        return None
    month, amount = latest or (this_month - 1, Decimal(0))
    return pace(month, annual_wan, amount, plan_cum) if month >= 1 else None
