from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "luoshi.projects"
    label = "projects"
    verbose_name = _("重点项目")

    def ready(self) -> None:
        # The key-project rules join the warning sweep, after alerts' own (INSTALLED_APPS order).
        from luoshi.alerts.sources import register
        from luoshi.projects.warning_rules import SOURCE

        register(SOURCE)
