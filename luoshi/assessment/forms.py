from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from luoshi.assessment import facts
from luoshi.assessment.choices import SchemeKind, VersionStatus
from luoshi.assessment.models import Indicator, Scheme, SchemeVersion
from luoshi.assessment.queries import SheetRow
from luoshi.lib.periods import parse_period
from luoshi.org.models import Unit, Zone
from luoshi.sheets.guard import checked_upload

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class IndicatorForm(forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = [
            "code", "name", "unit_of_measure", "direction", "frequency", "source_unit",
            "alert_threshold", "excellence_threshold", "description",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, zone: Zone, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        cast(forms.ModelChoiceField[Unit], self.fields["source_unit"]).queryset = Unit.objects.filter(
            zone=zone
        )

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

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]  # Django refuses an empty one before this
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件大小为 %(size).1f MB，超过 10 MB 上限") % {"size": upload.size / 1024 / 1024}
            )
        return checked_upload(upload, MAX_UPLOAD_BYTES)


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
        help_text=_(
            "每行一项：指标代码,bonus 或 penalty,上限（可空）,每项分值（可空，默认1），"
            "如 SATISFACTION_BONUS,bonus,3 或 EXEC_MISSING,penalty,20,2（每漏报一次扣2分，最多扣20分）"
        ),
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

    def clean_adjustments(self) -> list[dict[str, Any]]:
        items = []
        for n, line in enumerate(self.cleaned_data["adjustments"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) not in (2, 3, 4) or parts[1] not in ("bonus", "penalty"):
                raise forms.ValidationError(
                    _("第%(n)d行应写作“指标代码,bonus 或 penalty,上限,每项分值”") % {"n": n}
                )
            cap = _number(parts, 2, _("第%(n)d行的上限不是数字") % {"n": n})
            points = _number(parts, 3, _("第%(n)d行的每项分值不是数字") % {"n": n})
            item = {"indicator": parts[0], "kind": parts[1], "cap": cap}
            items.append(item if points is None else {**item, "points": points})
        return items


def _number(parts: list[str], index: int, error: str) -> float | None:
    """An optional number column of an adjustment line (None when absent or blank)."""
    if len(parts) <= index or not parts[index]:
        return None
    try:
        return float(parts[index])
    except ValueError:
        raise forms.ValidationError(error) from None


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

    def __init__(self, scheme: Scheme, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        published = scheme.versions.filter(status=VersionStatus.PUBLISHED)
        field = cast(forms.ModelChoiceField[SchemeVersion], self.fields["version"])
        field.queryset = published
        field.initial = published.first()

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"])[0]
        except ValueError:
            raise forms.ValidationError(_("期间无法识别（如 2026、2026Q3、2026-09）")) from None


class EvaluationForm(forms.Form):
    """The office's marks for a period, one field per unit (blank: no mark)."""

    def __init__(self, rows: list[SheetRow], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[f"u{row.unit.pk}"] = forms.DecimalField(
                label=row.unit.name,
                required=False,
                min_value=0,
                max_value=facts.EVALUATION_MAX,
                max_digits=5,
                decimal_places=2,
                initial=None if row.evaluation is None else row.evaluation.normalize(),  # 17.5, not 17.5000
            )

    def marks(self) -> dict[int, Decimal | None]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class BenchmarkUploadForm(ValuesUploadForm):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel 工作簿（.xlsx）或 CSV，每行一个高新区，不超过 10 MB"),
    )
    period = forms.CharField(label=_("期间"), max_length=20, help_text=_("统计数据所属年份，如 2025"))
    name = forms.CharField(label=_("名称"), max_length=200, initial=_("国家高新区综合评价对标数据"))
    own_name = forms.CharField(
        label=_("本区在表中的名称"),
        max_length=200,
        required=False,
        help_text=_("表中有“本区”列并已标“✓”时可留空"),
    )
    source = forms.CharField(label=_("数据来源"), max_length=200, required=False)

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"])[0]
        except ValueError:
            raise forms.ValidationError(_("期间无法识别（如 2025）")) from None


class GapForm(forms.Form):
    target = forms.IntegerField(label=_("目标名次"), min_value=1, max_value=10_000, initial=10)
