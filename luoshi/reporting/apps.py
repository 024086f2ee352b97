from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "luoshi.reporting"
    label = "reporting"
    verbose_name = _("填报")

    def ready(self) -> None:
        from luoshi.plans import signals
        from luoshi.reporting.signals import PROVIDER

        signals.register(PROVIDER)  # the plan tree's progress against planned pace (plans.signals)
