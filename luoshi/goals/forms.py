from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.assessment.choices import SchemeKind
from luoshi.assessment.models import Scheme
from luoshi.goals.actions import MAX_RANK
from luoshi.org.queries import Access
from luoshi.plans.models import PlanItem


class GoalItemField(forms.ModelChoiceField[PlanItem]):
    def label_from_instance(self, obj: PlanItem) -> str:
        return f"{obj.title}（{obj.plan.title}）"


class GoalForm(forms.Form):
    """A top item of a plan as a goal, measured by a zone-evaluation scheme, aiming at a rank."""

    item = GoalItemField(
        PlanItem.objects.none(), label=_("目标"), error_messages={"required": _("请选择目标")}
    )
    scheme = forms.ModelChoiceField(
        Scheme.objects.none(), label=_("评价方案"), error_messages={"required": _("请选择评价方案")}
    )
    target_rank = forms.IntegerField(
        label=_("目标名次"),
        min_value=1,
        max_value=MAX_RANK,
        error_messages={"required": _("请填写目标名次"), "invalid": _("目标名次应为正整数")},
    )

    def __init__(self, access: Access, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        scheme = self.fields["scheme"]
        assert isinstance(item, forms.ModelChoiceField) and isinstance(scheme, forms.ModelChoiceField)
        item.queryset = (
            PlanItem.objects.filter(zone=access.zone, parent__isnull=True)
            .select_related("plan")
            .order_by("plan__year", "plan_id", "path")
        )
        scheme.queryset = Scheme.objects.filter(zone=access.zone, kind=SchemeKind.ZONE_EVALUATION)
