from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.org.models import Unit, Zone
from luoshi.plans.choices import Direction, ItemStatus, PlanStatus


def default_level_names() -> list[str]:
    return ["任务", "措施"]


class Plan(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    # What the plan calls each level of its tree, top first: ["目标", "方向", "行动", "任务", "措施"].
    level_names = models.JSONField(_("层级名称"), default=default_level_names)
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    issued_at = models.DateTimeField(_("下发时间"), null=True, blank=True)
    source_name = models.CharField(_("来源文件"), max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("计划")
        verbose_name_plural = _("计划")
        constraints = [models.UniqueConstraint(fields=["zone", "year", "title"], name="plan_unique_title")]

    def __str__(self) -> str:
        return self.title

    def level_name(self, level: int) -> str:
        names = self.level_names or []
        return names[level - 1] if 0 < level <= len(names) else _("第%(n)d级") % {"n": level}


class PlanItem(models.Model):
    """A node of the plan tree, stored as a materialised path.

    Why a path: the three reads the product lives on — a subtree (`path LIKE 'p%'`), the ancestors of an item
    (`path IN (prefixes)`) and the whole plan in tree order (`ORDER BY path`) — are each one indexed query at
    any depth, and bulk import writes rows without the per-node updates nested sets need. Moves are rare
    (an office re-parents a measure now and then) and rewrite one subtree's prefix in one UPDATE.
    Each level is SEGMENT characters of base 36, so siblings sort by position and 1.6 million fit per parent.
    """

    SEGMENT = 4

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    path = models.CharField(max_length=252, db_index=True)
    depth = models.PositiveSmallIntegerField()
    code = models.CharField(_("编号"), max_length=20, blank=True)
    title = models.CharField(_("标题"), max_length=500)
    description = models.TextField(_("内容"), blank=True)
    goal = models.TextField(_("工作目标"), blank=True)
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_items",
    )
    co_units: models.ManyToManyField[Unit, "ItemCoUnit"] = models.ManyToManyField(
        Unit, verbose_name=_("配合单位"), through="ItemCoUnit", related_name="co_items", blank=True
    )
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    due_date = models.DateField(_("完成时限"), null=True, blank=True)
    due_text = models.CharField(_("时限原文"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    weight = models.DecimalField(_("权重"), max_digits=8, decimal_places=2, default=Decimal("1"))
    history = HistoricalRecords(excluded_fields=["path", "depth"])

    # Set by plans.queries on rows it hands to pages and exports (not columns).
    co_unit_list: list[Unit]
    level_label: str
    has_children: bool

    class Meta:
        ordering = ["path"]
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")
        constraints = [models.UniqueConstraint(fields=["plan", "path"], name="item_unique_path")]
        indexes = [
            models.Index(fields=["zone", "due_date"], name="item_zone_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code}{self.title}" if self.code else self.title

    @classmethod
    def segment(cls, position: int) -> str:
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        out = ""
        for _i in range(cls.SEGMENT):
            position, rest = divmod(position, 36)
            out = digits[rest] + out
        if position:
            raise ValueError("too many siblings")
        return out

    def ancestor_paths(self) -> list[str]:
        return [self.path[: self.SEGMENT * n] for n in range(1, self.depth)]


class ItemCoUnit(models.Model):
    """A co-unit (配合单位) of an item: a row of its own so adding and removing one is recorded in history."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="co_unit_links")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="co_item_links")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="co_unit_unique")]
        indexes = [models.Index(fields=["unit", "item"], name="co_unit_by_unit")]

    def __str__(self) -> str:
        return self.unit.name


class Target(models.Model):
    """A quantitative target of an item (新增高新技术企业 100 家)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("指标名称"), max_length=200)
    unit_of_measure = models.CharField(_("计量单位"), max_length=20, blank=True)
    baseline = models.DecimalField(_("基数"), max_digits=18, decimal_places=4, null=True, blank=True)
    target_value = models.DecimalField(_("目标值"), max_digits=18, decimal_places=4)
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    position = models.PositiveSmallIntegerField(default=0)
    # False when the actual value comes from the indicator library instead (a target bound to an indicator,
    # goals.TargetBinding): reports then neither ask for it nor write it, so there is one source of truth.
    reported = models.BooleanField(_("实际值由报送填写"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("量化指标")
        verbose_name_plural = _("量化指标")

    def __str__(self) -> str:
        return f"{self.indicator} {self.target_value.normalize():f}{self.unit_of_measure}"


class Milestone(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=300)
    due_date = models.DateField(_("计划完成"), null=True, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=8, decimal_places=2, default=Decimal("1"))
    done = models.BooleanField(_("已完成"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "due_date", "id"]
        verbose_name = _("节点")
        verbose_name_plural = _("节点")

    def __str__(self) -> str:
        return self.title
