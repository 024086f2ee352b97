from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "luoshi.goals"
    label = "goals"
    verbose_name = _("目标贯通")

    def ready(self) -> None:
        from luoshi.goals import binding, imports

        imports.register()
        binding.register()
