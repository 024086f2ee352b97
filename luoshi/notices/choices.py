from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.org.choices import Role


class NoticeKind(models.TextChoices):
    REPORT_DUE = "report_due", _("报送提醒")
    REPORT_OVERDUE = "report_overdue", _("逾期未报")
    REPORT_RETURNED = "report_returned", _("报告退回")
    REPORT = "report", _("报告审核")
    WARNING = "warning", _("预警")
    ORDER = "order", _("督办")
    DIGEST = "digest", _("摘要")
    BULLETIN = "bulletin", _("督查通报")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    WEBHOOK = "webhook", _("群机器人")


class Platform(models.TextChoices):
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")
    FEISHU = "feishu", _("飞书")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    DEAD = "dead", _("已放弃")


# Who manages the zone's group robots (the supervision office sends most group messages).
ENDPOINT_MANAGERS = frozenset({Role.ADMIN, Role.SUPERVISOR})
