from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo zone: the top layer, built from every app's actions (`luoshi demo`)."""

    name = "luoshi.demo"
    label = "demo"
    verbose_name = _("演示")
