import math
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """A stored figure as written: 6.3600 → 6.36, 12.0000 → 12, None → —."""
    if value is None:
        return "—"
    return format(value.normalize(), "f")


@register.filter
def figure(value: float | None, digits: int = 4) -> str:
    """A computed figure to `digits` significant digits, without trailing zeros (0.001234, 12.35, 0.381, 1235);
    whole numbers as they are."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    decimals = max(digits - 1 - math.floor(math.log10(abs(value))), 0)
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
