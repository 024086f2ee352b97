from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSession(models.Model):
    """A signed-in browser, so that people can see where they are signed in and end those sessions. Written at
    login, removed at logout; Django's own session row holds the data."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(_("登录时间"), auto_now_add=True)
    last_seen = models.DateTimeField(_("最近活动"), auto_now_add=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["user", "-last_seen"], name="usersession_user_seen")]

    def __str__(self) -> str:
        return f"{self.user} {self.created:%Y-%m-%d %H:%M}"
