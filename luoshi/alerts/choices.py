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
    ORDER_OVERDUE = "ORDER_OVERDUE", _("督办逾期")
    PROJECT_START = "PROJECT_START", _("项目未按期开工")
    PROJECT_INVESTMENT = "PROJECT_INVESTMENT", _("投资滞后序时")
    PROJECT_STAGE = "PROJECT_STAGE", _("项目节点滞后")
    PROJECT_BLOCKER = "PROJECT_BLOCKER", _("问题逾期未解决")
    PROJECT_STATS = "PROJECT_STATS", _("开工未入库")


# The rules whose open warning holds an item behind pace (进度滞后, 进度停滞, 指标滞后): the plan tree's signals and
# the home pages' 滞后 count the same ones.
BEHIND_RULES = (RuleCode.BEHIND, RuleCode.STALLED, RuleCode.TARGET)


class EventKind(models.TextChoices):
    OPENED = "opened", _("触发")
    RAISED = "raised", _("升级")
    LOWERED = "lowered", _("降级")
    RESOLVED = "resolved", _("解除")
    ACKNOWLEDGED = "acknowledged", _("单位已说明")
    NOTED = "noted", _("督查室备注")
    DISMISSED = "dismissed", _("核销")


class BehindProfile(models.TextChoices):
    GAP_PP = "gap_pp", _("百分点差距（银川）")
    SHORTFALL_REL = "shortfall_rel", _("相对差距（三亚）")


class OrderState(models.TextChoices):
    """A supervision order's life (docs/domain.md §4.1): 交办 → 签收 → 反馈 → 审核 (办结, or 退回 to redo), and
    提请领导督办 when the unit lets the deadline pass without feedback."""

    ISSUED = "issued", _("已交办")
    SIGNED = "signed", _("已签收")
    FEEDBACK = "feedback", _("已反馈")
    RETURNED = "returned", _("已退回")
    ESCALATED = "escalated", _("已提请领导督办")
    CLOSED = "closed", _("已办结")


# The unit still owes its feedback: past the deadline such an order is overdue (a deadline index covers these).
AWAITING_FEEDBACK = (OrderState.ISSUED, OrderState.SIGNED, OrderState.RETURNED, OrderState.ESCALATED)
# Feedback may be (re)submitted: signed, returned for redoing, or escalated (an escalated order may never have
# been signed; its feedback counts as receipt).
FEEDBACK_FROM = (OrderState.SIGNED, OrderState.RETURNED, OrderState.ESCALATED)
# Escalation to the leader: once per order, while the feedback is owed and overdue.
ESCALATE_FROM = (OrderState.ISSUED, OrderState.SIGNED, OrderState.RETURNED)


class Evaluation(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class OrderEventKind(models.TextChoices):
    """A step taken, named like the state it leads to (the bare verbs name buttons and refusals)."""

    ISSUED = "issued", _("已交办")
    SIGNED = "signed", _("已签收")
    FEEDBACK = "feedback", _("已反馈")
    RETURNED = "returned", _("已退回")
    ESCALATED = "escalated", _("已提请领导督办")
    CLOSED = "closed", _("已办结")
    # The leader's steps on an escalated order (alerts.orders instruct_order, urge_order, hand_order).
    INSTRUCTED = "instructed", _("领导批示")
    URGED = "urged", _("领导催办")
    HANDED = "handed", _("转交领导")


# The leader's steps, shown apart from the office's and the unit's on the order's page and in its print.
LEADER_EVENTS = (OrderEventKind.INSTRUCTED, OrderEventKind.URGED, OrderEventKind.HANDED)
