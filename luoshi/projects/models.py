"""Key projects on the battle map (挂图作战, docs/domain.md §4.5 and §6.1): the ledger of a zone's year, each
project's stages, approvals and year-to-date investment, its blockers, and the weekly dispatch meetings that
push them. Money is stored in 万元 as the offices' ledgers keep it. Writes: projects.actions."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, overload

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.org.models import Park, Unit, Zone
from luoshi.projects.choices import (
    Approval,
    BlockerCategory,
    BlockerStatus,
    Category,
    Construction,
    DecisionStatus,
    Level,
    Stage,
)

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django.utils.functional import _StrOrPromise as StrOrPromise

ZERO = Decimal(0)


@overload
def _money(
    label: "StrOrPromise", *, null: Literal[True], blank: bool = ...
) -> "models.DecimalField[str | float | Decimal | Combinable | None, Decimal | None]": ...
@overload
def _money(
    label: "StrOrPromise", *, default: Decimal
) -> "models.DecimalField[str | float | Decimal | Combinable, Decimal]": ...
def _money(label: "StrOrPromise", **kwargs: Any) -> "models.DecimalField[Any, Any]":
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)], **kwargs
    )


class Project(models.Model):
    """One row of a year's key-project ledger (重点项目台账). A major project (重大项目) may have sub-projects
    (子项目) as children. `completed_wan` and `completed_month` repeat the latest investment month, so lists and
    warnings read the year-to-date figure without a join."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属重大项目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("项目编号"), max_length=40, blank=True)
    name = models.CharField(_("项目名称"), max_length=200)
    category = models.CharField(
        _("项目类别"), max_length=30, choices=Category.choices, default=Category.INDUSTRIAL
    )
    level = models.CharField(_("项目级别"), max_length=20, choices=Level.choices, default=Level.DISTRICT)
    construction = models.CharField(
        _("建设性质"), max_length=20, choices=Construction.choices, default=Construction.NEW
    )
    owner = models.CharField(_("建设单位（业主）"), max_length=200, blank=True)
    owner_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    content = models.TextField(_("建设内容及规模"), blank=True)
    park = models.ForeignKey(
        Park, verbose_name=_("所在园区"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.CharField(_("包抓领导"), max_length=50, blank=True)
    service_officer = models.CharField(_("服务专员"), max_length=50, blank=True)
    chain = models.CharField(_("所属产业链"), max_length=100, blank=True)
    stage = models.PositiveSmallIntegerField(_("所处阶段"), choices=Stage.choices, default=Stage.PLANNING)
    progress_text = models.TextField(_("形象进度"), blank=True)
    total_investment_wan = _money(_("总投资（万元）"), default=ZERO)
    annual_plan_wan = _money(_("年度计划投资（万元）"), default=ZERO)
    completed_wan = _money(_("年度累计完成投资（万元）"), default=ZERO)
    completed_month = models.PositiveSmallIntegerField(_("累计至月份"), null=True, blank=True)
    stats_entered_on = models.DateField(_("纳入统计（入库）日期"), null=True, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        constraints = [
            models.UniqueConstraint(fields=["zone", "year", "name"], name="project_unique_name"),
        ]
        indexes = [
            models.Index(fields=["zone", "year", "position"], name="project_ledger"),
            models.Index(fields=["lead_unit", "year"], name="project_unit"),
            models.Index(fields=["zone", "year", "leader"], name="project_leader"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stage_slug(self) -> str:
        return Stage(self.stage).slug


class StageDate(models.Model):
    """A stage's planned and actual dates. The sweep finds slips through (planned, actual) without a scan."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_dates")
    stage = models.PositiveSmallIntegerField(_("阶段"), choices=Stage.choices)
    planned = models.DateField(_("计划日期"), null=True, blank=True)
    actual = models.DateField(_("实际日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "stage"]
        verbose_name = _("阶段节点")
        verbose_name_plural = _("阶段节点")
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="stage_date_unique")]
        indexes = [
            models.Index(
                fields=["zone", "planned"], condition=Q(actual__isnull=True), name="stage_date_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.planned or ''}"


class ApprovalStep(models.Model):
    """One line of the approvals checklist (前期手续): obtained on a date, or still pending."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("手续"), max_length=20, choices=Approval.choices)
    planned = models.DateField(_("计划办结"), null=True, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "id"]
        verbose_name = _("前期手续")
        verbose_name_plural = _("前期手续")
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="approval_unique_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class InvestmentMonth(models.Model):
    """A month of the year's investment, cumulative from January as the statistics report it (1-10月完成):
    the plan to date and, once reported, the actual to date. A month's own amount is the difference from the
    month before."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="months")
    month = models.PositiveSmallIntegerField(_("月份"))
    plan_cum_wan = _money(_("计划累计（万元）"), null=True, blank=True)
    actual_cum_wan = _money(_("实际累计（万元）"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "month"]
        verbose_name = _("月度投资")
        verbose_name_plural = _("月度投资")
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="investment_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="investment_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.month}"


class Blocker(models.Model):
    """A problem holding a project up (存在问题), asked of a unit to solve by a deadline, open until cleared
    (销号)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="blockers")
    description = models.TextField(_("问题描述"))
    category = models.CharField(
        _("问题类别"), max_length=20, choices=BlockerCategory.choices, default=BlockerCategory.OTHER
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("协调解决单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("解决时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BlockerStatus.choices, default=BlockerStatus.OPEN
    )
    raised_on = models.DateField(_("提出日期"))
    cleared_on = models.DateField(_("销号日期"), null=True, blank=True)
    resolution = models.TextField(_("解决情况"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "id"]
        verbose_name = _("存在问题")
        verbose_name_plural = _("存在问题")
        indexes = [
            models.Index(
                fields=["zone", "deadline"], condition=Q(status=BlockerStatus.OPEN), name="blocker_open"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]


class ProjectPhoto(models.Model):
    """A photo of the site, stored under the data directory (never the web root) and served through a view
    that checks access, like report evidence: the original as uploaded, and a smaller copy for the page
    (photos kept before copies were made have none and show the original)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="photos")
    stored_name = models.CharField(max_length=80, unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    taken_on = models.DateField(_("拍摄日期"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_on", "-id"]
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")

    def __str__(self) -> str:
        return self.caption or self.original_name


class Outline(models.Model):
    """An outline for the map, a GeoJSON the admin uploads (the intranet has no map tiles), with its bounding box
    for a quick check of project coordinates."""

    geojson = models.JSONField(_("边界（GeoJSON）"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    # Vertices of the stored outline, and of the uploaded one when it had to be simplified to fit the map.
    vertices = models.PositiveIntegerField(_("顶点数"), null=True, blank=True)
    source_vertices = models.PositiveIntegerField(_("原文件顶点数"), null=True, blank=True)
    # Invalid polygons of the upload repaired with make_valid: [{where, reason, before, after}] (km²).
    repairs = models.JSONField(_("自动修复"), default=list, blank=True)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Boundary(Outline):
    """The zone's outline."""

    zone = models.OneToOneField(Zone, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("园区边界")
        verbose_name_plural = _("园区边界")

    def __str__(self) -> str:
        return self.name


class ParkBoundary(Outline):
    """One park's outline inside the zone (一区多园), drawn on the battle map with the park's name; uploaded and
    checked as the zone's outline is."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    park = models.OneToOneField(Park, on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分园边界")
        verbose_name_plural = _("分园边界")

    def __str__(self) -> str:
        return str(self.park_id)


class DispatchMeeting(models.Model):
    """A weekly dispatch meeting (周调度会): numbered per zone and year, with what it decided."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期数"))
    held_on = models.DateField(_("会议日期"))
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    attendees = models.TextField(_("参会单位及人员"), blank=True)
    notes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-number"]
        verbose_name = _("周调度会")
        verbose_name_plural = _("周调度会")
        constraints = [
            models.UniqueConstraint(fields=["zone", "year", "number"], name="dispatch_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.number}"


class Decision(models.Model):
    """What a meeting decided (议定事项), for a project or one of its blockers, handed to a unit with a due date
    and followed up at the next meeting until done."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    meeting = models.ForeignKey(DispatchMeeting, on_delete=models.CASCADE, related_name="decisions")
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    blocker = models.ForeignKey(
        Blocker, verbose_name=_("问题"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("议定事项"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("落实单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(
        _("落实情况"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    outcome = models.TextField(_("落实结果"), blank=True)
    done_on = models.DateField(_("落实日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        indexes = [
            models.Index(
                fields=["zone", "status"], condition=Q(status=DecisionStatus.OPEN), name="decision_open"
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]
