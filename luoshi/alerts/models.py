from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.alerts.choices import EventKind, Level, RuleCode
from luoshi.alerts.reasons import describe
from luoshi.org.models import Unit, Zone
from luoshi.plans.models import PlanItem


class WarningRule(models.Model):
    """A zone's copy of one rule: on or off, and its thresholds (see alerts.rules for the defaults)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("规则"), max_length=20, choices=RuleCode.choices)
    enabled = models.BooleanField(_("启用"), default=True)
    thresholds = models.JSONField(_("阈值"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone_id", "id"]
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="warning_rule_unique_code")]

    def __str__(self) -> str:
        return self.get_code_display()


class Warning(models.Model):
    """A rule firing on a subject, from the sweep that first saw it until the sweep that sees it clear.

    The subject is a nullable foreign key per kind of subject (an item today; supervision orders and projects
    get their own column later) rather than a generic (type, id) pair: deleting an item deletes its warnings,
    pages join the subject in the same query, and each kind gets its own "one open warning" index."""

    # Indexes cost every insert, and a first sweep may open a hundred thousand warnings: foreign keys that the
    # composite indexes below already lead with, or that only rare deletions follow, get none of their own.
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    rule = models.CharField(_("规则"), max_length=20, choices=RuleCode.choices)
    item = models.ForeignKey(
        PlanItem, verbose_name=_("事项"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The subject's lead unit when the sweep last looked: whose warning it is.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    level = models.CharField(_("等级"), max_length=10, choices=Level.choices)
    reason = models.CharField(_("原因"), max_length=500)
    numbers = models.JSONField(default=dict)  # the facts behind the reason, for charts and re-rendering
    opened_at = models.DateTimeField(_("触发时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("说明时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    explanation = models.TextField(_("情况说明"), blank=True)
    rectification = models.TextField(_("整改措施"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [
            # One open warning per subject and rule, whoever writes it (two sweeps, a sweep and a retry).
            models.UniqueConstraint(
                fields=["item", "rule"],
                condition=Q(resolved_at__isnull=True),
                name="warning_one_open_per_item",
            ),
            models.CheckConstraint(condition=Q(item__isnull=False), name="warning_has_subject"),
        ]
        indexes = [
            models.Index(
                fields=["zone", "level"], condition=Q(resolved_at__isnull=True), name="warning_open"
            ),
            models.Index(
                fields=["unit", "level"], condition=Q(resolved_at__isnull=True), name="warning_unit_open"
            ),
            models.Index(fields=["zone", "-opened_at"], name="warning_zone_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} · {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def text(self) -> str:
        """The reason in the reader's language, from the numbers; the stored text if they do not fit the
        current wording (numbers written by another release)."""
        try:
            return describe(self.rule, self.numbers)
        except (KeyError, TypeError, ValueError):
            return self.reason


class WarningEvent(models.Model):
    """What happened to a warning, one row per change (like healthchecks' Flip): the warning's history."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"))
    level = models.CharField(_("等级"), max_length=10, choices=Level.choices)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    explanation = models.TextField(_("情况说明"), blank=True)
    rectification = models.TextField(_("整改措施"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("预警记录")
        verbose_name_plural = _("预警记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
