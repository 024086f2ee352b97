from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.org.choices import Role, UnitType


class Zone(models.Model):
    """The tenant: every domain row carries its zone so a distributed PostgreSQL can shard by it."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    # A zone setting: whether a unit head approves reports before the supervision office sees them.
    reports_need_approval = models.BooleanField(_("报告须经单位负责人审核"), default=False)
    # Security settings (等保 2.0), changed by the zone's admin on the 安全设置 page and recorded in the audit
    # trail. A person in several zones is held to the strictest of them.
    two_factor_required = models.BooleanField(_("管理员和督查室须使用双因素认证"), default=False)
    session_idle_minutes = models.PositiveIntegerField(_("无操作自动退出（分钟）"), default=30)
    session_max_hours = models.PositiveIntegerField(_("会话最长有效期（小时）"), default=12)
    password_max_age_days = models.PositiveIntegerField(
        _("密码有效期（天）"), default=0, help_text=_("0 表示不过期")
    )
    lockout_failures = models.PositiveIntegerField(_("连续登录失败锁定次数"), default=5)
    lockout_minutes = models.PositiveIntegerField(_("锁定时长（分钟）"), default=30)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def __str__(self) -> str:
        return self.name


class Park(models.Model):
    """One zone, several parks (一区多园)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="parks")
    name = models.CharField(_("名称"), max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="park_unique_name")]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("名称"), max_length=100)
    # Other names offices write for the unit ("区发改局" for "区发展和改革局"), one per line; the import matches them.
    aliases = models.TextField(_("别名"), blank=True, help_text=_("每行一个"))
    type = models.CharField(_("类型"), max_length=20, choices=UnitType.choices, default=UnitType.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    park = models.ForeignKey(
        Park, verbose_name=_("所属园区"), null=True, blank=True, on_delete=models.SET_NULL
    )
    position = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    # Set by the unit list (not columns): how many visible items the unit leads and co-operates on.
    n_lead: int
    n_co: int

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Membership(models.Model):
    """A person's role in a zone, and for unit roles the unit they act for."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit or self.zone}"


class Account(models.Model):
    """What Luoshi keeps about a login beyond Django's user: a mobile number (personal data: shown only on the
    admin's pages), whether the person must choose a new password at the next login (after an admin set or reset
    it), and when they last chose one (for the zones' password expiry)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    must_change_password = models.BooleanField(default=False)
    password_changed = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.user)
