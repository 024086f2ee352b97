from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.arena.choices import Grade, Grading, SessionStatus
from luoshi.org.models import Unit, Zone


class ArenaSession(models.Model):
    """一把手擂台: unit heads present a period's results in turn, a few minutes each, and the judges in the room
    grade every presenter on a ballot. Writes: arena.actions."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("举办日期"))
    period = models.CharField(
        _("述职期间"), max_length=10
    )  # 2026Q3, 2026-09 or 2026 (lib.periods.parse_period)
    status = models.CharField(
        _("状态"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    grading = models.CharField(_("评分方式"), max_length=10, choices=Grading.choices, default=Grading.GRADES)
    criteria = models.JSONField(_("评分项"), default=list, blank=True)  # [{"name": "工作成效", "max": 40}, …]
    trim = models.BooleanField(_("去掉一个最高分和一个最低分"), default=False)
    minutes = models.PositiveSmallIntegerField(_("每人发言时间（分钟）"), default=6)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    opened_at = models.DateTimeField(_("开始评分时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("擂台")
        verbose_name_plural = _("擂台")
        indexes = [models.Index(fields=["zone", "-held_on"], name="arena_zone_held_on")]

    def __str__(self) -> str:
        return self.title

    @property
    def full_marks(self) -> float:
        """What one ballot is worth at most: the best grade, or the sum of the criteria's maxima."""
        if self.grading == Grading.CRITERIA:
            return float(sum(c["max"] for c in self.criteria))
        return float(Grade.EXCELLENT)


class Presenter(models.Model):
    """A unit on the session's running order, with who speaks for it; its score and rank are written when the
    session closes and never change after."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="presenters")
    # Units go only with their zone (org.actions.delete_zone), and their places on the running order with them.
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("出场顺序"))
    speaker = models.CharField(_("发言人"), max_length=100, blank=True)
    score = models.FloatField(_("得分"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    counted = models.PositiveSmallIntegerField(_("计分票数"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = _("述职单位")
        verbose_name_plural = _("述职单位")
        constraints = [models.UniqueConstraint(fields=["session", "unit"], name="presenter_unique_unit")]

    def __str__(self) -> str:
        return f"{self.position}. {self.unit_id}"


class Judge(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评委"), on_delete=models.CASCADE, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="judge_unique_user")]

    def __str__(self) -> str:
        return str(self.user_id)


class Ballot(models.Model):
    """One judge's ballot on one presenter: a grade, or a score per criterion. The judge may change it while
    the session is open; the history keeps every earlier version."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="ballots")
    presenter = models.ForeignKey(Presenter, on_delete=models.CASCADE, related_name="ballots")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="ballots")
    grade = models.PositiveSmallIntegerField(_("评价"), choices=Grade.choices, null=True, blank=True)
    scores = models.JSONField(_("分项得分"), default=dict, blank=True)  # criterion name → score
    cast_at = models.DateTimeField(_("评分时间"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [
            # One ballot per judge and presenter, however many of the judge's taps arrive at once.
            models.UniqueConstraint(fields=["presenter", "judge"], name="ballot_unique_judge"),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=Grade.POOR, grade__lte=Grade.EXCELLENT),
                name="ballot_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge_id} → {self.presenter_id}"

    @property
    def total(self) -> float:
        """The ballot's points: its grade, or the sum of its criteria's scores."""
        if self.grade is not None:
            return float(self.grade)
        return float(sum(self.scores.values()))
