from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.org.models import Unit, Zone
from luoshi.plans.models import Milestone, Plan, PlanItem, Target
from luoshi.reporting.choices import Cadence, ProblemStatus, ReportStatus


class CalendarDay(models.Model):
    """A platform administrator's entry in the national working-day calendar (the State Council's holidays, the
    same for every zone); it wins over the chinesecalendar package, for years the package does not know yet."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"))
    name = models.CharField(_("说明"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ZoneCalendarDay(models.Model):
    """A zone's own exception to the national calendar (a local holiday, an extra working day), set by the
    zone's admin; it wins over the national calendar for that zone's deadlines only."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("上班"))
    name = models.CharField(_("说明"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone_id", "date"]
        constraints = [models.UniqueConstraint(fields=["zone", "date"], name="zone_calendar_unique_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Cycle(models.Model):
    """A plan's reporting cadence: weekly by Friday 17:00, monthly by the 5th, …"""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cycles")
    cadence = models.CharField(_("周期"), max_length=10, choices=Cadence.choices, default=Cadence.WEEKLY)
    due_weekday = models.PositiveSmallIntegerField(
        _("报送日（周）"), default=4, validators=[MaxValueValidator(6)], help_text=_("0 为周一，4 为周五")
    )
    due_day = models.PositiveSmallIntegerField(
        _("报送日（月/季）"),
        default=5,
        validators=[MaxValueValidator(28)],
        help_text=_("次月第几日；0 为当期最后一天"),
    )
    due_time = models.TimeField(_("截止时间"), default=time(17, 0))
    due_early = models.BooleanField(
        _("遇节假日提前"), default=True, help_text=_("不勾选则顺延到节后第一个工作日")
    )
    grace_days = models.PositiveSmallIntegerField(
        _("补报期（工作日）"), default=5, help_text=_("截止后仍可补报（记为迟报）的工作日数，之后本期关闭")
    )
    starts_on = models.DateField(_("开始日期"))
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "cadence"], name="cycle_unique_cadence")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_cadence_display()}"

    @property
    def deadline_text(self) -> str:
        """The rule in words: 每周五 17:00 / 次月5日 17:00 / 当期最后一天 17:00."""
        at = self.due_time.strftime("%H:%M")
        if self.cadence == Cadence.WEEKLY:
            weekdays = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
            return _("每%(weekday)s %(time)s") % {"weekday": weekdays[self.due_weekday], "time": at}
        if self.due_day:
            return _("次月%(day)d日 %(time)s") % {"day": self.due_day, "time": at}
        return _("当期最后一天 %(time)s") % {"time": at}


class Period(models.Model):
    """One reporting period of a cycle, with its deadline as an indexed column (late and missing are queries)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="periods")
    starts_on = models.DateField()
    ends_on = models.DateField()
    label = models.CharField(max_length=40)
    due_at = models.DateTimeField(db_index=True)
    closes_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["cycle_id", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["cycle", "starts_on"], name="period_unique_start")]
        indexes = [models.Index(fields=["zone", "due_at"], name="period_zone_due")]

    def __str__(self) -> str:
        return self.label


class Report(models.Model):
    """A unit's report on one item for one period. Versions: an accepted report never changes; a correction is
    a new version that points at it."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(default=1)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    progress = models.DecimalField(
        _("进度（%）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    work_done = models.TextField(_("本期工作"), blank=True)
    next_plan = models.TextField(_("下期计划"), blank=True)
    regress_reason = models.TextField(_("进度回退说明"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    late = models.BooleanField(_("迟报"), default=False)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__starts_on", "item__path", "version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "period", "version"], name="report_unique_version"),
        ]
        indexes = [
            models.Index(fields=["zone", "period", "status"], name="report_zone_period_status"),
            models.Index(fields=["item", "period"], name="report_item_period"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.period}"


class ReportValue(models.Model):
    """The actual value of one of the item's quantitative targets, as reported."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="reported_values")
    value = models.DecimalField(_("实际值"), max_digits=18, decimal_places=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="report_value_unique")]

    def __str__(self) -> str:
        return f"{self.target.indicator} {self.value}"


# How many of an item's latest counted reports its pulse keeps: a quarter of weekly reports, more than any
# warning rule may ask for (alerts.rules.LIMITS).
PULSE_DEPTH = 12


class Pulse(models.Model):
    """An item's latest counted reports (reporting.queries.counted_reports), newest first, rewritten by the
    reporting actions whenever what the item has handed in changes. The warning sweep reads one such row per
    item instead of ranking millions of reports (docs/benchmarks.md)."""

    item = models.OneToOneField(PlanItem, on_delete=models.CASCADE, primary_key=True, related_name="pulse")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    progress = models.JSONField(default=list)  # up to PULSE_DEPTH progress figures, newest first
    days = models.JSONField(default=list)  # their periods' last days, as days since 1970-01-01
    # Bit n-1 is set when the latest n reports never rose above the n-th latest (the STALLED rule's test,
    # answered for every n at once so the sweep needs no loop).
    flat_runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.item_id}: {self.progress}"


class LatestValue(models.Model):
    """A target's latest value in a counted report, kept with the pulse for the same reason."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, primary_key=True, related_name="latest")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=18, decimal_places=4)
    ends_on = models.DateField()  # the last day of the report's period

    def __str__(self) -> str:
        return f"{self.target_id}: {self.value}"


class ReportMilestone(models.Model):
    """A milestone the report says was reached in the period (ticked on the item when the report is submitted)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="milestones_reached")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "milestone"], name="report_milestone_unique")
        ]

    def __str__(self) -> str:
        return str(self.milestone)


class Problem(models.Model):
    """A problem that needs coordination (需协调解决的问题), raised in a report and tracked until solved."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="problems")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="problems")
    description = models.TextField(_("问题"))
    asked_unit = models.ForeignKey(
        Unit,
        verbose_name=_("请求协调单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("请求协调领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    resolution = models.TextField(_("解决情况"), blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["zone", "status"], name="problem_zone_status")]

    def __str__(self) -> str:
        return self.description[:40]


class Evidence(models.Model):
    """A file attached to a report, stored under the data directory (never the web root) and served only
    through a view that checks the item's access."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class TrajectoryPoint(models.Model):
    """An explicit planned-progress point (deliverology's trajectory): planned cumulative % by a date."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="trajectory")
    on = models.DateField(_("日期"))
    planned = models.DecimalField(
        _("计划进度（%）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["item_id", "on"]
        constraints = [models.UniqueConstraint(fields=["item", "on"], name="trajectory_unique_date")]

    def __str__(self) -> str:
        return f"{self.on} {self.planned}%"
