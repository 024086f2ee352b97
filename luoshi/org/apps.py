from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "luoshi.org"
    label = "org"
    verbose_name = _("组织")

    def ready(self) -> None:
        from luoshi import checks  # noqa: F401  (registers the project's system checks)
