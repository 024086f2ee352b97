"""Robot answers were stored in the error texts ("HTTP 500 <body>", "平台应答…：<body>"); keep only the HTTP
status and the platform's error code. Attempts without a status never got an answer, so their texts stay."""

import re

from django.db import migrations

CODE = re.compile(r"\b(errcode|code)=(-?\d{1,9})\b")


def _scrubbed(status: int, text: str) -> tuple[str, int | None]:
    found = CODE.search(text)
    if found is None:
        return f"HTTP {status}", None
    return f"HTTP {status} {found[1]}={found[2]}", int(found[2])


def scrub(apps, schema_editor) -> None:
    DeliveryAttempt = apps.get_model("notices", "DeliveryAttempt")
    OutboxMessage = apps.get_model("notices", "OutboxMessage")
    attempts = DeliveryAttempt.objects.filter(
        message__channel="webhook", ok=False, status_code__isnull=False
    ).only("pk", "status_code", "error")
    batch = []
    for attempt in attempts.iterator(chunk_size=1000):
        attempt.error, attempt.platform_code = _scrubbed(attempt.status_code, attempt.error)
        batch.append(attempt)
    DeliveryAttempt.objects.bulk_update(batch, ["error", "platform_code"], batch_size=1000)
    messages = OutboxMessage.objects.filter(channel="webhook").exclude(last_error="").only("pk", "last_error")
    changed = []
    for message in messages.iterator(chunk_size=1000):
        latest = DeliveryAttempt.objects.filter(message_id=message.pk).order_by("-started", "-pk").first()
        if latest is not None and latest.status_code is not None:
            message.last_error = latest.error
            message.last_status_code, message.last_platform_code = latest.status_code, latest.platform_code
            changed.append(message)
    OutboxMessage.objects.bulk_update(
        changed, ["last_error", "last_status_code", "last_platform_code"], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0002_delivery_status_and_platform_codes"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
