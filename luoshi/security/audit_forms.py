from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.audit.choices import Event, Outcome


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("账号"), required=False, max_length=150)
    event = forms.ChoiceField(label=_("事件"), required=False, choices=[("", _("全部"))] + Event.choices)
    outcome = forms.ChoiceField(label=_("结果"), required=False, choices=[("", _("全部"))] + Outcome.choices)
    address = forms.GenericIPAddressField(label=_("地址"), required=False)
    start = forms.DateField(
        label=_("起"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("止"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期"))
        return data
