import re
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from luoshi.arena.actions import ArenaRefused, Seat, check_criteria
from luoshi.arena.choices import Grading
from luoshi.arena.models import ArenaSession
from luoshi.arena.queries import people_roles, zone_people
from luoshi.lib.periods import parse_period
from luoshi.org.models import Unit, Zone

# "工作成效,40", "工作成效，40", "工作成效：40" or "工作成效 40"
CRITERION_LINE = re.compile(r"^(.+?)\s*[,，:：\s]\s*([^,，:：\s]+)$")
LAST = 10_000  # units given no place on the running order go after the others, in the zone's unit order


class JudgeField(forms.ModelMultipleChoiceField[User]):
    """The zone's people, each named with their roles so two people of one name can be told apart."""

    def __init__(self, zone: Zone, **kwargs: Any) -> None:
        super().__init__(queryset=zone_people(zone), widget=forms.CheckboxSelectMultiple, **kwargs)
        self.roles = people_roles(zone)

    def label_from_instance(self, obj: User) -> str:
        name, roles = obj.first_name or obj.username, self.roles.get(obj.pk)
        return _("%(name)s（%(roles)s）") % {"name": name, "roles": "、".join(roles)} if roles else name


class SessionForm(forms.Form):
    """A session's settings, its judges, and for each unit of the zone: on the running order or not, its place
    and its speaker."""

    title = forms.CharField(label=_("名称"), max_length=200)
    held_on = forms.DateField(
        label=_("举办日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period = forms.CharField(
        label=_("述职期间"), max_length=20, help_text=_("如 2026Q3、2026年第三季度、2026-09")
    )
    minutes = forms.IntegerField(label=_("每人发言时间（分钟）"), min_value=1, max_value=60, initial=6)
    grading = forms.ChoiceField(label=_("评分方式"), choices=Grading.choices, initial=Grading.GRADES)
    criteria = forms.CharField(
        label=_("评分项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("分项打分时填写，每行一项：名称,满分，如“工作成效,40”"),
    )
    trim = forms.BooleanField(label=_("去掉一个最高分和一个最低分"), required=False)

    def __init__(self, zone: Zone, *args: Any, session: ArenaSession | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judges"] = JudgeField(
            zone, label=_("评委"), error_messages={"required": _("请至少选择一名评委")}
        )
        seated = {p.unit_id: p for p in session.presenters.all()} if session else {}
        # Inactive units stay on a running order they are already on.
        self.units = list(
            Unit.objects.filter(Q(is_active=True) | Q(pk__in=seated), zone=zone).order_by("position", "id")
        )
        for unit in self.units:
            place = seated.get(unit.pk)
            self.fields[f"unit_{unit.pk}"] = forms.BooleanField(
                label=unit.name, required=False, initial=place is not None
            )
            self.fields[f"order_{unit.pk}"] = forms.IntegerField(
                label=_("出场顺序"),
                required=False,
                min_value=1,
                max_value=999,
                initial=place and place.position,
            )
            self.fields[f"speaker_{unit.pk}"] = forms.CharField(
                label=_("发言人"), required=False, max_length=100, initial=place.speaker if place else ""
            )

    def setting_fields(self) -> list[forms.BoundField]:
        return [self[f] for f in ("title", "held_on", "period", "minutes", "grading")]

    def seat_rows(self) -> list[tuple[Unit, forms.BoundField, forms.BoundField, forms.BoundField]]:
        """For the template: each unit with its three fields."""
        return [(u, self[f"unit_{u.pk}"], self[f"order_{u.pk}"], self[f"speaker_{u.pk}"]) for u in self.units]

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"])[0]
        except ValueError:
            raise forms.ValidationError(_("期间无法识别（如 2026Q3、2026-09、2026）")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("grading") != Grading.CRITERIA:
            data["criteria"] = []
            return data
        rows = []
        for n, line in enumerate((data.get("criteria") or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = CRITERION_LINE.match(line.strip())
            if match is None:
                self.add_error("criteria", _("第%(n)d行应写作“名称,满分”") % {"n": n})
                return data
            rows.append({"name": match[1], "max": match[2]})
        try:
            data["criteria"] = check_criteria(rows)
        except ArenaRefused as refused:
            self.add_error("criteria", str(refused))
        return data

    def values(self) -> dict[str, Any]:
        fields = ("title", "held_on", "period", "grading", "criteria", "trim", "minutes")
        return {f: self.cleaned_data[f] for f in fields}

    def seats(self) -> list[Seat]:
        """The units chosen, by their place (units without one after the others, in unit order)."""
        chosen = [u for u in self.units if self.cleaned_data.get(f"unit_{u.pk}")]
        chosen.sort(key=lambda u: (self.cleaned_data.get(f"order_{u.pk}") or LAST, u.position, u.pk))
        return [Seat(u, self.cleaned_data.get(f"speaker_{u.pk}", "")) for u in chosen]

    def judges(self) -> list[User]:
        return list(cast(list[User], self.cleaned_data["judges"]))


def session_initial(session: ArenaSession) -> dict[str, Any]:
    criteria = "\n".join(f"{c['name']},{c['max']}" for c in session.criteria)
    judges = list(session.judges.values_list("user_id", flat=True))
    return {
        "title": session.title, "held_on": session.held_on, "period": session.period, "minutes": session.minutes,
        "grading": session.grading, "criteria": criteria, "trim": session.trim, "judges": judges,
    }  # fmt: skip
