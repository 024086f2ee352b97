from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pytest_django import Settings
from time_machine import TimeMachineFixture

from luoshi.notices.tests.servers import Receiver, Smtp, start_receiver, start_smtp

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def notice_settings(settings: Settings) -> Settings:
    """Short timeouts keep the hanging-receiver tests fast; links get a known site address."""
    settings.LUOSHI_NOTICE_TIMEOUT = 0.3
    settings.LUOSHI_SITE_URL = "https://luoshi.test"
    settings.LUOSHI_OUTBOX_MAX_ATTEMPTS = 3
    return settings


@pytest.fixture
def receiver(settings: Settings) -> Iterator[Receiver]:
    """A local robot receiver, allow-listed as a self-hosted gateway (127.0.0.1 is refused otherwise)."""
    receiver = start_receiver()
    receiver.hang_seconds = 1.0
    settings.LUOSHI_ROBOT_ALLOWED_HOSTS = [f"http://127.0.0.1:{receiver.server.server_address[1]}"]
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def smtp(settings: Settings) -> Iterator[Smtp]:
    server = start_smtp()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "luoshi@example.gov.cn"
    settings.LUOSHI_EMAIL_ENABLED = True
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def frozen(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine
