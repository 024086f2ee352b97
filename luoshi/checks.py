"""System checks for a misconfigured deployment (run by `luoshi check` and at every start)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Tags, Warning, register

DEV_KEY = "luoshi-insecure-development-key-do-not-use-in-production"


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Warning]:
    if settings.SECRET_KEY == DEV_KEY:
        return [
            Warning(
                "LUOSHI_SECRET_KEY is not set: sessions are signed with the public development key.",
                hint="Set LUOSHI_SECRET_KEY to a long random string in the server's environment.",
                id="luoshi.W001",
            )
        ]
    return []
