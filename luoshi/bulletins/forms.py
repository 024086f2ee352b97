from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from luoshi.bulletins.choices import PeriodKind
from luoshi.bulletins.facts import Period

MONTHS_BACK = 12
QUARTERS_BACK = 4


def _recent(today: date) -> list[Period]:
    """The periods offered: this month and the last twelve, this quarter and the last four, newest first."""
    month = Period(PeriodKind.MONTH, today.year, today.month)
    months = [month]
    for _n in range(MONTHS_BACK):
        months.append(months[-1].previous())
    quarters = [Period(PeriodKind.QUARTER, today.year, (today.month - 1) // 3 + 1)]
    for _n in range(QUARTERS_BACK):
        quarters.append(quarters[-1].previous())
    return months + quarters


def _key(period: Period) -> str:
    return f"{period.kind}:{period.year}:{period.index}"


class DraftForm(forms.Form):
    """Which month's or quarter's bulletin to draft; last month by default (the bulletin reviews a month past)."""

    period = forms.ChoiceField(label=_lazy("通报期间"), error_messages={"required": _lazy("请选择通报期间")})

    def __init__(self, today: date, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {_key(p): p for p in _recent(today)}
        field = self.fields["period"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, p.span.label) for key, p in self.periods.items()]
        field.error_messages["invalid_choice"] = _("只能起草最近一年内的月度或季度通报")
        self.initial.setdefault("period", _key(_recent(today)[1]))

    def chosen(self) -> Period:
        return self.periods[self.cleaned_data["period"]]
