from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.assessment.choices import SchemeKind, VersionStatus
from luoshi.assessment.models import Indicator, Scheme, SchemeVersion
from luoshi.lib.periods import parse_period
from luoshi.org.models import Unit, Zone

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code", "name", "unit_of_measure", "direction", "frequency", "source_unit",
            "alert_threshold", "excellence_threshold", "description",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, zone: Zone, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        cast(forms.ModelChoiceField, self.fields["source_unit"]).queryset = Unit.objects.filter(zone=zone)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        taken = Indicator.objects.filter(zone=self.zone, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("代码“%(code)s”已被其他指标使用") % {"code": code})
        return code


class ValuesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel 工作簿（.xlsx），每行一个指标、对象、期间和数值，不超过 10 MB"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]  # Django refuses an empty one before this
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件大小为 %(size).1f MB，超过 10 MB 上限") % {"size": upload.size / 1024 / 1024}
            )
        return upload


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=SchemeKind.choices)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VersionForm(forms.Form):
    structure = forms.CharField(
        label=_("指标体系（CSV）"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "mono"}),
        help_text=_(
            "每行一项：iCode,iName,Level,Parent,Weight[,Direction]。第1层是指标库中的指标代码，"
            "上层是汇总项；权重在同级之间按比例计算；方向留空则取指标库的方向。"
        ),
    )
    pipeline = forms.CharField(
        label=_("计算方法（TOML）"),
        widget=forms.Textarea(attrs={"rows": 10, "class": "mono"}),
        help_text=_("与 luoshi composite 相同的写法：[impute] [screen] [treat] [normalise] [aggregate]"),
    )
    adjustments = forms.CharField(
        label=_("加分与扣分项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}),
        help_text=_("每行一项：指标代码,bonus 或 penalty,上限（可空），如 SATISFACTION_BONUS,bonus,3"),
    )
    contest = forms.CharField(
        label=_("评星与授旗规则（TOML，可空）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "mono"}),
        help_text=_(
            "[stars] enabled = true：每个板块按名次评星（n个单位，第1名n星）；"
            '[[flags]] name = "…" 加 top = 2（前两名授旗）或 rise = 2（比上期进位两名及以上授旗）'
        ),
    )
    note = forms.CharField(label=_("修订说明"), required=False, max_length=2000)

    def clean_adjustments(self) -> list[dict]:
        items = []
        for n, line in enumerate(self.cleaned_data["adjustments"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) not in (2, 3) or parts[1] not in ("bonus", "penalty"):
                raise forms.ValidationError(_("第%(n)d行应写作“指标代码,bonus 或 penalty,上限”") % {"n": n})
            cap = None
            if len(parts) == 3 and parts[2]:
                try:
                    cap = float(parts[2])
                except ValueError:
                    raise forms.ValidationError(_("第%(n)d行的上限不是数字") % {"n": n}) from None
            items.append({"indicator": parts[0], "kind": parts[1], "cap": cap})
        return items


class RunForm(forms.Form):
    version = forms.ModelChoiceField(label=_("版本"), queryset=SchemeVersion.objects.none())
    period = forms.CharField(label=_("期间"), max_length=20, help_text=_("如 2026Q3、2026-09、2026"))
    replications = forms.IntegerField(
        label=_("不确定性分析次数"),
        min_value=0,
        max_value=10_000,
        initial=1000,
        help_text=_("0 为不做；1000 次约需 1 秒"),
    )

    def __init__(self, scheme: Scheme, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        published = scheme.versions.filter(status=VersionStatus.PUBLISHED)
        field = cast(forms.ModelChoiceField, self.fields["version"])
        field.queryset = published
        field.initial = published.first()

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"])[0]
        except ValueError:
            raise forms.ValidationError(_("期间无法识别（如 2026、2026Q3、2026-09）")) from None
