from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.alerts.choices import (
    AWAITING_FEEDBACK,
    Evaluation,
    EventKind,
    Level,
    OrderEventKind,
    OrderState,
    RuleCode,
)
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

    The subject is a nullable foreign key per kind of subject (an item, a supervision order or a key project)
    rather than a generic (type, id) pair: deleting an item deletes its warnings, pages
    join the subject in the same query, and each kind gets its own "one open warning" index."""

    # Indexes cost every insert, and a first sweep may open a hundred thousand warnings: foreign keys that the
    # composite indexes below already lead with, or that only rare deletions follow, get none of their own.
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    rule = models.CharField(_("规则"), max_length=20, choices=RuleCode.choices)
    item = models.ForeignKey(
        PlanItem, verbose_name=_("事项"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.ForeignKey(
        "SupervisionOrder",
        verbose_name=_("督办单"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the partial index below: item warnings stay out of it
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("重点项目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the partial index below
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
    # The office's triage (alerts.triage): taken up by an order, a note or a dismissal; a raise asks again.
    triaged_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    # A dismissal (核销) resolves the warning with the office's reason; while its condition still holds
    # (`held`), the sweep opens no new warning for the same subject and rule unless the level goes up.
    dismissed_at = models.DateTimeField(_("核销时间"), null=True, blank=True)
    dismissal = models.CharField(_("核销理由"), max_length=500, blank=True)
    held = models.BooleanField(default=False)

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
            models.UniqueConstraint(
                fields=["order", "rule"],
                condition=Q(resolved_at__isnull=True),
                name="warning_one_open_per_order",
            ),
            models.UniqueConstraint(
                fields=["project", "rule"],
                condition=Q(resolved_at__isnull=True),
                name="warning_one_open_per_project",
            ),
            models.CheckConstraint(
                condition=Q(item__isnull=False, order__isnull=True, project__isnull=True)
                | Q(item__isnull=True, order__isnull=False, project__isnull=True)
                | Q(item__isnull=True, order__isnull=True, project__isnull=False),
                name="warning_has_one_subject",
            ),
        ]
        indexes = [
            models.Index(
                fields=["zone", "level"], condition=Q(resolved_at__isnull=True), name="warning_open"
            ),
            models.Index(
                fields=["unit", "level"], condition=Q(resolved_at__isnull=True), name="warning_unit_open"
            ),
            models.Index(fields=["zone", "-opened_at"], name="warning_zone_latest"),
            models.Index(fields=["order"], condition=Q(order__isnull=False), name="warning_order"),
            models.Index(fields=["project"], condition=Q(project__isnull=False), name="warning_project"),
            models.Index(fields=["zone"], condition=Q(held=True), name="warning_held"),
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
    text = models.TextField(_("内容"), blank=True)  # the office's note or dismissal reason

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("预警记录")
        verbose_name_plural = _("预警记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


# The issuing office's document prefix, as in 督字〔2026〕12号 (a zone setting later).
ORDER_PREFIX = "督字"


def order_number(year: int, number: int) -> str:
    """督字〔2026〕12号: the official way to write an order's number."""
    return f"{ORDER_PREFIX}〔{year}〕{number}号"


class SupervisionOrder(models.Model):
    """A 督办单: one matter handed to one responsible unit with a requirement and a deadline, numbered per zone
    and year, signed for, answered with feedback, and closed with an evaluation (or returned to redo, or
    escalated to the responsible leader when the feedback is overdue). Writes: alerts.orders."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    subject = models.CharField(_("督办事项"), max_length=200)
    item = models.ForeignKey(
        PlanItem, verbose_name=_("事项"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    warning = models.ForeignKey(
        Warning,
        verbose_name=_("来源预警"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Units go only with their zone (org.actions.delete_zone), and their orders with them.
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包抓领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requirement = models.TextField(_("督办要求"))
    deadline = models.DateField(_("办理时限"))
    state = models.CharField(_("状态"), max_length=12, choices=OrderState.choices, default=OrderState.ISSUED)
    issued_at = models.DateTimeField(_("交办时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    feedback = models.TextField(_("反馈情况"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("提请领导督办时间"), null=True, blank=True)
    # None: the sweep
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    evaluation = models.CharField(_("评价"), max_length=10, choices=Evaluation.choices, blank=True)
    comment = models.TextField(_("评价意见"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        constraints = [
            models.UniqueConstraint(fields=["zone", "year", "number"], name="order_unique_number"),
        ]
        indexes = [
            # The sweep's ORDER_OVERDUE and the list's "overdue" filter: deadlines of orders still owed feedback.
            models.Index(
                fields=["zone", "deadline"],
                condition=Q(state__in=AWAITING_FEEDBACK),
                name="order_awaiting_deadline",
            ),
            models.Index(fields=["unit", "state"], name="order_unit_state"),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.subject}"

    @property
    def display_number(self) -> str:
        return order_number(self.year, self.number)

    def is_overdue(self, today: date) -> bool:
        return self.state in AWAITING_FEEDBACK and self.deadline < today


class OrderEvent(models.Model):
    """One step of an order, who took it and what they wrote: the order's history."""

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=12, choices=OrderEventKind.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    text = models.TextField(_("内容"), blank=True)
    evaluation = models.CharField(_("评价"), max_length=10, choices=Evaluation.choices, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
