from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.assessment.choices import Frequency
from luoshi.org.models import Unit, Zone
from luoshi.plans.choices import Direction


class Indicator(models.Model):
    """An entry of the zone's indicator library: what is measured, which way is better, who supplies it, and
    the thresholds that mark a value as alarming or excellent."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    unit_of_measure = models.CharField(_("计量单位"), max_length=40, blank=True)
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    frequency = models.CharField(
        _("频次"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    source_unit = models.ForeignKey(
        Unit,
        verbose_name=_("数据来源部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    alert_threshold = models.DecimalField(_("预警值"), max_digits=18, decimal_places=4, null=True, blank=True)
    excellence_threshold = models.DecimalField(
        _("优秀值"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    description = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorValue(models.Model):
    """One value of an indicator for one entity and period: a unit (department, street, functional area …) or,
    with no unit, the zone as a whole. Who entered it and whether the supervision office verified it are kept,
    because a published ranking must be traceable to its figures."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("期间"), max_length=10)  # 2026, 2026Q3 or 2026-09 (lib.periods.parse_period)
    period_end = models.DateField()
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField()
    verified = models.BooleanField(_("已核实"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "-period_end", "unit__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"],
                condition=Q(unit__isnull=False),
                name="value_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"], condition=Q(unit__isnull=True), name="value_unique_zone"
            ),
        ]
        indexes = [models.Index(fields=["zone", "period_end"], name="value_zone_period")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.value}"
