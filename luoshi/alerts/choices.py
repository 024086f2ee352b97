from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    BLUE = "blue", _("蓝色")
    YELLOW = "yellow", _("黄色")
    RED = "red", _("红色")


# Severity order: a warning "goes up" when its rank grows (blue reminds, yellow warns, red escalates).
LEVEL_RANK = {Level.BLUE: 1, Level.YELLOW: 2, Level.RED: 3}


class RuleCode(models.TextChoices):
    MISSING = "MISSING", _("逾期未报")
    STALLED = "STALLED", _("进度停滞")
    BEHIND = "BEHIND", _("进度滞后")
    MILESTONE = "MILESTONE", _("节点逾期")
    OVERDUE = "OVERDUE", _("到期未完成")
    TARGET = "TARGET", _("指标滞后")
    FORECAST = "FORECAST", _("预计逾期")
    DUE_SOON = "DUE_SOON", _("临近时限")


class EventKind(models.TextChoices):
    OPENED = "opened", _("触发")
    RAISED = "raised", _("升级")
    LOWERED = "lowered", _("降级")
    RESOLVED = "resolved", _("解除")
    ACKNOWLEDGED = "acknowledged", _("单位已说明")


class BehindProfile(models.TextChoices):
    GAP_PP = "gap_pp", _("百分点差距（银川）")
    SHORTFALL_REL = "shortfall_rel", _("相对差距（三亚）")
