from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.alerts.choices import BehindProfile, Evaluation
from luoshi.alerts.models import Warning, WarningRule
from luoshi.alerts.queries import order_leaders, visible_warnings
from luoshi.alerts.rules import DEFAULTS, LIMITS, Thresholds, effective
from luoshi.alerts.triage import NOTE_MAX, REASON_MIN
from luoshi.org.models import Unit
from luoshi.org.queries import Access, visible_units
from luoshi.plans.models import PlanItem
from luoshi.plans.queries import visible_items

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
    "escalate_days": _("逾期超过几天提请领导督办"),
    "red_months": _("连续几个月未开工为红色"),
    "yellow_months": _("开工满几个月未入库为黄色"),
    "red_after_months": _("开工超过几个月未入库为红色"),
}
# (lower, higher) pairs that must not cross.
ORDERED = [
    ("yellow_pp", "red_pp"),
    ("yellow_rel", "red_rel"),
    ("reports", "red_reports"),
    ("yellow_months", "red_after_months"),
]


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


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("督查室备注"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写备注内容")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note_%s")  # beside DismissForm on one page
        super().__init__(*args, **kwargs)


class DismissForm(forms.Form):
    text = forms.CharField(
        label=_("核销理由"),
        min_length=REASON_MIN,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请说明核销理由"),
            "min_length": _("请说明核销理由（至少%(limit_value)d个字）"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "dismiss_%s")
        super().__init__(*args, **kwargs)


class RuleForm(forms.Form):
    """On/off and one field per threshold of the rule, typed after its default."""

    enabled = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, rule: WarningRule, *args: Any, **kwargs: Any) -> None:
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
                    label=label, min_value=2 if key == "reports" else 0, max_value=LIMITS.get(key, 60)
                )

    def clean(self) -> dict[str, Any]:
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


def _text(label: Any, required: Any, rows: int = 4, max_length: int = 4000) -> forms.CharField:
    """A required text area (label and message are lazy translations)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required},
    )


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.first_name or obj.username


class OrderForm(forms.Form):
    """A new order, by hand or prefilled from a warning (its reason, item and unit) or an item."""

    subject = forms.CharField(
        label=_("督办事项"), max_length=200, error_messages={"required": _("请填写督办事项")}
    )
    unit = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Unit.objects.none(),
        error_messages={"required": _("请选择责任单位"), "invalid_choice": _("请选择本园区的责任单位")},
    )
    leader = PersonChoiceField(
        label=_("包抓领导"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("逾期未反馈时提请该领导督办；不选则提请本园区的领导。"),
        error_messages={"invalid_choice": _("请选择本园区的领导")},
    )
    requirement = _text(_("督办要求"), _("请填写督办要求"), max_length=2000)
    deadline = forms.DateField(
        label=_("办理时限"),
        # ISO, whatever the site's date format: <input type=date> drops any other value (2026/12/20).
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写办理时限"), "invalid": _("请按 2026-07-31 的格式填写日期")},
    )
    item = forms.ModelChoiceField(queryset=PlanItem.objects.none(), required=False, widget=forms.HiddenInput)
    warning = forms.ModelChoiceField(
        queryset=Warning.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, access: Access, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Unit], self.fields["unit"]).queryset = visible_units(access).filter(
            is_active=True
        )
        cast(PersonChoiceField, self.fields["leader"]).queryset = order_leaders(access)
        cast(forms.ModelChoiceField[PlanItem], self.fields["item"]).queryset = visible_items(access)
        cast(forms.ModelChoiceField[Warning], self.fields["warning"]).queryset = visible_warnings(access)

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("办理时限不能早于今天"))
        return deadline


def prefill_from_warning(warning: Warning) -> dict[str, object]:
    """What an order made from a warning starts with: its item (order, project) and reason as the subject, the
    item, the unit."""
    subject = warning.item or warning.order or warning.project
    about = (
        getattr(subject, "title", None) or getattr(subject, "subject", None) or getattr(subject, "name", "")
    )
    return {
        "subject": (f"{about}：{warning.text}" if about else warning.text)[:200],
        "item": warning.item_id,
        "warning": warning.pk,
        "unit": warning.unit_id,
        "requirement": _("请针对“%(reason)s”查明原因、落实整改，并于办理时限前书面反馈办理情况。")
        % {"reason": warning.text},
    }


class FeedbackForm(forms.Form):
    feedback = _text(_("办理情况"), _("请填写办理情况"), rows=5)


class ReturnForm(forms.Form):
    reason = _text(_("退回理由"), _("请填写退回理由"), rows=3, max_length=2000)


class CloseForm(forms.Form):
    evaluation = forms.ChoiceField(
        label=_("评价"),
        choices=[("", "---------"), *Evaluation.choices],
        error_messages={"required": _("请选择评价等级"), "invalid_choice": _("请选择评价等级")},
    )
    comment = forms.CharField(
        label=_("评价意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# The leader's steps on an escalated order ------------------------------------------------------------------

INSTRUCTION_MAX = 2000
NOTE_MAX = 500


class InstructForm(forms.Form):
    text = forms.CharField(
        label=_("批示内容"),
        max_length=INSTRUCTION_MAX,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("如：请责任单位三日内拿出整改方案，督查室跟踪落实。")}
        ),
        error_messages={
            "required": _("请填写批示内容"),
            "max_length": _("批示内容不能超过%(limit_value)d个字（现有%(show_value)d个）"),
        },
    )


def _note_field(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=NOTE_MAX,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("附言不能超过%(limit_value)d个字（现有%(show_value)d个）")},
    )


class UrgeForm(forms.Form):
    note = _note_field(_("催办附言"), _("选填；催办消息写明您的姓名和办理时限。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_urge_%s")  # the order page also has the handover's note
        super().__init__(*args, **kwargs)


class HandForm(forms.Form):
    """转交: to another leader of the zone (the order's current leader is not offered)."""

    to = PersonChoiceField(
        label=_("转交给"),
        queryset=User.objects.none(),
        error_messages={"required": _("请选择接手的领导"), "invalid_choice": _("请选择本园区的其他领导")},
    )
    note = _note_field(_("转交说明"))

    def __init__(self, access: Access, current: User | None, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_hand_%s")
        super().__init__(*args, **kwargs)
        leaders = order_leaders(access).exclude(pk=access.user_id)
        if current is not None:
            leaders = leaders.exclude(pk=current.pk)
        cast(PersonChoiceField, self.fields["to"]).queryset = leaders
