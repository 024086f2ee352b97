from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.bulletins.choices import BulletinStatus, PeriodKind
from luoshi.org.models import Zone


class Bulletin(models.Model):
    """A 督查通报 for one month or quarter: drafted from the data (the facts it was drawn from are kept as
    `facts`), edited by the office, then issued — numbered 第N期 in the zone's year, announced to the units and
    never changed again."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTH)
    index = models.PositiveSmallIntegerField(_("月份或季度"))  # 1–12 for a month, 1–4 for a quarter
    number = models.PositiveSmallIntegerField(_("期号"), null=True, blank=True)  # set when issued
    title = models.CharField(_("标题"), max_length=200)
    content = models.JSONField(_("正文"), default=dict)  # document.Bulletin.content(): sections and tables
    facts = models.JSONField(_("数据快照"), default=dict)  # facts.Facts.as_dict() the draft was written from
    status = models.CharField(
        _("状态"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    drafted_at = models.DateTimeField(_("起草时间"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["facts"])

    class Meta:
        verbose_name = _("督查通报")
        verbose_name_plural = _("督查通报")
        constraints = [
            models.UniqueConstraint(fields=["zone", "year", "kind", "index"], name="bulletin_one_per_period"),
            models.UniqueConstraint(
                fields=["zone", "year", "number"], condition=Q(number__isnull=False), name="bulletin_number"
            ),
        ]
        indexes = [models.Index(fields=["zone", "-year", "-index"], name="bulletin_list")]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return (
            f"{self.year}-{self.index:02d}" if self.kind == PeriodKind.MONTH else f"{self.year}-Q{self.index}"
        )

    @property
    def is_issued(self) -> bool:
        return self.status == BulletinStatus.ISSUED
