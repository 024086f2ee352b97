from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from luoshi.org.actions import SECURITY_FIELDS
from luoshi.org.models import Zone


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("身份验证器中的 6 位数字，或一个 8 位恢复码"),
    )


class OwnPasswordForm(forms.Form):
    """Change one's own password: the current one first, so a borrowed session cannot change it."""

    current = forms.CharField(
        label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    password = forms.CharField(
        label=_("新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    again = forms.CharField(
        label=_("再次输入新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current(self) -> str:
        current = self.cleaned_data["current"]
        if not self.user.check_password(current):
            raise forms.ValidationError(_("当前密码不正确"))
        return current

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("again")
        if password and again and password != again:
            self.add_error("again", _("两次输入的新密码不一致"))
        elif password:
            if password == data.get("current"):
                self.add_error("password", _("新密码不能与当前密码相同"))
            else:
                try:
                    password_validation.validate_password(password, self.user)
                except forms.ValidationError as error:
                    self.add_error("password", error)
        return data


class SecuritySettingsForm(forms.ModelForm[Zone]):
    class Meta:
        model = Zone
        fields = list(SECURITY_FIELDS)

    # Bounds a level-3 review accepts: short idle time, a lockout that slows guessing, an expiry under a year.
    BOUNDS = {
        "session_idle_minutes": (5, 120),
        "session_max_hours": (1, 24),
        "password_max_age_days": (0, 365),
        "lockout_failures": (3, 10),
        "lockout_minutes": (10, 1440),
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, (low, high) in self.BOUNDS.items():
            value = data.get(field)
            if value is not None and not low <= value <= high:
                self.add_error(field, _("应在 %(low)s 到 %(high)s 之间") % {"low": low, "high": high})
        return data
