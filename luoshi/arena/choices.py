from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    """A session's life: prepared by the supervision office, opened for ballots when the presenting starts,
    closed when the last ballot is in (its results are then frozen)."""

    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("评分中")
    CLOSED = "closed", _("已结束")


class Grading(models.TextChoices):
    GRADES = "grades", _("四档评价（好、较好、一般、较差）")
    CRITERIA = "criteria", _("分项打分")


class Grade(models.IntegerChoices):
    """The Weifang ballot's four grades (docs/domain.md §4.4), worth 4 down to 1."""

    EXCELLENT = 4, _("好")
    GOOD = 3, _("较好")
    FAIR = 2, _("一般")
    POOR = 1, _("较差")
