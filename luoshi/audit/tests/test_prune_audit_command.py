from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent

NOW = datetime(2026, 12, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_prune_removes_only_expired_rows_and_records_itself(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with time_machine.travel(NOW - timedelta(days=400), tick=False):
        record(Event.LOGIN, username="old")
    with time_machine.travel(NOW - timedelta(days=200), tick=False):
        record(Event.LOGIN, username="kept")
    with time_machine.travel(NOW, tick=False):
        call_command("prune_audit", "--days", "365")
    assert sorted(AuditEvent.objects.values_list("username", flat=True)) == ["kept", "system"]
    assert AuditEvent.objects.get(event=Event.AUDIT_PRUNE).detail == {"days": 365, "deleted": 1}
    assert "已删除 1 条" in capsys.readouterr().out


def test_prune_refuses_less_than_the_legal_minimum(db: None) -> None:
    record(Event.LOGIN, username="x")
    with pytest.raises(CommandError, match="至少保存 180 天"):
        call_command("prune_audit", "--days", "30")
    assert AuditEvent.objects.count() == 1
