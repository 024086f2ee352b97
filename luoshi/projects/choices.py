from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    INDUSTRIAL = "industrial", _("产业项目")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    SOCIAL = "social", _("社会民生")
    INVESTMENT_ATTRACTION = "investment_attraction", _("招商引资")


class Level(models.TextChoices):
    PROVINCIAL = "provincial", _("省级重点")
    MUNICIPAL = "municipal", _("市级重点")
    DISTRICT = "district", _("区级重点")


class Construction(models.TextChoices):
    NEW = "new", _("新建")
    CONTINUING = "continuing", _("续建")


class Stage(models.IntegerChoices):
    """The life cycle in order (docs/domain.md §4.5): a number, so "at least started" is `stage__gte`.
    `slug` is the English name the import's JSON uses."""

    PLANNING = 1, _("谋划")
    NEGOTIATING = 2, _("洽谈")
    SIGNED = 3, _("签约")
    STARTED = 4, _("开工")
    CAPPED = 5, _("主体封顶")
    COMPLETED = 6, _("竣工")
    IN_PRODUCTION = 7, _("投产")
    FULL_PRODUCTION = 8, _("达产")

    @property
    def slug(self) -> str:
        return self.name.lower()


class Approval(models.TextChoices):
    """The approvals checklist (前期手续), in the order they are usually obtained."""

    PROJECT = "project", _("立项")
    LAND = "land", _("用地")
    PLANNING = "planning", _("规划")
    CONSTRUCTION = "construction", _("施工许可")
    ENVIRONMENT = "environment", _("环评")
    ENERGY = "energy", _("能评")


class BlockerCategory(models.TextChoices):
    LAND = "land", _("用地")
    FUNDING = "funding", _("资金")
    APPROVALS = "approvals", _("审批")
    UTILITIES = "utilities", _("水电气")
    DEMOLITION = "demolition", _("拆迁")
    OTHER = "other", _("其他")


class BlockerStatus(models.TextChoices):
    OPEN = "open", _("未解决")
    CLEARED = "cleared", _("已销号")


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("落实中")
    DONE = "done", _("已落实")
