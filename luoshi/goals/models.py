"""The line of sight (目标—指标—任务—项目贯通): a goal measured by a zone-evaluation scheme, the indicators each
plan item is meant to move, and the plan items each key project carries. Links only: the items, indicators,
schemes and projects stay in their own apps."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.assessment.models import Indicator, Scheme
from luoshi.goals.choices import BindingSource
from luoshi.org.models import Zone
from luoshi.plans.models import PlanItem, Target
from luoshi.projects.models import Project


class Goal(models.Model):
    """A plan item the zone steers by ("力争五年重回全国高新区前十"): the scheme that measures it (a national
    ranking with its benchmark table) and the rank it aims at."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    item = models.OneToOneField(PlanItem, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="+")
    scheme = models.ForeignKey(Scheme, verbose_name=_("评价方案"), on_delete=models.CASCADE, related_name="+")
    target_rank = models.PositiveSmallIntegerField(_("目标名次"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "item"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        indexes = [models.Index(fields=["zone"], name="goal_zone")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.scheme_id} #{self.target_rank}"


class IndicatorLink(models.Model):
    """A plan item (goal, direction, action, task or measure) meant to move an indicator of the library."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    item = models.ForeignKey(PlanItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "indicator", "item"]
        verbose_name = _("事项对应指标")
        verbose_name_plural = _("事项对应指标")
        constraints = [models.UniqueConstraint(fields=["item", "indicator"], name="indicator_link_unique")]
        indexes = [models.Index(fields=["zone", "indicator"], name="indicator_link_zone")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.indicator_id}"


class ProjectLink(models.Model):
    """A key project carrying a plan item ("加快重点项目建设" carries the 44 major projects): its investment pace
    and warnings count in the item's health."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    project = models.ForeignKey(
        Project, verbose_name=_("重点项目"), on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(PlanItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "item", "project"]
        verbose_name = _("项目关联事项")
        verbose_name_plural = _("项目关联事项")
        constraints = [models.UniqueConstraint(fields=["project", "item"], name="project_link_unique")]
        indexes = [models.Index(fields=["zone", "item"], name="project_link_zone")]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.item_id}"


class TargetBinding(models.Model):
    """A plan target bound to an indicator of the library, with one source of truth chosen: the target's actual
    value taken from the indicator's verified values (not reported), or the target's reported value feeding the
    indicator (as an unverified value the office checks). goals/binding.py keeps the two in step."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    target = models.OneToOneField(
        Target, verbose_name=_("量化指标"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    source = models.CharField(_("数据来源"), max_length=10, choices=BindingSource.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标值绑定指标")
        verbose_name_plural = _("目标值绑定指标")
        constraints = [
            # Two targets writing one indicator would overwrite each other.
            models.UniqueConstraint(
                fields=["indicator"], condition=Q(source="target"), name="binding_one_feeder"
            ),
        ]
        indexes = [models.Index(fields=["zone", "indicator"], name="binding_zone_indicator")]

    def __str__(self) -> str:
        return f"{self.target_id} ↔ {self.indicator_id} ({self.source})"
