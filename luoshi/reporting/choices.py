from django.db import models
from django.utils.translation import gettext_lazy as _


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("单位已审核")
    ACCEPTED = "accepted", _("督查室已采纳")
    RETURNED = "returned", _("已退回")


# Reports the unit has handed in (for "missing report" purposes a returned report still counts as not handed in).
HANDED_IN = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.ACCEPTED)


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待协调")
    RESOLVED = "resolved", _("已解决")
