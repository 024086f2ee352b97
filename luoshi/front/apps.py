from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    name = "luoshi.front"
    label = "front"
    verbose_name = _("首页与综合页面")
