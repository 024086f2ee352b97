from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.alerts.choices import BehindProfile
from luoshi.alerts.models import WarningRule
from luoshi.alerts.rules import DEFAULTS, Thresholds, effective

# What each threshold means, for the rule form.
LABELS = {
    "red_consecutive": _("连续未报几期为红色"),
    "reports": _("连续几次报送"),
    "red_reports": _("连续几次报送无进展为红色"),
    "profile": _("判定方式"),
    "yellow_pp": _("黄色：落后百分点（≥）"),
    "red_pp": _("红色：落后百分点（≥）"),
    "yellow_rel": _("黄色：相对差距（>，0–1）"),
    "red_rel": _("红色：相对差距（>，0–1）"),
    "red_days": _("逾期超过几天为红色"),
    "grace_days": _("允许晚于时限的天数"),
    "workdays": _("提前几个工作日提醒"),
}
# (lower, higher) pairs that must not cross.
ORDERED = [("yellow_pp", "red_pp"), ("yellow_rel", "red_rel"), ("reports", "red_reports")]


class AcknowledgeForm(forms.Form):
    explanation = forms.CharField(
        label=_("情况说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请说明出现预警的原因")},
    )
    rectification = forms.CharField(
        label=_("整改措施"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写整改措施和完成时间")},
    )


class RuleForm(forms.Form):
    """On/off and one field per threshold of the rule, typed after its default."""

    enabled = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, rule: WarningRule, *args, **kwargs) -> None:
        current = effective(rule.code, rule.thresholds)
        kwargs.setdefault("initial", {"enabled": rule.enabled, **current})
        super().__init__(*args, **kwargs)
        for key, default in DEFAULTS[rule.code].thresholds.items():
            label = LABELS.get(key, key)
            if key == "profile":
                self.fields[key] = forms.ChoiceField(label=label, choices=BehindProfile.choices)
            elif isinstance(default, float):
                self.fields[key] = forms.FloatField(label=label, min_value=0)
            else:  # counts of reports or days; a run or a rate needs two reports at least
                self.fields[key] = forms.IntegerField(
                    label=label, min_value=2 if key == "reports" else 0, max_value=60
                )

    def clean(self) -> dict:
        data = super().clean() or {}
        for low, high in ORDERED:
            if low in data and high in data and data[low] > data[high]:
                self.add_error(high, _("不能小于%(other)s") % {"other": self.fields[low].label})
        return data

    def thresholds(self) -> Thresholds:
        return {key: self.cleaned_data[key] for key in self.fields if key != "enabled"}


def threshold_rows(rule: WarningRule) -> list[tuple[str, object]]:
    """(label, value) of each of the rule's effective thresholds, for reading."""
    profiles = dict(BehindProfile.choices)
    return [
        (str(LABELS.get(key, key)), profiles.get(value, value) if key == "profile" else value)
        for key, value in effective(rule.code, rule.thresholds).items()
    ]
