from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Accounts and the platform's protection: login, two factors, sessions, the audit pages, backups."""

    name = "luoshi.security"
    label = "security"
    verbose_name = _("安全")

    def ready(self) -> None:
        from luoshi.security import signals  # noqa: F401  (login, logout, failure and lockout audit rows)
