from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已下发")


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    SUSPENDED = "suspended", _("暂缓")
    CANCELLED = "cancelled", _("已取消")


class Direction(models.TextChoices):
    INCREASE = "increase", _("越大越好")
    DECREASE = "decrease", _("越小越好")


# A direction as the scoring engine reads it (luoshi.composite): 1 more is better, −1 less is better.
SIGN: dict[str, int] = {Direction.INCREASE: 1, Direction.DECREASE: -1}
