import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Unit
from luoshi.plans.models import PlanItem
from luoshi.reporting.actions import EVIDENCE_MAX_BYTES, ReportInput
from luoshi.reporting.models import Cycle, Report


class ReportForm(forms.Form):
    """One item's report. Target and milestone fields are added per item: value_<target id>, milestone_<id>."""

    progress = forms.DecimalField(
        label=_("进度（%）"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=1
    )
    work_done = forms.CharField(
        label=_("本期工作"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    next_plan = forms.CharField(
        label=_("下期计划"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )
    regress_reason = forms.CharField(label=_("进度回退说明"), max_length=1000, required=False)
    problem = forms.CharField(
        label=_("需协调解决的问题"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    problem_unit = forms.ModelChoiceField(
        label=_("请求协调单位"), queryset=Unit.objects.none(), required=False
    )
    evidence = forms.FileField(
        label=_("佐证材料"), required=False, help_text=_("PDF、图片、Word、Excel，单个不超过 10 MB")
    )

    def __init__(
        self,
        *args: Any,
        item: PlanItem,
        report: Report | None,
        unit_choices: list[tuple[int | str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        problem_unit = cast(forms.ModelChoiceField[Unit], self.fields["problem_unit"])
        problem_unit.queryset = Unit.objects.filter(zone_id=item.zone_id, is_active=True)
        if unit_choices is not None:
            # A page of many cards renders one list of units, read once, instead of one query per card.
            problem_unit.choices = unit_choices
        values = {v.target_id: v.value for v in report.values.all()} if report else {}
        reached = {m.milestone_id for m in report.milestones_reached.all()} if report else set()
        for target in item.targets.all():
            self.fields[f"value_{target.pk}"] = forms.DecimalField(
                label=f"{target.indicator}（{target.unit_of_measure or _('实际值')}）",
                required=False,
                max_digits=18,
                decimal_places=4,
                initial=values.get(target.pk),
            )
        for milestone in item.milestones.all():
            self.fields[f"milestone_{milestone.pk}"] = forms.BooleanField(
                label=milestone.title,
                required=False,
                initial=milestone.done or milestone.pk in reached,
                disabled=milestone.done,
            )
        if report and not self.is_bound:
            for name in ("progress", "work_done", "next_plan", "regress_reason"):
                self.fields[name].initial = getattr(report, name)

    def clean_evidence(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence")
        if upload and upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("附件不能超过 10 MB"))
        return upload

    def target_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("value_")]

    def milestone_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("milestone_")]

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        values = {
            int(name.removeprefix("value_")): value
            for name, value in data.items()
            if name.startswith("value_") and value is not None
        }
        milestones = {
            int(name.removeprefix("milestone_"))
            for name, ticked in data.items()
            if name.startswith("milestone_") and ticked and not self.fields[name].disabled
        }
        problems = [(data["problem"], data["problem_unit"])] if data.get("problem", "").strip() else []
        return ReportInput(
            progress=data["progress"],
            work_done=data["work_done"],
            next_plan=data.get("next_plan", ""),
            regress_reason=data.get("regress_reason", ""),
            values=values,
            milestones=milestones,
            problems=problems,
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=1000)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("解决情况"), max_length=2000)


class CycleForm(forms.ModelForm[Cycle]):
    class Meta:
        model = Cycle
        fields = [
            "cadence",
            "due_weekday",
            "due_day",
            "due_time",
            "due_early",
            "grace_days",
            "starts_on",
            "active",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label=_("类型"),
        choices=[("0", _("放假")), ("1", _("上班（调休）"))],
        coerce=lambda value: value == "1",
    )
    name = forms.CharField(label=_("说明"), max_length=40, required=False)

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("日期超出范围"))
        return day


class TrajectoryForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    planned = forms.DecimalField(
        label=_("计划进度（%）"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=1
    )


def unit_choices(zone_id: int) -> list[tuple[int | str, str]]:
    """The choices of ReportForm's unit field, for pages that render many forms."""
    units = Unit.objects.filter(zone_id=zone_id, is_active=True).values_list("pk", "name")
    return [("", "---------"), *units]
