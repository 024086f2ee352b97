from django.db import models
from django.utils.translation import gettext_lazy as _


class BindingSource(models.TextChoices):
    """Where a bound target's actual value comes from: one source of truth, never both."""

    INDICATOR = "indicator", _("实际值取自指标库")
    TARGET = "target", _("填报值报送指标库")
