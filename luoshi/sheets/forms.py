"""The upload form every file import starts from: the file, within the size limit and through the checks of
`guard`, and the year it is for. Imports name their fields in their own words by redefining them."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.sheets.guard import checked_upload
from luoshi.sheets.uploads import MAX_FILE_BYTES


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("文件大小为 %(size).1f MB，超过 20 MB 上限") % {"size": upload.size / 1024 / 1024}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的"))
        return checked_upload(upload)
