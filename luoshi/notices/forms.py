from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.notices import hosts
from luoshi.notices.choices import Platform
from luoshi.notices.models import WebhookEndpoint
from luoshi.org.models import Unit, Zone


class EndpointForm(forms.ModelForm[WebhookEndpoint]):
    url = forms.URLField(
        label=_("Webhook 地址"),
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        error_messages={
            "invalid": _("请输入完整的网址，如 https://oapi.dingtalk.com/robot/send?access_token=…")
        },
        help_text=_(
            "只能发往企业微信（qyapi.weixin.qq.com）、钉钉（oapi.dingtalk.com）、飞书（open.feishu.cn、"
            "open.larksuite.com）的 https 地址；自建网关须由服务器管理员加入 LUOSHI_ROBOT_ALLOWED_HOSTS。"
        ),
    )
    secret = forms.CharField(
        label=_("签名密钥"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("钉钉“加签”密钥以 SEC 开头；飞书填“签名校验”密钥；企业微信不填。"),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "platform", "url", "secret", "unit", "is_active"]

    def __init__(self, *args: Any, zone: Zone, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        unit = cast(forms.ModelChoiceField[Unit], self.fields["unit"])
        unit.queryset = Unit.objects.filter(zone=zone, is_active=True)
        unit.empty_label = _("（全区工作群）")
        if self.instance.pk and self.instance.secret:
            self.fields["secret"].help_text = _("已设置密钥；留空则保持不变。")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = WebhookEndpoint.objects.filter(zone=self.zone, name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("已有名为“%(name)s”的群机器人") % {"name": name})
        return name

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        try:
            hosts.check_url(url)  # the platform's own host is checked in clean(), once the platform is known
        except hosts.Refused as refused:
            raise forms.ValidationError(str(refused)) from None
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        secret = (data.get("secret") or "").strip()
        if not secret and self.instance.pk:
            secret = self.instance.secret  # the password box is never filled in again: blank keeps the secret
        platform = data.get("platform")
        if platform and data.get("url"):
            try:
                hosts.check_url(data["url"], platform)
            except hosts.Refused as refused:
                self.add_error("url", str(refused))
        if platform == Platform.DINGTALK and secret and not secret.startswith("SEC"):
            self.add_error("secret", _("钉钉加签密钥以 SEC 开头，请从机器人安全设置中复制完整的密钥"))
        if platform == Platform.WECOM and (data.get("secret") or "").strip():
            self.add_error("secret", _("企业微信群机器人没有签名密钥，请留空"))
        data["secret"] = "" if platform == Platform.WECOM else secret
        return data
