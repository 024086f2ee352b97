from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.assessment.models import Indicator
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
