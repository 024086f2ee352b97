from datetime import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.audit.choices import Event, Outcome


class AppendOnlyError(Exception):
    """The audit trail is never changed or deleted through Luoshi (only `luoshi prune_audit` removes old rows)."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit rows cannot be deleted; `luoshi prune_audit` removes expired ones")

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit rows cannot be changed")

    def prune(self, before: datetime) -> int:
        """Delete the rows older than `before` (the prune command's, which checks the retention period)."""
        return models.QuerySet.delete(self.filter(time__lt=before))[0]


class AuditEvent(models.Model):
    """One security-relevant event. Append-only: the model refuses updates and deletes, and so does the database
    (triggers in migration 0002, which let only rows past the retention period be deleted)."""

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    # The person and zone are kept as text too: the row must outlive a deleted account or zone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("账号"), max_length=150, blank=True)
    zone = models.ForeignKey("org.Zone", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    zone_code = models.CharField(_("园区"), max_length=40, blank=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    event = models.CharField(_("事件"), max_length=30, choices=Event.choices)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=60, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            models.Index(fields=["zone", "-time"], name="audit_zone_time"),
            models.Index(fields=["username", "-time"], name="audit_username_time"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {self.event} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit rows cannot be deleted")
