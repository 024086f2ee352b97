"""Forms of the project pages. Each says in Chinese which field is wrong and why; the actions then write."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from luoshi.org.models import Park, Unit
from luoshi.org.queries import Access, visible_parks, visible_units
from luoshi.projects.actions.stages import out_of_order
from luoshi.projects.choices import Approval, Stage
from luoshi.projects.listing import month_span
from luoshi.projects.models import ApprovalStep, Blocker, Project, StageDate
from luoshi.projects.queries import visible_projects, zone_boundary

# 1 万亿元: no project is that large; a figure beyond it was typed in 元.
MAX_WAN = Decimal(100_000_000)
# China's extent, for zones without an uploaded boundary.
CHINA_LON = (Decimal(73), Decimal(136))
CHINA_LAT = (Decimal(3), Decimal(54))
DATE_INPUT = {"type": "date"}


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")
    )


class MoneyField(forms.DecimalField):
    """An amount in 万元: not negative, not absurd, two decimals at most."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=14, decimal_places=2, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value < 0:
            raise forms.ValidationError(_("不能为负数"))
        if value > MAX_WAN:
            raise forms.ValidationError(_("金额超过 1 万亿元，请确认是以万元填写"))


class ProjectForm(forms.ModelForm[Project]):
    total_investment_wan = MoneyField(label=_("总投资（万元）"))
    annual_plan_wan = MoneyField(label=_("年度计划投资（万元）"))

    class Meta:
        model = Project
        fields = [
            "name",
            "code",
            "parent",
            "category",
            "level",
            "construction",
            "owner",
            "owner_uscc",
            "content",
            "park",
            "lead_unit",
            "leader",
            "service_officer",
            "chain",
            "stage",
            "progress_text",
            "total_investment_wan",
            "annual_plan_wan",
            "longitude",
            "latitude",
            "stats_entered_on",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "progress_text": forms.Textarea(attrs={"rows": 2}),
            "stats_entered_on": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, access: Access, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access, self.year = access, year
        majors = visible_projects(access).filter(year=year, parent__isnull=True)
        if self.instance.pk:
            majors = majors.exclude(pk=self.instance.pk)
        cast(forms.ModelChoiceField[Project], self.fields["parent"]).queryset = majors.only("id", "name")
        cast(forms.ModelChoiceField[Park], self.fields["park"]).queryset = visible_parks(access)
        cast(forms.ModelChoiceField[Unit], self.fields["lead_unit"]).queryset = visible_units(access).filter(
            is_active=True
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = visible_projects(self.access).filter(year=self.year, name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("%(year)d年度已有同名项目“%(name)s”") % {"year": self.year, "name": name}
            )
        return name

    def clean_owner_uscc(self) -> str:
        code = self.cleaned_data["owner_uscc"].strip().upper()
        if not code:
            return code
        try:
            return uscc.validate(code)
        except InvalidLength:
            raise forms.ValidationError(_("统一社会信用代码应为 18 位")) from None
        except InvalidChecksum:
            raise forms.ValidationError(
                _("统一社会信用代码“%(code)s”校验位不正确") % {"code": code}
            ) from None
        except ValidationError:
            raise forms.ValidationError(_("统一社会信用代码“%(code)s”格式不正确") % {"code": code}) from None

    def clean_parent(self) -> Project | None:
        parent = self.cleaned_data["parent"]
        if parent is not None and self.instance.pk and self.instance.children.exists():
            raise forms.ValidationError(_("该项目下有子项目，不能再归入其他重大项目"))
        return parent

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        total, annual = data.get("total_investment_wan"), data.get("annual_plan_wan")
        if total and annual is not None and annual > total:
            self.add_error("annual_plan_wan", _("年度计划投资不能超过总投资"))
        completed = self.instance.completed_wan if self.instance.pk else Decimal(0)
        if total and completed > total:
            self.add_error(
                "total_investment_wan",
                _("总投资不能小于本年已完成投资 %(done)s 万元") % {"done": completed},
            )
        self._clean_coordinates(data.get("longitude"), data.get("latitude"))
        return data

    def _clean_coordinates(self, lon: Decimal | None, lat: Decimal | None) -> None:
        if lon is None and lat is None:
            return
        if lon is None or lat is None:
            self.add_error("longitude" if lon is None else "latitude", _("经度和纬度应同时填写"))
            return
        boundary = zone_boundary(self.access)
        if boundary is not None:
            inside = (
                boundary.min_lon <= lon <= boundary.max_lon and boundary.min_lat <= lat <= boundary.max_lat
            )
            if not inside:
                self.add_error(
                    "longitude",
                    _("坐标（经度 %(lon)s，纬度 %(lat)s）不在%(name)s范围内")
                    % {"lon": lon, "lat": lat, "name": boundary.name},
                )
            return
        if not CHINA_LON[0] <= lon <= CHINA_LON[1]:
            self.add_error("longitude", _("经度应在 73 至 136 之间（东经）"))
        if not CHINA_LAT[0] <= lat <= CHINA_LAT[1]:
            self.add_error("latitude", _("纬度应在 3 至 54 之间（北纬）"))


class YearForm(forms.Form):
    """The ledger year of a new project."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class InvestmentForm(forms.Form):
    """The year's actual investment from January to the end of a month (1-N月累计完成)."""

    month = forms.TypedChoiceField(label=_("月份"), coerce=int)
    actual_cum_wan = MoneyField(
        label=_("累计完成（万元）"), required=False, help_text=_("留空表示撤回该月数据")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(m, month_span(m)) for m in range(1, 13)]
        cast(forms.TypedChoiceField, self.fields["month"]).choices = choices


class MonthlyPlanForm(forms.Form):
    """The plan to the end of each month, cumulative from January."""

    def __init__(self, *args: Any, current: Mapping[int, Decimal | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month in range(1, 13):
            self.fields[f"m{month}"] = MoneyField(
                label=_("%(span)s计划") % {"span": month_span(month)},
                required=False,
                initial=current.get(month),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        last: tuple[int, Decimal] | None = None
        for month in range(1, 13):
            value = data.get(f"m{month}")
            if value is None:
                continue
            if last is not None and value < last[1]:
                self.add_error(
                    f"m{month}",
                    _("累计计划不能小于1-%(before)d月的 %(amount)s 万元")
                    % {"before": last[0], "amount": last[1]},
                )
            last = (month, value)
        return data

    def plan(self) -> dict[int, Decimal | None]:
        return {month: self.cleaned_data.get(f"m{month}") for month in range(1, 13)}


class StageDatesForm(forms.Form):
    """Planned and actual dates of every stage, in order."""

    def __init__(self, *args: Any, current: Mapping[int, StageDate], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for stage in Stage:
            row = current.get(stage)
            self.fields[f"planned_{stage}"] = _date_field(_("%(stage)s计划日期") % {"stage": stage.label})
            self.fields[f"actual_{stage}"] = _date_field(_("%(stage)s实际日期") % {"stage": stage.label})
            if row is not None:
                self.fields[f"planned_{stage}"].initial = row.planned
                self.fields[f"actual_{stage}"].initial = row.actual

    def rows(self) -> list[tuple[Stage, forms.BoundField, forms.BoundField]]:
        return [(stage, self[f"planned_{stage}"], self[f"actual_{stage}"]) for stage in Stage]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for stage in Stage:
            actual = data.get(f"actual_{stage}")
            if actual and actual > self.today:
                self.add_error(f"actual_{stage}", _("实际日期不能晚于今天"))
        for kind, label in (("planned", _("计划")), ("actual", _("实际"))):
            wrong = out_of_order({stage: data.get(f"{kind}_{stage}") for stage in Stage})
            if wrong is not None:
                earlier, later = Stage(wrong[0]), Stage(wrong[1])
                self.add_error(
                    f"{kind}_{later}",
                    _("%(later)s%(kind)s日期 %(date)s 早于%(earlier)s的 %(before)s")
                    % {
                        "later": later.label,
                        "kind": label,
                        "date": data[f"{kind}_{later}"],
                        "earlier": earlier.label,
                        "before": data[f"{kind}_{earlier}"],
                    },
                )
        return data

    def dates(self) -> dict[int, tuple[date | None, date | None]]:
        data = self.cleaned_data
        return {int(stage): (data.get(f"planned_{stage}"), data.get(f"actual_{stage}")) for stage in Stage}


class ApprovalsForm(forms.Form):
    """The approvals checklist (前期手续): planned and obtained dates, and a note."""

    def __init__(self, *args: Any, current: Mapping[str, ApprovalStep], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for kind in Approval:
            row = current.get(kind)
            self.fields[f"planned_{kind}"] = _date_field(_("%(kind)s计划办结") % {"kind": kind.label})
            self.fields[f"done_{kind}"] = _date_field(_("%(kind)s办结日期") % {"kind": kind.label})
            self.fields[f"note_{kind}"] = forms.CharField(
                label=_("%(kind)s备注") % {"kind": kind.label}, max_length=200, required=False
            )
            if row is not None:
                self.fields[f"planned_{kind}"].initial = row.planned
                self.fields[f"done_{kind}"].initial = row.done_on
                self.fields[f"note_{kind}"].initial = row.note

    def rows(self) -> list[tuple[Approval, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (kind, self[f"planned_{kind}"], self[f"done_{kind}"], self[f"note_{kind}"]) for kind in Approval
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in Approval:
            done = data.get(f"done_{kind}")
            if done and done > self.today:
                self.add_error(f"done_{kind}", _("办结日期不能晚于今天"))
        return data

    def approvals(self) -> dict[str, tuple[date | None, date | None, str]]:
        data = self.cleaned_data
        return {
            str(kind): (data.get(f"planned_{kind}"), data.get(f"done_{kind}"), data.get(f"note_{kind}", ""))
            for kind in Approval
        }


class BlockerForm(forms.ModelForm[Blocker]):
    class Meta:
        model = Blocker
        fields = ["description", "category", "unit", "deadline"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, access: Access, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        cast(forms.ModelChoiceField[Unit], self.fields["unit"]).queryset = visible_units(access).filter(
            is_active=True
        )

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("请填写问题描述"))
        return text

    def clean_deadline(self) -> date | None:
        deadline = self.cleaned_data["deadline"]
        # An overdue blocker keeps its deadline when only its text or unit changes.
        if deadline is not None and deadline < self.today and deadline != self.initial.get("deadline"):
            raise forms.ValidationError(_("解决时限不能早于今天"))
        return deadline


class ClearBlockerForm(forms.Form):
    resolution = forms.CharField(label=_("解决情况"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_resolution(self) -> str:
        text = self.cleaned_data["resolution"].strip()
        if not text:
            raise forms.ValidationError(_("请填写解决情况"))
        return text


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("照片"), help_text=_("JPEG、PNG 或 WebP 图片，不超过 10 MB"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)
    taken_on = _date_field(_("拍摄日期"))
