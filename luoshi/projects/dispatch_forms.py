"""Forms of the weekly dispatch meeting. Choices are the meeting's zone and year only, so a unit, project or
blocker of another zone is refused as an invalid choice."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Unit
from luoshi.org.queries import Access, visible_units
from luoshi.projects.choices import BlockerStatus
from luoshi.projects.models import Blocker, Decision, DispatchMeeting, Project


def _text(label: Any, required: Any = None, rows: int = 3, max_length: int = 4000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required is not None,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required} if required else {},
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label=_("会议日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写会议日期"), "invalid": _("请按 2026-11-05 的格式填写日期")},
    )
    chair = forms.CharField(label=_("主持人"), max_length=50, required=False)
    attendees = _text(_("参会单位及人员"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class MinutesForm(forms.Form):
    chair = forms.CharField(label=_("主持人"), max_length=50, required=False)
    attendees = _text(_("参会单位及人员"), rows=2)
    notes = _text(_("会议纪要"), rows=6, max_length=20000)


class ProjectChoiceField(forms.ModelChoiceField[Project]):
    def label_from_instance(self, obj: Project) -> str:
        return obj.name


class BlockerChoiceField(forms.ModelChoiceField[Blocker]):
    def label_from_instance(self, obj: Blocker) -> str:
        return f"{obj.project.name}：{obj.description[:40]}"


class DecisionForm(forms.Form):
    text = _text(_("议定事项"), _("请填写议定事项内容"), rows=2)
    project = ProjectChoiceField(
        label=_("项目"),
        queryset=Project.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择本园区本年度的项目")},
    )
    blocker = BlockerChoiceField(
        label=_("问题"),
        queryset=Blocker.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择本园区未销号的问题")},
    )
    unit = forms.ModelChoiceField(
        label=_("落实单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("不选时由问题的协调单位或项目的责任单位落实"),
        error_messages={"invalid_choice": _("请选择本园区的单位")},
    )
    due = forms.DateField(
        label=_("完成时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按 2026-11-30 的格式填写日期")},
    )

    def __init__(
        self,
        access: Access,
        meeting: DispatchMeeting,
        *args: Any,
        decision: Decision | None = None,
        **kwargs: Any,
    ) -> None:
        """A new decision of `meeting`, or a change to `decision`."""
        if decision is not None and not args and "data" not in kwargs:
            kwargs["initial"] = {
                "text": decision.text,
                "project": decision.project_id,
                "blocker": decision.blocker_id,
                "unit": decision.unit_id,
                "due": decision.due,
            }
        super().__init__(*args, **kwargs)
        self.meeting, self.decision = meeting, decision
        projects = Project.objects.filter(zone=access.zone, year=meeting.year).only("id", "name")
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        chosen = Q(pk=decision.blocker_id) if decision and decision.blocker_id else Q(pk__in=[])
        self.fields["blocker"].queryset = (  # type: ignore[attr-defined]
            Blocker.objects.filter(
                Q(status=BlockerStatus.OPEN) | chosen, zone=access.zone, project__year=meeting.year
            )
            .select_related("project")
            .only("id", "description", "project__name")
        )
        self.fields["unit"].queryset = visible_units(access).only("id", "name")  # type: ignore[attr-defined]

    def clean_due(self) -> Any:
        due = self.cleaned_data.get("due")
        if due is not None and due < self.meeting.held_on:
            raise forms.ValidationError(
                _("完成时限不能早于会议日期 %(held_on)s"), params={"held_on": self.meeting.held_on}
            )
        return due


class OutcomeForm(forms.Form):
    outcome = _text(_("落实结果"), _("请填写落实情况"), rows=2)


class ClearForm(forms.Form):
    resolution = _text(_("解决情况"), _("请填写问题的解决情况"), rows=2)
