from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "luoshi.alerts"
    label = "alerts"
    verbose_name = _("预警与督办")

    def ready(self) -> None:
        from luoshi.alerts.signals import PROVIDER
        from luoshi.alerts.sources import RuleSource, register
        from luoshi.alerts.sweep import item_warnings
        from luoshi.plans import signals

        register(RuleSource("alerts", item_warnings))
        signals.register(PROVIDER)  # the plan tree's warning dots (plans.signals)
