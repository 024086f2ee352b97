import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Unit
from luoshi.plans.models import PlanItem
from luoshi.reporting.actions import ReportInput
from luoshi.reporting.evidence import EVIDENCE_MAX_BYTES
from luoshi.reporting.models import Cycle, LatestValue, Report


class ReportForm(forms.Form):
    """One item's report. Target and milestone fields are added per item: value_<target id>, milestone_<id>.

    `previous` is the unit's last handed-in report for an earlier period. A new report (none saved yet) starts
    from it: its progress, and its next-period plan as this period's work (`prefilled` says so, for the page
    to mark). Progress below it without a reason is refused here as in reporting.actions.save_report, which
    stays the authority."""

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
        previous: Report | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.previous = previous
        self.prefilled = False
        problem_unit = cast(forms.ModelChoiceField[Unit], self.fields["problem_unit"])
        problem_unit.queryset = Unit.objects.filter(zone_id=item.zone_id, is_active=True)
        if unit_choices is not None:
            # A page of many cards renders one list of units, read once, instead of one query per card.
            problem_unit.choices = unit_choices
        values = {v.target_id: v.value for v in report.values.all()} if report else {}
        reached = {m.milestone_id for m in report.milestones_reached.all()} if report else set()
        for target in item.targets.all():
            # A target bound to an indicator shows the indicator's value and asks for nothing.
            shown = values.get(target.pk) if target.reported else _value(_latest(target))
            self.fields[f"value_{target.pk}"] = forms.DecimalField(
                label=f"{target.indicator}（{target.unit_of_measure or _('实际值')}）",
                required=False,
                max_digits=18,
                decimal_places=4,
                initial=_shown(shown, target.unit_of_measure),
                disabled=not target.reported,
            )
        for milestone in item.milestones.all():
            self.fields[f"milestone_{milestone.pk}"] = forms.BooleanField(
                label=milestone.title,
                required=False,
                initial=milestone.done or milestone.pk in reached,
                disabled=milestone.done,
            )
        if report and not self.is_bound:
            for name in ("work_done", "next_plan", "regress_reason"):
                self.fields[name].initial = getattr(report, name)
            self.fields["progress"].initial = figure(report.progress)
        elif previous is not None and not self.is_bound:
            self.fields["progress"].initial = figure(previous.progress)
            if previous.next_plan.strip():
                self.fields["work_done"].initial = previous.next_plan.strip()
                self.prefilled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        progress, before = data.get("progress"), self.previous.progress if self.previous else None
        if progress is not None and before is not None and progress < before:
            if not data.get("regress_reason", "").strip():
                message = _("进度由上期的%(before)s%%降到%(now)s%%，请填写进度回退说明")
                self.add_error(
                    "regress_reason", message % {"before": figure(before), "now": figure(progress)}
                )
        return data

    def clean_evidence(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence")
        if upload and upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("附件不能超过 10 MB"))
        return upload

    def target_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("value_")]

    def target_rows(self) -> list[tuple[forms.BoundField, str]]:
        """Each target's field with what it is measured against: its goal and its last reported value."""
        rows = []
        for target in self.item.targets.all():
            unit = target.unit_of_measure
            hint = _("目标 %(goal)s%(unit)s") % {"goal": figure(target.target_value, unit), "unit": unit}
            latest = _latest(target)
            if not target.reported:
                hint += _("，实际值取自指标库，无需填报")
            elif latest is not None:
                hint += _("，最近报送 %(value)s%(unit)s（截至 %(on)s）") % {
                    "value": figure(latest.value, unit),
                    "unit": unit,
                    "on": latest.ends_on.strftime("%m-%d"),
                }
            rows.append((self[f"value_{target.pk}"], str(hint)))
        return rows

    def milestone_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("milestone_")]

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        values = {
            int(name.removeprefix("value_")): value
            for name, value in data.items()
            if name.startswith("value_") and value is not None and not self.fields[name].disabled
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


def _shown(value: Decimal | None, unit: str) -> str | None:
    return None if value is None else figure(value, unit)


def _value(latest: LatestValue | None) -> Decimal | None:
    return latest.value if latest is not None else None


def _latest(target: Any) -> LatestValue | None:
    try:
        latest: LatestValue = target.latest
    except LatestValue.DoesNotExist:
        return None
    return latest


COUNTED = frozenset("家个项人名亩件套台座所次户栋条场批篇部支")


def figure(value: Decimal, unit: str = "%") -> str:
    """A reported number as people write it: counts as whole numbers when whole, percentages with at most one
    decimal, other quantities (万元, 亿元, 平方米…) with at most two; no trailing zeros."""
    places = 1 if unit in ("%", "％", "个百分点") else 2
    if unit in COUNTED and value == value.to_integral_value():
        places = 0
    rounded = value.quantize(Decimal(1).scaleb(-places)) if places else value.quantize(Decimal(1))
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
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
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    planned = forms.DecimalField(
        label=_("计划进度（%）"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=1
    )


def unit_choices(zone_id: int) -> list[tuple[int | str, str]]:
    """The choices of ReportForm's unit field, for pages that render many forms."""
    units = Unit.objects.filter(zone_id=zone_id, is_active=True).values_list("pk", "name")
    return [("", "---------"), *units]


class ApprovalStepForm(forms.Form):
    reports_need_approval = forms.BooleanField(
        label=_("报告须经单位负责人审核"),
        required=False,
        help_text=_("开启后，联络员提交的报告先由本单位负责人审核，再报督查室验收；关闭则直接报督查室。"),
    )
