from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.notices.choices import Channel, NoticeKind, OutboxStatus, Platform
from luoshi.org.models import Unit, Zone


class Notification(models.Model):
    """One line in a person's inbox. The inbox is the record; email and group robots only point at it."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.OTHER)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)  # site-relative, e.g. /z/alpha/plans/3/
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(fields=["zone", "recipient", "dedupe_key"], name="notice_unique_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "zone", "-id"], name="notice_inbox"),
            # The badge in the top bar counts these on every page.
            models.Index(
                fields=["recipient", "zone"], condition=Q(read_at__isnull=True), name="notice_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WebhookEndpoint(models.Model):
    """A group robot: a unit's work group, or the zone-wide group when `unit` is empty."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    platform = models.CharField(_("平台"), max_length=20, choices=Platform.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    # DingTalk 加签 secret ("SEC…") or Feishu 签名校验 secret; WeCom robots have none.
    secret = models.CharField(_("签名密钥"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("留空表示全区工作群"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["unit_id", "name", "id"]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="endpoint_unique_name")]

    def __str__(self) -> str:
        return self.name


class OutboxMessage(models.Model):
    """A message to deliver, written in the same transaction as the change it announces.

    Workers find due rows through `next_attempt_at` and claim them with a conditional UPDATE that sets a lease;
    a worker that dies mid-send leaves the lease to expire, and another worker sends again (at-least-once).
    """

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    to_address = models.EmailField(_("收件地址"), blank=True)
    subject = models.CharField(_("主题"), max_length=200)
    # Platform-neutral content ({"title", "text", "link"}); each channel formats and signs it at send time,
    # so signatures are fresh and an edited endpoint takes effect for messages still waiting.
    payload = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=250, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)  # our own words, never a robot's answer
    last_status_code = models.PositiveSmallIntegerField(_("HTTP 状态码"), null=True, blank=True)
    last_platform_code = models.IntegerField(_("平台错误码"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        indexes = [
            # The deadline column: the due set is a range scan over pending rows only, however many were sent.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status=OutboxStatus.PENDING), name="outbox_due"
            ),
            # Expired leases of "sending" rows are the other half of the workers' due set.
            models.Index(
                fields=["lease_until"], condition=Q(status=OutboxStatus.SENDING), name="outbox_leases"
            ),
            models.Index(fields=["zone", "-created"], name="outbox_zone_latest"),
        ]

    def __str__(self) -> str:
        return self.subject


class DeliveryAttempt(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    started = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    ok = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    platform_code = models.IntegerField(null=True, blank=True)  # errcode / code from the robot's JSON answer
    error = models.TextField(blank=True)  # our own words, never the answer's body

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.started:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else 'failed'}"
