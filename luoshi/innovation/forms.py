from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.innovation.choices import DEPARTMENTS
from luoshi.innovation.models import Enterprise, Field


class FieldChoice(forms.ModelChoiceField[Field]):
    def label_from_instance(self, obj: Field) -> str:
        return f"{obj.column}（{obj.unit}）" if obj.unit else obj.column


class CorrectionForm(forms.Form):
    field = FieldChoice(label=_("数据项"), queryset=Field.objects.none())
    value = forms.DecimalField(label=_("更正后的数值"), max_digits=20, decimal_places=4)
    reason = forms.CharField(label=_("更正理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("证明材料（PDF 或图片，10 MB 以内）"))

    def __init__(self, *args: Any, enterprise: Enterprise, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        choice = self.fields["field"]
        assert isinstance(choice, forms.ModelChoiceField)
        choice.queryset = Field.objects.filter(zone_id=enterprise.zone_id, is_flag=False)

    def clean_value(self) -> Decimal:
        value: Decimal = self.cleaned_data["value"]
        if value < 0:
            raise forms.ValidationError(_("数值不能为负"))
        return value


class FileForm(forms.Form):
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))


class FiguresForm(FileForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("来源部门"), choices=[(s.value, s.label) for s in DEPARTMENTS])


class SettleForm(forms.Form):
    enterprise = forms.IntegerField(widget=forms.HiddenInput)
    field = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)
    source = forms.CharField(max_length=20)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("核实采纳")), ("0", _("不采纳"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("核实意见"), max_length=200, required=False)


class FrameworkForm(forms.Form):
    name = forms.CharField(label=_("框架名称"), max_length=200)
    text = forms.CharField(
        label=_("框架定义（TOML）"), widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"})
    )


class DraftForm(forms.Form):
    text = forms.CharField(
        label=_("框架定义（TOML）"), widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"})
    )


class ScoreForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    version = forms.IntegerField(label=_("积分框架版本"))


class BankListForm(forms.Form):
    name = forms.CharField(label=_("名单名称"), max_length=200)
    dated = forms.DateField(label=_("日期"))
    top = forms.IntegerField(label=_("取前 N 名"), min_value=1, max_value=5000, initial=50)
    tiers = forms.MultipleChoiceField(
        label=_("档次"), choices=[("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")], initial=["A"],
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("金融机构名称"), max_length=100)


class AccountForm(forms.Form):
    username = forms.RegexField(label=_("用户名"), regex=r"^[\w.@+-]{3,150}$", max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    password = forms.CharField(label=_("初始密码"), min_length=10, max_length=128, widget=forms.PasswordInput)
