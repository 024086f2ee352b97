"""`luoshi prune_audit [--days N]`: delete audit rows older than N days (at least 180, the Cybersecurity Law's
minimum); the pruning itself is recorded. The only way rows ever leave the trail."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent

RETENTION_DAYS = 180


class Command(BaseCommand):
    help = "Delete security audit rows older than --days (at least 180); the pruning is itself recorded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=365, help="keep this many days (default 365, minimum 180)"
        )

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if days < RETENTION_DAYS:
            raise CommandError(
                f"审计记录至少保存 {RETENTION_DAYS} 天（《网络安全法》第二十一条），--days 不能小于 {RETENTION_DAYS}"
            )
        cutoff = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            deleted = AuditEvent.objects.prune(cutoff)
            record(Event.AUDIT_PRUNE, username="system", detail={"days": days, "deleted": deleted})
        self.stdout.write(f"已删除 {deleted} 条 {days} 天前的审计记录")
