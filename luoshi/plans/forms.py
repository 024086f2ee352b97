import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Unit, Zone
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import Milestone, PlanItem, Target
from luoshi.sheets.forms import ImportUploadForm

LEVEL_SPLIT = re.compile(r"[/／、,，;；\s]+")


class PlanForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    level_names = forms.CharField(
        label=_("层级名称"),
        max_length=200,
        help_text=_("从上到下，用“/”分隔，如：任务/措施，或 目标/方向/行动/任务/措施"),
    )

    def clean_level_names(self) -> list[str]:
        names = [n for n in LEVEL_SPLIT.split(self.cleaned_data["level_names"]) if n]
        if not names:
            raise forms.ValidationError(_("至少填写一个层级名称"))
        if len(names) > 12:
            raise forms.ValidationError(_("层级最多 12 级"))
        return names


class ItemForm(forms.ModelForm[PlanItem]):
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = PlanItem
        fields = [
            "code",
            "title",
            "description",
            "goal",
            "lead_unit",
            "start_date",
            "due_date",
            "due_text",
            "status",
            "weight",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, zone: Zone, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(zone=zone, is_active=True)
        for name in ("lead_unit", "co_units"):
            cast(forms.ModelChoiceField[Unit], self.fields[name]).queryset = units
        if self.instance.pk:
            self.fields["co_units"].initial = [link.unit_id for link in self.instance.co_unit_links.all()]

    def clean_weight(self) -> Decimal | None:
        weight = self.cleaned_data["weight"]
        if weight is not None and weight < 0:
            raise forms.ValidationError(_("权重不能为负数"))
        return weight

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("完成时限不能早于开始日期"))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=ItemStatus.choices)


class TargetForm(forms.ModelForm[Target]):
    class Meta:
        model = Target
        fields = ["indicator", "unit_of_measure", "baseline", "target_value", "direction"]


class MilestoneForm(forms.ModelForm[Milestone]):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "weight"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_weight(self) -> Decimal | None:
        weight = self.cleaned_data["weight"]
        if weight is not None and weight < 0:
            raise forms.ValidationError(_("权重不能为负数"))
        return weight


class PlanUploadForm(ImportUploadForm):
    file = forms.FileField(
        label=_("文件"), help_text=_("任务分解表（.xlsx）或分工方案（.docx / .txt），不超过 20 MB")
    )
    year = forms.IntegerField(label=_("计划年度"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("计划标题"), max_length=200, required=False, help_text=_("留空则使用文件中的标题")
    )
