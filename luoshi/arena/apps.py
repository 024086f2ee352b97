from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArenaConfig(AppConfig):
    name = "luoshi.arena"
    label = "arena"
    verbose_name = _("一把手擂台")
