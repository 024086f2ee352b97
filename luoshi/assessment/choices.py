from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("月度")
    QUARTERLY = "quarterly", _("季度")
    YEARLY = "yearly", _("年度")


class SchemeKind(models.TextChoices):
    UNIT_QUARTERLY = "unit_quarterly", _("季度单位考核")
    STAR_FLAG = "star_flag", _("摘星夺旗")
    ZONE_EVALUATION = "zone_evaluation", _("高新区综合评价")
    CUSTOM = "custom", _("其他评价")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
